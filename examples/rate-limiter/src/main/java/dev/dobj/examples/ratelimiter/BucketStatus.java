package dev.dobj.examples.ratelimiter;

import java.util.Objects;
import java.util.Optional;

/**
 * A bucket as {@link RateLimiter#status} reads it, without taking or refilling.
 *
 * @param tokens the whole tokens in the bucket as of its last refill (by a take or by the alarm,
 *     which runs each time a whole token is due, so this lags only by the alarm's delivery)
 * @param capacity how many tokens a full bucket holds
 * @param nextRefillMillis when the object's alarm will add the next token (epoch milliseconds);
 *     empty when the bucket is full and no alarm is set
 */
public record BucketStatus(long tokens, long capacity, Optional<Long> nextRefillMillis) {
  /** Checks that the time is there (it may be empty). */
  public BucketStatus {
    Objects.requireNonNull(nextRefillMillis, "nextRefillMillis");
  }

  /**
   * This status of the bucket {@code key} as JSON: {@code
   * {"key":"a","tokens":3,"capacity":10,"nextRefillMillis":1767225601000}}, with {@code null} for
   * the time when no refill is due.
   */
  public String toJson(String key) {
    return "{\"key\":"
        + Json.string(key)
        + ",\"tokens\":"
        + tokens
        + ",\"capacity\":"
        + capacity
        + ",\"nextRefillMillis\":"
        + nextRefillMillis.map(String::valueOf).orElse("null")
        + "}";
  }
}
