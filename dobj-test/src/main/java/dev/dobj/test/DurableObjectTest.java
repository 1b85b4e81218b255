package dev.dobj.test;

import dev.dobj.DurableObject;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs each test of the annotated class against its own in-process dobj runtime: the classes in
 * {@link #bindings()} bound as namespaces, the {@link #vars()} in its environment, storage in a
 * fresh temporary data directory with the real SQLite engine (deleted after the test, so nothing
 * leaks from one test to the next), and a {@link dev.dobj.runtime.time.ManualClock} that drives
 * eviction, alarms and timeouts (unless {@link #systemClock()}).
 *
 * <p>Injected into test methods, {@code @BeforeEach}/{@code @AfterEach} methods and the test
 * class's constructor (with the default instance per test) as parameters, by type: {@link
 * dev.dobj.runtime.DurableObjectRuntime}, {@link dev.dobj.runtime.time.ManualClock}, {@link
 * dev.dobj.Env}; and, annotated with {@link Bound}, a {@code DurableObjectNamespace<T>} or a {@code
 * DurableObjectStub<T>} (of the object named {@link Bound#name()}). Fields annotated with {@link
 * Bound} are set before each test the same way.
 *
 * <pre>{@code
 * @DurableObjectTest(bindings = @DurableObjectTest.Binding(name = "COUNTER", type = CounterObject.class))
 * class CounterTest {
 *   @Bound("COUNTER") DurableObjectNamespace<Counter> counters;
 *
 *   @Test
 *   void increments() {
 *     var stub = counters.getByName("a");
 *     stub.call().increment();
 *     long stored = runInDurableObject(stub, (CounterObject o, DurableObjectState ctx) ->
 *         ctx.storage().get("value", Long.class).orElseThrow());
 *     assertThat(stored).isEqualTo(1);
 *   }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(DurableObjectExtension.class)
public @interface DurableObjectTest {
  /** The namespaces of the runtime, as {@code [[durable_objects.bindings]]} in dobj.toml. */
  Binding[] bindings();

  /** Plain variables, as {@code [vars]} in dobj.toml: each {@code "NAME=value"}. */
  String[] vars() default {};

  /**
   * Whether the runtime keeps wall-clock time instead of a {@link
   * dev.dobj.runtime.time.ManualClock} (then no clock is injected).
   */
  boolean systemClock() default false;

  /**
   * How long an idle object stays in memory, in milliseconds (the runtime's default, 70 s, when 0).
   */
  long idleTimeoutMillis() default 0;

  /** One namespace. */
  @Documented
  @Retention(RetentionPolicy.RUNTIME)
  @Target({})
  @interface Binding {
    /** The binding name, as {@code env.namespace(name, ...)} uses it. */
    String name();

    /** The Durable Object class. */
    Class<? extends DurableObject> type();

    /** The key its ids derive from; the binding name when empty. */
    String uniqueKey() default "";
  }
}
