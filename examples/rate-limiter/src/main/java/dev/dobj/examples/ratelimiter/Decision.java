package dev.dobj.examples.ratelimiter;

/**
 * The answer to {@link RateLimiter#take}: whether the tokens were taken, how many whole tokens are
 * left, and, when refused, how long until the bucket holds enough.
 *
 * @param allowed whether the tokens were taken
 * @param remaining the whole tokens left in the bucket after this take
 * @param retryAfterMillis 0 when allowed; otherwise how many milliseconds from the caller's time
 *     until the bucket holds the tokens asked for (if nobody else takes any meanwhile)
 */
public record Decision(boolean allowed, long remaining, long retryAfterMillis) {
  /**
   * @throws IllegalArgumentException if a count is negative, or the wait disagrees with {@code
   *     allowed} (0 exactly when allowed)
   */
  public Decision {
    if (remaining < 0 || retryAfterMillis < 0 || allowed != (retryAfterMillis == 0)) {
      throw new IllegalArgumentException(
          "Decision allowed="
              + allowed
              + " remaining="
              + remaining
              + " retryAfterMillis="
              + retryAfterMillis
              + ": counts must not be negative, and the wait must be 0 exactly when allowed");
    }
  }

  /**
   * This decision about the bucket {@code key} as JSON: {@code
   * {"key":"a","allowed":true,"remaining":9}}, or {@code
   * {"key":"a","allowed":false,"remaining":0,"retryAfterMillis":1000}} when refused.
   */
  public String toJson(String key) {
    String head =
        "{\"key\":" + Json.string(key) + ",\"allowed\":" + allowed + ",\"remaining\":" + remaining;
    return allowed ? head + "}" : head + ",\"retryAfterMillis\":" + retryAfterMillis + "}";
  }
}
