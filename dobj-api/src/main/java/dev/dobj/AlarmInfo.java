package dev.dobj;

import java.time.Instant;
import java.util.Objects;

/**
 * What the runtime tells an {@link DurableObject#alarm} handler about the delivery.
 *
 * @param retryCount how many earlier attempts of this alarm failed (0 on the first attempt)
 * @param isRetry whether this is a retry ({@code retryCount > 0})
 * @param scheduledTime the time the alarm was set for
 */
public record AlarmInfo(int retryCount, boolean isRetry, Instant scheduledTime) {
  /**
   * @throws IllegalArgumentException if {@code retryCount} is negative or disagrees with {@code
   *     isRetry}
   */
  public AlarmInfo {
    Objects.requireNonNull(scheduledTime, "scheduledTime");
    if (retryCount < 0 || isRetry != (retryCount > 0)) {
      throw new IllegalArgumentException(
          "AlarmInfo retryCount " + retryCount + " disagrees with isRetry " + isRetry);
    }
  }
}
