package dev.dobj.test;

import dev.dobj.DurableObject;
import dev.dobj.DurableObjectId;
import dev.dobj.DurableObjectNamespace;
import dev.dobj.DurableObjectStub;
import dev.dobj.runtime.DurableObjectRuntime;
import dev.dobj.runtime.ObjectTurn;
import java.util.List;
import java.util.Objects;

/**
 * Helpers for tests of Durable Objects, named after the Workers vitest pool's ({@code
 * cloudflare:test}). Import them statically: {@code import static dev.dobj.test.DurableObjects.*;}.
 * Stateless.
 */
public final class DurableObjects {
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
   * The ids of every object of {@code namespace} that has durable state, ordered by their string
   * form, with their names where persisted ({@link DurableObjectNamespace#listIds()}).
   */
  public static List<DurableObjectId> listDurableObjectIds(DurableObjectNamespace<?> namespace) {
    return Objects.requireNonNull(namespace, "namespace").listIds();
  }
}
