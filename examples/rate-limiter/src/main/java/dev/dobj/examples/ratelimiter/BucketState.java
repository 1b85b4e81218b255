package dev.dobj.examples.ratelimiter;

/**
 * What one bucket stores (under {@link RateLimiterObject#KEY}): its level and the time up to which
 * it has been refilled. A value; every change makes a new one.
 *
 * <p>The level is in millionths of a token, so a partly earned token is kept across refills and no
 * time is lost to rounding. Times are epoch milliseconds, as the caller's clock or the alarm gave
 * them; a time before {@link #refilledAtMillis} counts as {@link #refilledAtMillis} (time never
 * runs backwards for a bucket, whatever the skew between its callers).
 *
 * @param microTokens the level, in millionths of a token (at most the capacity's)
 * @param refilledAtMillis the time the level was last brought up to date
 */
record BucketState(long microTokens, long refilledAtMillis) {
  /** Millionths per token. */
  static final long MICROS_PER_TOKEN = 1_000_000;

  /** A full bucket, as a key that was never used has. */
  static BucketState full(BucketConfig config, long atMillis) {
    return new BucketState(config.microCapacity(), atMillis);
  }

  /**
   * This bucket refilled up to {@code nowMillis} (or to {@link #refilledAtMillis}, if later): the
   * tokens earned since, up to the capacity. Also trims a level above the capacity, which a lowered
   * {@code capacity} leaves behind.
   */
  BucketState refilledTo(long nowMillis, BucketConfig config) {
    long at = Math.max(nowMillis, refilledAtMillis);
    long missing = config.microCapacity() - microTokens;
    long elapsed = at - refilledAtMillis;
    long level;
    if (missing <= 0 || elapsed >= Math.ceilDiv(missing, config.microsPerMilli())) {
      level = config.microCapacity();
    } else {
      // elapsed * rate < missing + rate: no overflow.
      level = microTokens + elapsed * config.microsPerMilli();
    }
    return new BucketState(level, at);
  }

  /** The whole tokens in the bucket. */
  long tokens() {
    return microTokens / MICROS_PER_TOKEN;
  }

  /** Whether the bucket holds its capacity, so it has nothing more to earn. */
  boolean isFull(BucketConfig config) {
    return microTokens >= config.microCapacity();
  }

  /**
   * When the bucket will hold {@code tokens} whole tokens if none are taken meanwhile: {@link
   * #refilledAtMillis} if it holds them already.
   */
  long availableAtMillis(long tokens, BucketConfig config) {
    long needed = tokens * MICROS_PER_TOKEN - microTokens;
    return needed <= 0
        ? refilledAtMillis
        : refilledAtMillis + Math.ceilDiv(needed, config.microsPerMilli());
  }

  /**
   * When the next whole token is due: the time the object's alarm is set for while the bucket is
   * not full.
   */
  long nextTokenAtMillis(BucketConfig config) {
    return availableAtMillis(tokens() + 1, config);
  }

  /**
   * This bucket with {@code tokens} fewer.
   *
   * @throws IllegalArgumentException if it holds fewer than {@code tokens}
   */
  BucketState take(long tokens) {
    long taken = tokens * MICROS_PER_TOKEN;
    if (tokens < 1 || taken > microTokens) {
      throw new IllegalArgumentException(
          "Cannot take " + tokens + " tokens from a bucket that holds " + tokens());
    }
    return new BucketState(microTokens - taken, refilledAtMillis);
  }
}
