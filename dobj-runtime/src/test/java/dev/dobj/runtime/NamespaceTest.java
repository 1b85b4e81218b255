package dev.dobj.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dobj.DurableObjectId;
import dev.dobj.GetOptions;
import dev.dobj.Jurisdiction;
import dev.dobj.runtime.Fixtures.Counter;
import org.junit.jupiter.api.Test;

class NamespaceTest extends RuntimeTestBase {

  @Test
  void idFromName_isStable_acrossRuntimesWithTheSameUniqueKey() {
    DurableObjectId first = counters().idFromName("foo");
    rebuild(b -> {});
    assertThat(counters().idFromName("foo")).isEqualTo(first);
    assertThat(first.name()).contains("foo");
  }

  @Test
  void theSameNameInAnotherNamespace_givesAnotherId() {
    DurableObjectId counter = counters().idFromName("foo");
    DurableObjectId plain = runtime.env().namespace("PLAIN", Counter.class).idFromName("foo");
    assertThat(counter).isNotEqualTo(plain);
  }

  @Test
  void theUniqueKey_notTheClass_determinesIds() {
    DurableObjectId before = counters().idFromName("foo");
    rebuild(b -> {}); // same key "counter-key"
    try (DurableObjectRuntime other =
        DurableObjectRuntime.builder()
            .clock(clock)
            .bind("RENAMED", Fixtures.PlainObject.class, "counter-key")
            .build()) {
      assertThat(other.env().namespace("RENAMED", Counter.class).idFromName("foo"))
          .isEqualTo(before);
    }
  }

  @Test
  void idFromString_roundTripsAndRefusesForeignAndMalformedIds() {
    DurableObjectId id = counters().newUniqueId();
    assertThat(counters().idFromString(id.toString())).isEqualTo(id);
    assertThat(counters().idFromString(id.toString().toUpperCase())).isEqualTo(id);

    String foreign = runtime.env().namespace("PLAIN", Counter.class).newUniqueId().toString();
    assertThatThrownBy(() -> counters().idFromString(foreign))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Durable Object ID is not valid for this namespace.");
    assertThatThrownBy(() -> counters().idFromString("abc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid Durable Object ID: must be 64 hex digits");
  }

  @Test
  void get_refusesAnIdOfAnotherNamespace() {
    DurableObjectId foreign = runtime.env().namespace("PLAIN", Counter.class).idFromName("x");
    assertThatThrownBy(() -> counters().get(foreign))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Durable Object ID is not valid for this namespace.");
  }

  @Test
  void getWithALocationHint_isAccepted() {
    DurableObjectId id = counters().idFromName("hinted");
    assertThat(counters().get(id, GetOptions.locationHint("weur")).call().increment()).isEqualTo(1);
  }

  @Test
  void jurisdictionView_mintsIdsCarryingIt_andRefusesOthers() {
    var eu = counters().jurisdiction(Jurisdiction.EU);
    DurableObjectId euId = eu.newUniqueId();
    assertThat(euId.jurisdiction()).contains(Jurisdiction.EU);
    assertThat(counters().newUniqueId(Jurisdiction.FEDRAMP_HIGH).jurisdiction())
        .contains(Jurisdiction.FEDRAMP_HIGH);
    assertThat(eu.get(euId).call().increment()).isEqualTo(1);
    assertThat(eu.idFromName("n").jurisdiction()).contains(Jurisdiction.EU);
    assertThat(eu.idFromName("n")).isNotEqualTo(counters().idFromName("n"));

    DurableObjectId plain = counters().newUniqueId();
    assertThatThrownBy(() -> eu.get(plain))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not in jurisdiction eu");
    DurableObjectId us = counters().newUniqueId(Jurisdiction.US);
    assertThatThrownBy(() -> eu.get(us)).hasMessageContaining("(it has us)");
    // the main namespace accepts ids of any jurisdiction it minted
    assertThat(counters().get(euId).call().get()).isEqualTo(1);
  }

  @Test
  void env_refusesUnknownBindingsAndNonInterfaces() {
    assertThatThrownBy(() -> runtime.env().namespace("NOPE", Counter.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NOPE")
        .hasMessageContaining("COUNTER");
    assertThatThrownBy(() -> runtime.env().namespace("COUNTER", String.class))
        .hasMessageContaining("is not an interface");
    assertThat(runtime.env().var("probe")).contains(probeName);
    assertThat(runtime.env().var("missing")).isEmpty();
  }

  @Test
  void builder_refusesClassesThatCannotBeDurableObjects() {
    assertThatThrownBy(
            () -> DurableObjectRuntime.builder().bind("BAD", NoCtxConstructor.class).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(NoCtxConstructor.class.getName())
        .hasMessageContaining("needs a constructor (DurableObjectState ctx, Env env)");
  }

  /** Lacks the (ctx, env) constructor. */
  public static class NoCtxConstructor extends dev.dobj.DurableObject {
    public NoCtxConstructor() {
      super(null, null);
    }
  }
}
