package dev.dobj.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dobj.DurableObject;
import dev.dobj.DurableObjectState;
import dev.dobj.DurableObjectStub;
import dev.dobj.Env;
import dev.dobj.runtime.testing.Awaits;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** Every turn runs with the object's namespace and id in the SLF4J MDC. */
class MdcTest {
  /** Reports the MDC its turns see. */
  public interface Mdc {
    String mdc();

    /** Calls {@code other} (inline: it is idle) and then reports its own MDC again. */
    String callThenMdc(DurableObjectStub<Mdc> other);
  }

  public static class MdcObject extends DurableObject implements Mdc {
    public MdcObject(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }

    @Override
    public String mdc() {
      return MDC.get("dobj.namespace") + " " + MDC.get("dobj.id");
    }

    @Override
    public String callThenMdc(DurableObjectStub<Mdc> other) {
      String inner = other.call().mdc();
      return inner + " | " + mdc();
    }
  }

  private DurableObjectRuntime runtime;

  @BeforeEach
  void start() {
    runtime =
        DurableObjectRuntime.builder()
            .bind("MDC", MdcObject.class)
            .bind("OTHER", MdcObject.class)
            .build();
  }

  @AfterEach
  void stop() {
    runtime.close();
    MDC.clear();
  }

  /** Constructs the object and waits until it is idle, so the next blocking call runs inline. */
  private DurableObjectStub<Mdc> idle(String binding, String name) {
    var stub = runtime.env().namespace(binding, Mdc.class).getByName(name);
    stub.call().mdc();
    Awaits.until(() -> runtime.busyObjects(binding) == 0, binding + " " + name + " to be idle");
    return stub;
  }

  @Test
  void aTurnRunInlineOnTheCallersThread_seesItsObject_andTheKeysAreRemovedAfterwards() {
    var stub = idle("MDC", "a");
    MDC.put("dobj.namespace", "stale");
    assertThat(stub.call().mdc()).isEqualTo("MDC " + stub.id());
    assertThat(MDC.get("dobj.namespace")).isNull(); // the runtime owns its keys
    assertThat(MDC.get("dobj.id")).isNull();
  }

  @Test
  void aTurnOnARunnerThread_seesItsObject() {
    var stub = runtime.env().namespace("MDC", Mdc.class).getByName("b");
    CompletableFuture<String> r = stub.callAsync(Mdc::mdc);
    assertThat(r.join()).isEqualTo("MDC " + stub.id());
  }

  @Test
  void aCallFromOneObjectToAnother_restoresTheCallersMdcAfterwards() {
    var a = idle("MDC", "a");
    var b = idle("OTHER", "b"); // idle: a's turn runs b's inline, on the same thread
    assertThat(a.call().callThenMdc(b)).isEqualTo("OTHER " + b.id() + " | MDC " + a.id());
    assertThat(MDC.get("dobj.id")).isNull();
  }
}
