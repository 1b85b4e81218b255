package dev.dobj.examples.ratelimiter;

import dev.dobj.AlarmInfo;
import dev.dobj.DurableObject;
import dev.dobj.DurableObjectState;
import dev.dobj.Env;
import java.time.Instant;
import java.util.Optional;

/**
 * One token bucket per key, kept with the key-value API (one {@link BucketState} under {@link
 * #KEY}) and refilled by the object's alarm.
 *
 * <p>While the bucket is below its capacity, the alarm is set for the moment its next whole token
 * is due; the handler adds the tokens earned up to the alarm's scheduled time and sets the alarm
 * again, until the bucket is full. A full bucket has no alarm, so an idle key costs nothing. Takes
 * also add the tokens earned up to the caller's time, so a late alarm (a retry, or one that fell
 * due while the process was down) never makes a take wait longer than the rate says.
 *
 * <p>The object has no clock (dobj gives objects none): time comes with each event, from the
 * caller's {@code nowMillis} or the alarm's {@link AlarmInfo#scheduledTime()}. A late alarm thus
 * refills only up to the time it was due; the next alarm is then due already and fires at once, so
 * the bucket catches up in a few quick runs, and the next take catches up at once.
 *
 * <p>A read-modify-write in one method is safe without a transaction: the object runs one event at
 * a time and the turn's writes (the bucket and the alarm) commit together.
 */
public final class RateLimiterObject extends DurableObject implements RateLimiter {
  /** The storage key of the bucket. */
  static final String KEY = "bucket";

  private final BucketConfig config;

  /**
   * Called by the runtime when the object is first reached; reads the bucket's size and rate from
   * the {@code capacity} and {@code refill_per_second} variables.
   *
   * @throws IllegalArgumentException if a variable is not a number in range (the call that reached
   *     the object fails with it)
   */
  public RateLimiterObject(DurableObjectState ctx, Env env) {
    super(ctx, env);
    this.config = BucketConfig.from(env);
  }

  @Override
  public Decision take(int tokens, long nowMillis) {
    if (tokens < 1 || tokens > config.capacity()) {
      throw new IllegalArgumentException(
          "take("
              + tokens
              + ", "
              + nowMillis
              + "): tokens must be from 1 to the bucket's capacity, "
              + config.capacity());
    }
    if (nowMillis <= 0) {
      throw new IllegalArgumentException(
          "take(" + tokens + ", " + nowMillis + "): nowMillis must be after the epoch");
    }
    BucketState stored = load();
    BucketState state = stored.refilledTo(nowMillis, config);
    Decision decision;
    if (state.tokens() >= tokens) {
      state = state.take(tokens);
      decision = new Decision(true, state.tokens(), 0);
    } else {
      long wait = state.availableAtMillis(tokens, config) - nowMillis;
      decision = new Decision(false, state.tokens(), wait);
    }
    save(stored, state);
    if (!state.isFull(config)) {
      long next = state.nextTokenAtMillis(config);
      Optional<Instant> alarm = ctx.storage().getAlarm();
      // Already set for the next token (or earlier, then it re-arms when it fires): keep it.
      if (alarm.isEmpty() || alarm.get().toEpochMilli() > next) {
        ctx.storage().setAlarm(Instant.ofEpochMilli(next));
      }
    }
    return decision;
  }

  @Override
  public BucketStatus status() {
    // Refilled to its own time: trims a level above a lowered capacity, adds nothing.
    BucketState state = load().refilledTo(Long.MIN_VALUE, config);
    return new BucketStatus(
        state.tokens(), config.capacity(), ctx.storage().getAlarm().map(Instant::toEpochMilli));
  }

  /**
   * Adds the tokens earned up to the alarm's scheduled time and, unless the bucket is now full,
   * sets the alarm for the next whole token. When it sets none, the runtime clears the alarm that
   * fired: the chain stops.
   */
  @Override
  public void alarm(AlarmInfo alarmInfo) {
    BucketState stored = load();
    BucketState state = stored.refilledTo(alarmInfo.scheduledTime().toEpochMilli(), config);
    save(stored, state);
    if (!state.isFull(config)) {
      ctx.storage().setAlarm(Instant.ofEpochMilli(state.nextTokenAtMillis(config)));
    }
  }

  private BucketState load() {
    return ctx.storage().get(KEY, BucketState.class).orElseGet(() -> BucketState.full(config, 0));
  }

  private void save(BucketState stored, BucketState state) {
    if (!state.equals(stored)) {
      ctx.storage().put(KEY, state);
    }
  }
}
