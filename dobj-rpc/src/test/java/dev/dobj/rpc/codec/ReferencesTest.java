package dev.dobj.rpc.codec;

import static dev.dobj.rpc.codec.Fixtures.method;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dobj.DurableObjectId;
import dev.dobj.DurableObjectStub;
import dev.dobj.rpc.codec.FakeReferences.FakeStub;
import dev.dobj.rpc.codec.Fixtures.Refs;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Stubs and ids travel by reference, through the runtime's {@link References}. */
class ReferencesTest {
  private final FakeReferences references = new FakeReferences();
  private final RpcCodec codec = new RpcCodec(references);

  @Test
  void encode_ofStub_writesItsReference_andDecodeAsksForAStubOfTheDeclaredInterface() {
    MethodPlan plan = codec.plan(method("stub", DurableObjectStub.class));
    FakeStub alice = FakeReferences.stub("alice");

    byte[] bytes = plan.encodeArguments(new Object[] {alice});
    FakeStub decoded = (FakeStub) plan.decodeArguments(bytes)[0];

    assertThat(new String(bytes, UTF_8))
        .isEqualTo("[{\"binding\":\"counters\",\"id\":\"" + alice.id() + "\",\"name\":\"alice\"}]");
    assertThat(decoded.id()).isEqualTo(alice.id());
    assertThat(decoded.name()).contains("alice");
    assertThat(references.log)
        .containsExactly("toReference alice", "fromReference counters Counter");
  }

  @Test
  void decode_ofStubOfUnknownBinding_isRefusedWithTheRuntimesReason() {
    MethodPlan plan = codec.plan(method("peer"));
    String id = FakeReferences.stub("x").id().toString();

    assertThatThrownBy(
            () ->
                plan.decodeResult(
                    ("{\"binding\":\"other\",\"id\":\"" + id + "\",\"name\":null}")
                        .getBytes(UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot decode the RPC result of Counter.peer(): No namespace is bound as \"other\"");
  }

  @Test
  void roundTrip_ofIds_keepsTheNameWhenThereIsOne() {
    MethodPlan plan = codec.plan(method("id", DurableObjectId.class));
    DurableObjectId named = FakeReferences.KEY.idFromName("bob");
    DurableObjectId unnamed = FakeReferences.KEY.idFromString(named.toString());

    DurableObjectId decodedNamed = (DurableObjectId) plan.decodeResult(plan.encodeResult(named));
    DurableObjectId decodedUnnamed =
        (DurableObjectId) plan.decodeResult(plan.encodeResult(unnamed));

    assertThat(decodedNamed).isEqualTo(named);
    assertThat(decodedNamed.name()).contains("bob");
    assertThat(decodedUnnamed).isEqualTo(named);
    assertThat(decodedUnnamed.name()).isEmpty();
    assertThat(references.log).containsExactly("idFromReference bob", "idFromReference " + named);
  }

  @Test
  void decode_ofForgedId_isRefused() {
    MethodPlan plan = codec.plan(method("id", DurableObjectId.class));

    assertThatThrownBy(
            () ->
                plan.decodeResult(
                    ("{\"id\":\"" + "ab".repeat(32) + "\",\"name\":null}").getBytes(UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot decode the RPC result of Counter.id(DurableObjectId): Durable Object ID is not"
                + " valid for this namespace.");
  }

  @Test
  void copyAndRoundTrip_ofRecordHoldingIdAndStub_sharesTheIdAndCopiesTheStub() {
    ValuePlan plan = codec.plan(Refs.class);
    FakeStub carol = FakeReferences.stub("carol");
    Refs refs = new Refs(carol.id(), carol);

    Refs copy = (Refs) plan.copy(refs);
    Refs decoded = (Refs) plan.decode(plan.encode(refs));

    assertThat(plan.immutable()).isFalse();
    assertThat(copy.id()).isSameAs(refs.id());
    assertThat(copy.stub()).isNotSameAs(carol);
    assertThat(copy.stub().id()).isEqualTo(carol.id());
    assertThat(decoded.id()).isEqualTo(carol.id());
    assertThat(decoded.stub().id()).isEqualTo(carol.id());
  }

  @Test
  void stubReference_refusesAnEmptyBinding() {
    assertThatThrownBy(() -> new StubReference("", "00", Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("A stub reference needs a binding name, got \"\"");
  }
}
