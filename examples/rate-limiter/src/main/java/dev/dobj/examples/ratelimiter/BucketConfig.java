package dev.dobj.examples.ratelimiter;

import dev.dobj.Env;
import java.math.BigDecimal;

/**
 * The size and refill rate shared by every bucket, from the application's {@code [vars]}.
 *
 * <p>Tokens are counted in millionths ({@link BucketState#MICROS_PER_TOKEN}) so that a rate with up
 * to three decimals earns a whole number of them every millisecond, and refills are exact.
 *
 * @param capacity how many tokens a full bucket holds
 * @param microsPerMilli how many millionths of a token the bucket gains each millisecond (the rate
 *     per second times 1,000)
 */
record BucketConfig(long capacity, long microsPerMilli) {
  /** The variable that sets {@link #capacity}. */
  static final String CAPACITY = "capacity";

  /** The variable that sets the refill rate, in tokens per second. */
  static final String REFILL_PER_SECOND = "refill_per_second";

  /** The capacity when {@code [vars]} does not set one. */
  static final String DEFAULT_CAPACITY = "10";

  /** The refill rate when {@code [vars]} does not set one. */
  static final String DEFAULT_REFILL_PER_SECOND = "1";

  static final long MAX_CAPACITY = 1_000_000;
  private static final BigDecimal MAX_REFILL_PER_SECOND = BigDecimal.valueOf(1_000_000);

  /** Checks the bounds the methods of {@link BucketState} rely on to stay clear of overflow. */
  BucketConfig {
    if (capacity < 1 || capacity > MAX_CAPACITY) {
      throw new IllegalArgumentException(
          "A bucket's capacity must be from 1 to " + MAX_CAPACITY + ", got " + capacity);
    }
    if (microsPerMilli < 1 || microsPerMilli > MAX_REFILL_PER_SECOND.longValue() * 1000) {
      throw new IllegalArgumentException(
          "A bucket's refill rate must be from 1 to "
              + MAX_REFILL_PER_SECOND.longValue() * 1000
              + " millionths of a token per millisecond, got "
              + microsPerMilli);
    }
  }

  /**
   * The configuration in {@code env}'s variables, {@value #DEFAULT_CAPACITY} tokens and {@value
   * #DEFAULT_REFILL_PER_SECOND} a second where they are not set.
   *
   * @throws IllegalArgumentException if a variable is set but is not a number in range; the message
   *     names the variable, its value and the range
   */
  static BucketConfig from(Env env) {
    String capacity = env.var(CAPACITY).orElse(DEFAULT_CAPACITY);
    String rate = env.var(REFILL_PER_SECOND).orElse(DEFAULT_REFILL_PER_SECOND);
    return new BucketConfig(parseCapacity(capacity), parseMicrosPerMilli(rate));
  }

  /** How many millionths of a token a full bucket holds. */
  long microCapacity() {
    return capacity * BucketState.MICROS_PER_TOKEN;
  }

  private static long parseCapacity(String value) {
    try {
      long capacity = Long.parseLong(value);
      if (capacity >= 1 && capacity <= MAX_CAPACITY) {
        return capacity;
      }
    } catch (NumberFormatException e) {
      // reported below, with the range
    }
    throw new IllegalArgumentException(
        "[vars] "
            + CAPACITY
            + " must be a whole number from 1 to "
            + MAX_CAPACITY
            + ", got \""
            + value
            + "\"");
  }

  private static long parseMicrosPerMilli(String value) {
    try {
      BigDecimal perSecond = new BigDecimal(value);
      if (perSecond.signum() > 0
          && perSecond.compareTo(MAX_REFILL_PER_SECOND) <= 0
          && perSecond.stripTrailingZeros().scale() <= 3) {
        // n tokens a second = n * 1,000,000 millionths per 1,000 ms = n * 1,000 per ms.
        return perSecond.movePointRight(3).longValueExact();
      }
    } catch (NumberFormatException | ArithmeticException e) {
      // reported below, with the range
    }
    throw new IllegalArgumentException(
        "[vars] "
            + REFILL_PER_SECOND
            + " must be a number of tokens per second from 0.001 to "
            + MAX_REFILL_PER_SECOND.toPlainString()
            + " with at most 3 decimals, got \""
            + value
            + "\"");
  }
}
