package dev.dobj.test;

import static dev.dobj.test.DurableObjects.listDurableObjectIds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dobj.DurableObjectNamespace;
import dev.dobj.DurableObjectStub;
import dev.dobj.Env;
import dev.dobj.runtime.DurableObjectRuntime;
import dev.dobj.runtime.time.ManualClock;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The test class's constructor gets the same per-test runtime as the test method. */
@DurableObjectTest(
    bindings = @DurableObjectTest.Binding(name = "NOTES", type = NotesObject.class),
    vars = "GREETING=hello")
class ConstructorInjectionTest {
  private final DurableObjectRuntime runtime;
  private final ManualClock clock;
  private final Env env;
  private final DurableObjectNamespace<Notes> notes;
  private final DurableObjectStub<Notes> a;

  ConstructorInjectionTest(
      DurableObjectRuntime runtime,
      ManualClock clock,
      Env env,
      @Bound("NOTES") DurableObjectNamespace<Notes> notes,
      @Bound(value = "NOTES", name = "a") DurableObjectStub<Notes> a) {
    this.runtime = runtime;
    this.clock = clock;
    this.env = env;
    this.notes = notes;
    this.a = a;
  }

  @Test
  void theConstructorsRuntime_isTheTestMethodsRuntime(
      DurableObjectRuntime fromMethod, ManualClock clockFromMethod, Env envFromMethod) {
    assertThat(runtime).isSameAs(fromMethod);
    assertThat(clock).isSameAs(clockFromMethod);
    assertThat(env).isSameAs(envFromMethod);
    assertThat(env.var("GREETING")).contains("hello");
  }

  @RepeatedTest(2)
  void eachTest_startsFromAnEmptyRuntime_throughTheConstructorsStubs() {
    assertThat(listDurableObjectIds(notes)).isEmpty();
    a.call().put("k", "v");
    assertThat(notes.getByName("a").call().read("k")).isEqualTo("v");
    assertThat(listDurableObjectIds(notes)).containsExactly(a.id());
  }
}
