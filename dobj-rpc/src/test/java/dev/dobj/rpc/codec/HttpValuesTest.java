package dev.dobj.rpc.codec;

import static dev.dobj.rpc.codec.Fixtures.method;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dobj.fetch.Body;
import dev.dobj.fetch.Headers;
import dev.dobj.fetch.Request;
import dev.dobj.fetch.Response;
import dev.dobj.rpc.codec.Fixtures.Http;
import java.io.ByteArrayInputStream;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Requests and responses: shared in process, encoded field by field on the wire. */
class HttpValuesTest {
  private final RpcCodec codec = new RpcCodec(new FakeReferences());

  @Test
  void roundTrip_ofRequest_keepsMethodUrlHeadersAndBody() {
    MethodPlan plan = codec.plan(method("request", Request.class));
    Request request =
        Request.builder("PUT", "https://example.com/a?b=c")
            .headers(
                Headers.builder().add("x-one", "1").add("x-many", "a").add("x-many", "b").build())
            .body(new byte[] {1, 2, 3})
            .build();

    Request decoded =
        (Request) plan.decodeArguments(plan.encodeArguments(new Object[] {request}))[0];

    assertThat(decoded.method()).isEqualTo("PUT");
    assertThat(decoded.url()).isEqualTo(request.url());
    assertThat(decoded.headers()).isEqualTo(request.headers());
    assertThat(decoded.headers().getAll("x-many")).containsExactly("a", "b");
    assertThat(decoded.bytes()).containsExactly(1, 2, 3);
  }

  @Test
  void roundTrip_ofResponse_keepsStatusTextHeadersAndBody() {
    MethodPlan plan = codec.plan(method("response", Response.class));
    Response response =
        Response.builder(418)
            .statusText("I'm a teapot")
            .header("content-type", "text/plain")
            .body("short and stout")
            .build();

    Response decoded = (Response) plan.decodeResult(plan.encodeResult(response));

    assertThat(decoded.status()).isEqualTo(418);
    assertThat(decoded.statusText()).isEqualTo("I'm a teapot");
    assertThat(decoded.headers()).isEqualTo(response.headers());
    assertThat(decoded.text()).isEqualTo("short and stout");
  }

  @Test
  void encode_ofStreamBody_buffersIt() {
    MethodPlan plan = codec.plan(method("request", Request.class));
    Request streamed =
        Request.builder("POST", "https://example.com/")
            .body(
                Body.ofStream(
                    new ByteArrayInputStream("streamed".getBytes(UTF_8)), OptionalLong.empty()))
            .build();

    Request decoded = (Request) plan.decodeResult(plan.encodeResult(streamed));

    assertThat(decoded.text()).isEqualTo("streamed");
    assertThat(decoded.body().replayable()).isTrue();
  }

  @Test
  void copy_ofRecordHoldingRequestAndResponse_sharesThem() {
    Http http = new Http(Request.get("https://example.com/"), Response.ok("ok"));

    assertThat(codec.plan(Http.class).immutable()).isTrue();
    assertThat(codec.plan(Http.class).copy(http)).isSameAs(http);
  }

  @Test
  void decode_ofRequestTheBuilderRefuses_isRefusedWithItsReason() {
    MethodPlan plan = codec.plan(method("request", Request.class));
    String getWithBody =
        "{\"method\":\"GET\",\"url\":\"https://example.com/\",\"headers\":{},\"body\":\"AQI=\"}";
    String badHeader =
        "{\"method\":\"POST\",\"url\":\"https://example.com/\",\"headers\":{\"bad name\":[\"v\"]},\"body\":\"\"}";
    String extra =
        "{\"method\":\"POST\",\"url\":\"https://example.com/\",\"headers\":{},\"body\":\"\",\"ws\":1}";

    assertThatThrownBy(() -> plan.decodeResult(getWithBody.getBytes(UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "Cannot decode the RPC result of Counter.request(Request): Request with a GET or HEAD"
                + " method cannot have a body.");
    assertThatThrownBy(() -> plan.decodeResult(badHeader.getBytes(UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid header name \"bad name\"");
    assertThatThrownBy(() -> plan.decodeResult(extra.getBytes(UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown property \"ws\" for dev.dobj.fetch.Request");
  }
}
