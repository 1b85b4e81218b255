package dev.dobj.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestTest {

  @Test
  void get_makesAGetWithNoHeadersAndNoBody() {
    Request request = Request.get("https://example.com/a?b=c");

    assertThat(request.method()).isEqualTo("GET");
    assertThat(request.url()).isEqualTo(URI.create("https://example.com/a?b=c"));
    assertThat(request.headers()).isEqualTo(Headers.empty());
    assertThat(request.body().isEmpty()).isTrue();
    assertThat(request.text()).isEmpty();
    assertThat(request.webSocket()).isEmpty();
  }

  @Test
  void method_isUpperCased() {
    assertThat(Request.builder("patch", "http://h/").build().method()).isEqualTo("PATCH");
    assertThat(Request.builder("x-Custom", "http://h/").build().method()).isEqualTo("X-CUSTOM");
  }

  @Test
  void method_mustBeAToken() {
    assertThatThrownBy(() -> Request.builder("GE T", "http://h/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"GE T\"")
        .hasMessageContaining("HTTP token");
    assertThatThrownBy(() -> Request.builder("", "http://h/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("non-empty");
  }

  @ParameterizedTest
  @ValueSource(strings = {"CONNECT", "trace", "Track"})
  void method_forbiddenByFetch_isRefused(String method) {
    assertThatThrownBy(() -> Request.builder(method, "http://h/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Fetch forbids");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"http://h/", "https://h:8443/x", "ws://h/socket", "WSS://h/", "http://a_b/"})
  void url_withASupportedSchemeAndHost_isAccepted(String url) {
    assertThat(Request.get(url).url()).isEqualTo(URI.create(url));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/relative", "ftp://h/", "mailto:a@b.c", "http:opaque", "file:///etc/x"})
  void url_thatIsNotAbsoluteHttpOrWs_isRefusedNamingIt(String url) {
    assertThatThrownBy(() -> Request.get(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + url + "\"")
        .hasMessageContaining("absolute, with a host and the scheme http, https, ws or wss");
  }

  @Test
  void url_thatDoesNotParse_isRefusedNamingIt() {
    assertThatThrownBy(() -> Request.get("http://h/a b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"http://h/a b\"")
        .hasMessageContaining("Illegal character");
  }

  @Test
  void builder_acceptsAUri() {
    Request request = Request.builder("post", URI.create("http://h/x")).body("1").build();

    assertThat(request.url()).hasPath("/x");
    assertThat(request.method()).isEqualTo("POST");
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET", "head"})
  void getOrHead_withABody_isRefused(String method) {
    assertThatThrownBy(() -> Request.builder(method, "http://h/").body("x").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Request with a GET or HEAD method cannot have a body.");
  }

  @Test
  void get_withAStreamOfUnknownLength_isRefused_butAnEmptyBodyIsFine() {
    assertThatThrownBy(
            () ->
                Request.builder("GET", "http://h/")
                    .body(new ByteArrayInputStream(new byte[0]))
                    .build())
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(Request.builder("GET", "http://h/").body("").build().body().isEmpty()).isTrue();
    assertThat(
            Request.builder("GET", "http://h/")
                .body(Body.ofStream(new ByteArrayInputStream(new byte[0]), OptionalLong.of(0)))
                .build()
                .method())
        .isEqualTo("GET");
  }

  @Test
  void headers_setAddAndReplace() {
    Request request =
        Request.builder("POST", "http://h/")
            .header("X-A", "1")
            .addHeader("x-a", "2")
            .header("x-b", "3")
            .header("x-b", "4")
            .build();

    assertThat(request.headers().getAll("x-a")).containsExactly("1", "2");
    assertThat(request.headers().getAll("x-b")).containsExactly("4");

    Request replaced = request.toBuilder().headers(Headers.of("x-c", "5")).build();
    assertThat(replaced.headers()).isEqualTo(Headers.of("x-c", "5"));
  }

  @Test
  void bodies_fromEveryKind() {
    assertThat(Request.builder("POST", "http://h/").body("é").build().bytes())
        .containsExactly(0xC3, 0xA9);
    assertThat(Request.builder("POST", "http://h/").body(new byte[] {7}).build().bytes())
        .containsExactly(7);
    Request streamed =
        Request.builder("POST", "http://h/")
            .body(new ByteArrayInputStream(new byte[] {1, 2}))
            .build();
    assertThat(streamed.body().replayable()).isFalse();
    assertThat(streamed.bytes()).containsExactly(1, 2);
  }

  @Test
  void toBuilder_copiesEverything_andCanChangeMethodAndUrl() {
    WebSocket ws = new InertWebSocket();
    Request original =
        Request.builder("PUT", "http://h/a").header("x", "1").body("b").webSocket(ws).build();

    Request moved = original.toBuilder().url("https://other/b").build();

    assertThat(moved.method()).isEqualTo("PUT");
    assertThat(moved.url()).isEqualTo(URI.create("https://other/b"));
    assertThat(moved.headers()).isEqualTo(original.headers());
    assertThat(moved.body()).isSameAs(original.body());
    assertThat(moved.webSocket()).containsSame(ws);
    assertThat(original.toBuilder().method("get").body(Body.empty()).build().method())
        .isEqualTo("GET");
  }

  @Test
  void webSocket_isCarriedByTheUpgradeRequest() {
    WebSocket ws = new InertWebSocket();

    Request request = Request.builder("GET", "ws://h/").webSocket(ws).build();

    assertThat(request.webSocket()).containsSame(ws);
  }

  @Test
  void toString_showsMethodAndUrlOnly() {
    Request request =
        Request.builder("POST", "http://h/p")
            .header("authorization", "secret")
            .body("body")
            .build();

    assertThat(request).hasToString("Request[POST http://h/p]");
  }

  @Test
  void nulls_areRefused() {
    assertThatThrownBy(() -> Request.get(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("url");
    assertThatThrownBy(() -> Request.builder("GET", "http://h/").body((Body) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("body");
  }
}
