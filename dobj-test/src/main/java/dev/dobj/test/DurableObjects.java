package dev.dobj.test;

import dev.dobj.DurableObject;
import dev.dobj.DurableObjectId;
import dev.dobj.DurableObjectNamespace;
import dev.dobj.DurableObjectStub;
import dev.dobj.runtime.DurableObjectRuntime;
import dev.dobj.runtime.ObjectTurn;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * Helpers for tests of Durable Objects, named after the Workers vitest pool's ({@code
 * cloudflare:test}). Import them statically: {@code import static dev.dobj.test.DurableObjects.*;}.
 * Stateless.
 */
public final class DurableObjects {
  private static final Duration IDLE_WAIT = Duration.ofSeconds(10);

  private DurableObjects() {}

  /**
   * Runs {@code turn} inside the live object behind {@code stub}, as one of its turns (through its
   * input gate, so it is serialized with the object's other events; constructing the object if
   * needed), and returns its value once the turn's writes are durable. Use it to assert on the
   * object's fields and storage:
   *
   * <pre>{@code
   * long value = runInDurableObject(stub, (CounterObject o, DurableObjectState ctx) ->
   *     ctx.storage().get("value", Long.class).orElse(0L));
   * }</pre>
   *
   * @throws AssertionError or any other throwable {@code turn} threw, as it threw it
   * @throws ClassCastException if the object is not of the class {@code turn} takes
   * @throws IllegalArgumentException if {@code stub} is not a stub of a dobj runtime
   */
  public static <O extends DurableObject, R> R runInDurableObject(
      DurableObjectStub<?> stub, ObjectTurn<O, R> turn) {
    return DurableObjectRuntime.runInDurableObject(stub, turn);
  }

  /**
   * Runs the pending alarm of the object behind {@code stub} now, whatever its time, as a turn; a
   * handler that returns clears it (unless it set a new one).
   *
   * @return whether an alarm was set and ran
   * @throws RuntimeException or Error what the alarm handler threw
   */
  public static boolean runDurableObjectAlarm(DurableObjectStub<?> stub) {
    return DurableObjectRuntime.runDurableObjectAlarm(stub);
  }

  /**
   * Waits until no object of {@code runtime} is busy (no turn running or suspended, no event
   * queued, no write waiting to commit), for at most 10 s. Call it before moving a {@link
   * dev.dobj.runtime.time.ManualClock} after calls made with {@code callAsync}, so the clock moves
   * past settled objects rather than racing their turns:
   *
   * <pre>{@code
   * stub.callAsync(Counter::increment);
   * awaitIdle(runtime);
   * clock.advance(Duration.ofMinutes(2)); // evicts the idle object
   * }</pre>
   *
   * @throws AssertionError naming how many objects are still busy, after 10 s
   */
  public static void awaitIdle(DurableObjectRuntime runtime) {
    awaitIdle(runtime, IDLE_WAIT);
  }

  /**
   * As {@link #awaitIdle(DurableObjectRuntime)}, waiting at most {@code limit}.
   *
   * @throws AssertionError naming how many objects are still busy, once {@code limit} passed
   */
  public static void awaitIdle(DurableObjectRuntime runtime, Duration limit) {
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(limit, "limit");
    long deadline = System.nanoTime() + limit.toNanos();
    long pause = 10_000; // ns: turns usually settle within microseconds
    int busy;
    while ((busy = runtime.busyObjects()) > 0) {
      if (System.nanoTime() - deadline >= 0) {
        throw new AssertionError(
            busy
                + (busy == 1 ? " Durable Object is" : " Durable Objects are")
                + " still busy after "
                + limit.toMillis()
                + " ms (a turn running or waiting, queued events or writes to commit)");
      }
      LockSupport.parkNanos(pause);
      pause = Math.min(pause * 2, 5_000_000);
    }
  }

  /**
   * The ids of every object of {@code namespace} that has durable state, ordered by their string
   * form, with their names where persisted ({@link DurableObjectNamespace#listIds()}).
   */
  public static List<DurableObjectId> listDurableObjectIds(DurableObjectNamespace<?> namespace) {
    return Objects.requireNonNull(namespace, "namespace").listIds();
  }
}
