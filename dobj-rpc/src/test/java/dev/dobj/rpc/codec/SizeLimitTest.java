package dev.dobj.rpc.codec;

import static dev.dobj.rpc.codec.Fixtures.method;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dobj.fetch.Body;
import dev.dobj.fetch.Request;
import dev.dobj.rpc.codec.Fixtures.Msg;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The message size limit, on the copy path (estimated) and the wire path (measured). */
class SizeLimitTest {
  private final RpcCodec codec = new RpcCodec(new FakeReferences(), 1024);
  private final MethodPlan bytes = codec.plan(method("bytes", byte[].class));

  private static String tooLarge(String limit, long size) {
    return "Serialized RPC arguments or return values are limited to "
        + limit
        + ", but the size of this value was "
        + size
        + " bytes.";
  }

  @Test
  void copy_overTheLimit_isRefusedWithCloudflaresMessage() {
    // 2000 bytes are 2668 Base64 characters, plus two quotes.
    assertThatThrownBy(() -> bytes.copyResult(new byte[2000]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(tooLarge("1KiB", 2670));
  }

  @Test
  void encode_overTheLimit_isRefusedWithTheSameSize() {
    assertThatThrownBy(() -> bytes.encodeResult(new byte[2000]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(tooLarge("1KiB", 2670));
    assertThatThrownBy(() -> bytes.encodeArguments(new Object[] {new byte[2000]}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(tooLarge("1KiB", 2672));
  }

  @Test
  void copyAndEncode_justUnderTheLimit_pass() {
    byte[] data = new byte[765]; // 1022 bytes encoded

    assertThat(bytes.encodeResult(data)).hasSize(1022);
    assertThat((byte[]) bytes.copyResult(data)).hasSize(765);
  }

  @Test
  void decode_overTheLimit_isRefused() {
    assertThatThrownBy(() -> bytes.decodeResult(new byte[2000]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot decode the RPC result of Counter.bytes(byte[]): " + tooLarge("1KiB", 2000));
  }

  @Test
  void copy_ofImmutableButLargeString_isStillMeasured() {
    MethodPlan add = codec.plan(method("add", long.class, String.class));

    assertThat(add.argumentsImmutable()).isTrue();
    assertThatThrownBy(() -> add.copyArguments(new Object[] {1L, "x".repeat(2000)}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Serialized RPC arguments or return values are limited to 1KiB");
  }

  @Test
  void copy_sumsAllArgumentsOfOneCall() {
    MethodPlan echo = codec.plan(method("echo", Msg.class));
    List<String> tags = List.of("a".repeat(300), "b".repeat(300), "c".repeat(300));

    assertThat(echo.copyArguments(new Object[] {new Msg("m", tags.subList(0, 2), new byte[0])}))
        .hasSize(1);
    assertThatThrownBy(() -> echo.copyArguments(new Object[] {new Msg("m", tags, new byte[100])}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Serialized RPC arguments or return values are limited to 1KiB");
  }

  @Test
  void copy_ofRequest_countsItsBody() {
    MethodPlan request = codec.plan(method("request", Request.class));
    Request small = Request.builder("POST", "https://example.com/").body(new byte[10]).build();
    Request large = Request.builder("POST", "https://example.com/").body(new byte[2000]).build();

    assertThat(request.copyResult(small)).isSameAs(small);
    assertThatThrownBy(() -> request.copyResult(large))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Serialized RPC arguments or return values are limited to 1KiB");
  }

  @Test
  void encode_ofRequestWithLargeStreamBody_isRefusedWithoutBufferingIt() {
    MethodPlan request = codec.plan(method("request", Request.class));
    Request streamed =
        Request.builder("POST", "https://example.com/")
            .body(Body.ofStream(new ByteArrayInputStream(new byte[5000]), OptionalLong.of(5000)))
            .build();

    assertThatThrownBy(() -> request.encodeResult(streamed))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(tooLarge("1KiB", 5000));
  }

  @Test
  void defaultLimit_is32MiBInTheMessage() {
    RpcCodec defaults = new RpcCodec(new FakeReferences());
    byte[] large = new byte[25 << 20]; // 33.3 MiB in Base64

    assertThatThrownBy(() -> defaults.plan(byte[].class).copy(large))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(tooLarge("32MiB", 34952538));
  }

  @Test
  void limitThatIsNotWholeKibibytes_isWrittenInBytes() {
    RpcCodec odd = new RpcCodec(new FakeReferences(), 1000);

    assertThatThrownBy(() -> odd.plan(String.class).copy("y".repeat(1000)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(tooLarge("1000 bytes", 1002));
  }
}
