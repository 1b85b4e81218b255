package dev.dobj.examples.counter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dobj.http.HttpFront;
import dev.dobj.runtime.DurableObjectRuntime;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The counter app served by a real HttpFront on a free port of 127.0.0.1. */
class CounterOverHttpTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final DurableObjectRuntime runtime =
      DurableObjectRuntime.builder()
          .bind(CounterWorker.BINDING, CounterObject.class, "counter-example-v1")
          .build();
  private final HttpFront front = HttpFront.builder(new CounterWorker(), runtime.env()).start();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(WAIT).build();

  @AfterEach
  void stop() {
    client.close();
    front.close();
    runtime.close();
  }

  @Test
  void plain() throws Exception {
    HttpResponse<String> response = send("GET", "/plain");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).contains("application/json");
    assertThat(response.body()).isEqualTo("{\"value\":42}");
  }

  @Test
  void noop() throws Exception {
    HttpResponse<String> response = send("GET", "/noop/a");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"name\":\"a\",\"value\":42}");
  }

  @Test
  void notFound_andMethodNotAllowed() throws Exception {
    assertThat(send("GET", "/missing").statusCode()).isEqualTo(404);
    assertThat(send("POST", "/plain").statusCode()).isEqualTo(405);
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(front.url().resolve(path))
            .method(method, BodyPublishers.noBody())
            .timeout(WAIT)
            .build(),
        BodyHandlers.ofString());
  }
}
