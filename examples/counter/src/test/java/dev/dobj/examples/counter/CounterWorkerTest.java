package dev.dobj.examples.counter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dobj.fetch.Request;
import dev.dobj.fetch.Response;
import dev.dobj.runtime.DurableObjectRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The counter Worker in process: its routes, through a real runtime, without HTTP. */
class CounterWorkerTest {
  private final DurableObjectRuntime runtime =
      DurableObjectRuntime.builder()
          .bind(CounterWorker.BINDING, CounterObject.class, "counter-example-v1")
          .build();
  private final CounterWorker worker = new CounterWorker();

  @AfterEach
  void closeRuntime() {
    runtime.close();
  }

  @Test
  void plain_answers42_withoutReachingAnObject() throws Exception {
    Response response = fetch("GET", "/plain");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.headers().get("content-type")).contains("application/json");
    assertThat(response.text()).isEqualTo("{\"value\":42}");
    assertThat(runtime.liveObjects(CounterWorker.BINDING)).isZero();
  }

  @Test
  void noop_answersFromTheNamedObject() throws Exception {
    Response response = fetch("GET", "/noop/a");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.headers().get("content-type")).contains("application/json");
    assertThat(response.text()).isEqualTo("{\"name\":\"a\",\"value\":42}");
    assertThat(runtime.liveObjects(CounterWorker.BINDING)).isEqualTo(1);
  }

  @Test
  void noop_escapesTheNameInTheJson() throws Exception {
    Response response = fetch("GET", "/noop/he%20said%20%22hi%22%5C%0A%01");

    assertThat(response.text())
        .isEqualTo("{\"name\":\"he said \\\"hi\\\"\\\\\\n\\u0001\",\"value\":42}");
  }

  @Test
  void headIsAnsweredLikeGet() throws Exception {
    assertThat(fetch("HEAD", "/plain").status()).isEqualTo(200);
  }

  @Test
  void unknownPaths_are404() throws Exception {
    for (String path : new String[] {"/", "/nope", "/noop/", "/noop/a/b", "/plain/x"}) {
      Response response = fetch("GET", path);

      assertThat(response.status()).as(path).isEqualTo(404);
      assertThat(response.text()).as(path).isEqualTo("{\"error\":\"not found\"}");
    }
  }

  @Test
  void otherMethods_are405_withAllow() throws Exception {
    for (String path : new String[] {"/plain", "/noop/a"}) {
      Response response = fetch("POST", path);

      assertThat(response.status()).as(path).isEqualTo(405);
      assertThat(response.headers().get("allow")).contains("GET, HEAD");
      assertThat(response.text()).isEqualTo("{\"error\":\"method not allowed\"}");
    }
  }

  private Response fetch(String method, String path) throws Exception {
    return worker.fetch(
        Request.builder(method, "http://counter.test" + path).build(), runtime.env());
  }
}
