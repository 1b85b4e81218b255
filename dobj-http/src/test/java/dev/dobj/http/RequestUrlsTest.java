package dev.dobj.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.eclipse.jetty.http.HttpURI;
import org.junit.jupiter.api.Test;

/**
 * The cached-origin path gives the very URI a whole-URL parse gives, or leaves it to that parse.
 */
class RequestUrlsTest {
  private final RequestUrls urls = new RequestUrls();

  @Test
  void theResolvedUri_equalsTheWholeUrlParse_partByPart() throws Exception {
    List<String> cases =
        List.of(
            "http://127.0.0.1:8787/plain",
            "http://127.0.0.1:8787/counter/a/inc",
            "http://127.0.0.1:8787/noop/a%20b?x=1&y=%2F",
            "http://localhost/",
            "https://example.com:8443/a/./b/../c?q",
            "http://[::1]:8080/v6/path?",
            "http://my_host:80/registry/authority",
            "ws://127.0.0.1:1/room/x?name=alice",
            "http://127.0.0.1:8787/%E2%82%AC/euro",
            "http://127.0.0.1:8787/a;b=c/d");
    for (String url : cases) {
      URI fast = urls.toUri(HttpURI.from(url));
      URI whole = new URI(HttpURI.from(url).asString());
      assertThat(fast).as(url).isNotNull().isEqualTo(whole);
      assertThat(fast.toString()).as(url).isEqualTo(whole.toString());
      assertThat(fast.getRawPath()).as(url).isEqualTo(whole.getRawPath());
      assertThat(fast.getPath()).as(url).isEqualTo(whole.getPath());
      assertThat(fast.getRawQuery()).as(url).isEqualTo(whole.getRawQuery());
      assertThat(fast.getHost()).as(url).isEqualTo(whole.getHost());
      assertThat(fast.getPort()).as(url).isEqualTo(whole.getPort());
      assertThat(fast.getRawAuthority()).as(url).isEqualTo(whole.getRawAuthority());
    }
  }

  @Test
  void whatOnlyTheWholeParseCanJudge_isLeftToIt() {
    for (String url :
        List.of(
            "http://h//double/slash", // would resolve as an authority
            "http://user@h/with/userinfo",
            "http://h/frag#ment",
            "http://h/pipe|char",
            "http://h/space in path")) {
      assertThat(urls.toUri(HttpURI.from(url))).as(url).isNull();
    }
    assertThat(urls.toUri(HttpURI.from("*"))).as("asterisk form").isNull();
    assertThat(urls.toUri(HttpURI.from("/origin/form/only"))).as("no origin").isNull();
  }

  @Test
  void origins_areKeptUpToTheLimit_thenForgottenAtOnce() {
    for (int i = 0; i < RequestUrls.MAX_ORIGINS; i++) {
      assertThat(urls.toUri(HttpURI.from("http://host" + i + ":80/p"))).isNotNull();
    }
    assertThat(urls.size()).isEqualTo(RequestUrls.MAX_ORIGINS);
    URI next = urls.toUri(HttpURI.from("http://another:8080/p?q"));
    assertThat(next).hasToString("http://another:8080/p?q");
    assertThat(urls.size()).isEqualTo(1);
  }
}
