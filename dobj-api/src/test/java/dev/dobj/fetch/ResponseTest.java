package dev.dobj.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResponseTest {

  @Test
  void ok_isA200WithPlainTextUtf8() {
    Response response = Response.ok("héllo");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.statusText()).isEqualTo("OK");
    assertThat(response.ok()).isTrue();
    assertThat(response.headers().get("Content-Type")).contains("text/plain;charset=UTF-8");
    assertThat(response.text()).isEqualTo("héllo");
  }

  @Test
  void json_isA200WithApplicationJson() {
    Response response = Response.json("{\"a\":1}");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.headers().get("content-type")).contains("application/json");
    assertThat(response.text()).isEqualTo("{\"a\":1}");
  }

  @Test
  void status_hasAnEmptyBodyAndNoHeaders() {
    Response response = Response.status(404);

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.statusText()).isEqualTo("Not Found");
    assertThat(response.ok()).isFalse();
    assertThat(response.headers().isEmpty()).isTrue();
    assertThat(response.bytes()).isEmpty();
    assertThat(response.webSocket()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "200, OK",
    "201, Created",
    "204, No Content",
    "302, Found",
    "404, Not Found",
    "429, Too Many Requests",
    "500, Internal Server Error",
    "501, Not Implemented",
    "503, Service Unavailable"
  })
  void statusText_defaultsToTheReasonPhrase(int status, String reason) {
    assertThat(Response.status(status).statusText()).isEqualTo(reason);
  }

  @Test
  void statusText_ofAnUnknownStatus_isEmpty() {
    Response response = Response.status(599);

    assertThat(response.statusText()).isEmpty();
    assertThat(response).hasToString("Response[599]");
  }

  @Test
  void statusText_canBeSet_andSurvivesToBuilder() {
    Response response = Response.builder(200).statusText("Fine").build();

    assertThat(response.statusText()).isEqualTo("Fine");
    assertThat(response.toBuilder().build().statusText()).isEqualTo("Fine");
    assertThat(response).hasToString("Response[200 Fine]");
  }

  @Test
  void statusText_withALineBreak_isRefused() {
    assertThatThrownBy(() -> Response.builder(200).statusText("OK\r\nx: y"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"OK\\r\\nx: y\"")
        .hasMessageContaining("U+000D at index 2");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 100, 199, 600, 999, -1})
  void status_outside200To599_isRefused(int status) {
    assertThatThrownBy(() -> Response.builder(status))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Response status must be between 200 and 599, got " + status);
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 299, 300, 599})
  void status_boundaries_areAccepted(int status) {
    assertThat(Response.status(status).status()).isEqualTo(status);
  }

  @Test
  void ok_isTrueOnlyFor2xx() {
    assertThat(Response.status(299).ok()).isTrue();
    assertThat(Response.status(300).ok()).isFalse();
  }

  @Test
  void status101_isRefusedOutsideWebSocket_pointingToIt() {
    assertThatThrownBy(() -> Response.status(101))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Response status must be between 200 and 599, got 101")
        .hasMessageContaining("Response.webSocket(ws)");
  }

  @Test
  void webSocket_makesA101CarryingTheSocket() {
    WebSocket ws = new InertWebSocket();

    Response response = Response.webSocket(ws);

    assertThat(response.status()).isEqualTo(101);
    assertThat(response.statusText()).isEqualTo("Switching Protocols");
    assertThat(response.webSocket()).containsSame(ws);
    assertThat(response.body().isEmpty()).isTrue();
    assertThat(response.ok()).isFalse();
  }

  @Test
  void webSocket_response_canGainHeadersThroughToBuilder() {
    WebSocket ws = new InertWebSocket();

    Response response =
        Response.webSocket(ws).toBuilder().header("sec-websocket-protocol", "chat").build();

    assertThat(response.status()).isEqualTo(101);
    assertThat(response.webSocket()).containsSame(ws);
    assertThat(response.headers().get("sec-websocket-protocol")).contains("chat");
  }

  @ParameterizedTest
  @ValueSource(ints = {204, 205, 304})
  void nullBodyStatus_withABody_isRefused(int status) {
    assertThatThrownBy(() -> Response.builder(status).body("x").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Response with null body status (101, 204, 205, or 304)")
        .hasMessageContaining("got " + status);
  }

  @Test
  void webSocket_response_withABody_isRefused() {
    Response.Builder builder = Response.webSocket(new InertWebSocket()).toBuilder().body("x");

    assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void builder_bodyString_doesNotTouchHeaders() {
    Response response = Response.builder(501).body("nope").build();

    assertThat(response.statusText()).isEqualTo("Not Implemented");
    assertThat(response.headers().isEmpty()).isTrue();
    assertThat(response.text()).isEqualTo("nope");
  }

  @Test
  void builder_headersAndBodies() {
    Response response =
        Response.builder(200)
            .header("x-a", "1")
            .addHeader("X-A", "2")
            .body(new ByteArrayInputStream(new byte[] {1, 2, 3}))
            .build();

    assertThat(response.headers().get("x-a")).contains("1, 2");
    assertThat(response.body().replayable()).isFalse();
    assertThat(response.bytes()).containsExactly(1, 2, 3);
    assertThat(Response.builder(200).body(new byte[] {4}).build().bytes()).containsExactly(4);

    Response replaced = response.toBuilder().headers(Headers.of("y", "9")).build();
    assertThat(replaced.headers()).isEqualTo(Headers.of("y", "9"));
  }

  @Test
  void toBuilder_keepsStatusHeadersAndBody() {
    Response original = Response.builder(201).header("location", "/x").body("made").build();

    Response copy = original.toBuilder().build();

    assertThat(copy.status()).isEqualTo(201);
    assertThat(copy.statusText()).isEqualTo("Created");
    assertThat(copy.headers()).isEqualTo(original.headers());
    assertThat(copy.body()).isSameAs(original.body());
  }

  @Test
  void toString_showsStatusOnly() {
    assertThat(Response.ok("secret")).hasToString("Response[200 OK]");
  }
}
