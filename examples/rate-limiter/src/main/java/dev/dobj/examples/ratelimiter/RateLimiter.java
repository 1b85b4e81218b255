package dev.dobj.examples.ratelimiter;

/**
 * The RPC interface of the rate limiter objects ({@link RateLimiterObject}, binding {@code
 * RATE_LIMITER}): one token bucket per object, named by the key it limits.
 *
 * <p>The caller passes its time: objects have no clock of their own in dobj, and taking time from
 * the caller (the Worker's clock) and from the alarm (its scheduled time) keeps a bucket exact and
 * deterministic under a test's manual clock.
 */
public interface RateLimiter {
  /**
   * Takes {@code tokens} tokens if the bucket holds them at {@code nowMillis}, after adding the
   * tokens earned since its last refill. When the bucket drops below its capacity the object sets
   * its alarm for the next whole token. The decision is durable before the caller sees it.
   *
   * @param tokens how many tokens to take, from 1 to the capacity
   * @param nowMillis the caller's time, in epoch milliseconds
   * @throws IllegalArgumentException if {@code tokens} is out of range (the bucket could never
   *     answer yes) or {@code nowMillis} is not after the epoch; through a stub, the caller sees a
   *     {@code DurableObjectException} with {@code remote()} true and this message
   */
  Decision take(int tokens, long nowMillis);

  /** The bucket as its last refill left it, without taking or refilling. Writes nothing. */
  BucketStatus status();
}
