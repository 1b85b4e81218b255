package dev.dobj.examples.counter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dobj.http.HttpFront;
import dev.dobj.runtime.DurableObjectRuntime;
import dev.dobj.spi.storage.Durability;
import dev.dobj.sqlite.SqliteStorageEngine;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The counter app served by a real HttpFront on a free port of 127.0.0.1, its objects' state in a
 * real {@link SqliteStorageEngine} on a temporary folder.
 */
class CounterOverHttpIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path data;

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(WAIT).build();
  private DurableObjectRuntime runtime;
  private HttpFront front;

  @BeforeEach
  void start() {
    runtime =
        DurableObjectRuntime.builder()
            .bind(CounterWorker.BINDING, CounterObject.class, "counter-example-v1")
            .bind(CounterWorker.SQL_BINDING, SqlCounterObject.class, "sql-counter-example-v1")
            .storage(new SqliteStorageEngine(data, Durability.FSYNC))
            .build();
    front = HttpFront.builder(new CounterWorker(), runtime.env()).start();
  }

  @AfterEach
  void stop() {
    // HTTP first, so no request reaches a closed runtime; the runtime closes the storage engine.
    front.close();
    runtime.close();
  }

  @AfterEach
  void closeClient() {
    client.close();
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
  void kvAndSqlCounters_countIndependently() throws Exception {
    assertThat(body("/counter/a/inc")).isEqualTo("{\"name\":\"a\",\"value\":1}");
    assertThat(body("/counter/a/inc")).isEqualTo("{\"name\":\"a\",\"value\":2}");
    assertThat(body("/sqlcounter/a/inc")).isEqualTo("{\"name\":\"a\",\"value\":1}");

    assertThat(body("/counter/a/get")).isEqualTo("{\"name\":\"a\",\"value\":2}");
    assertThat(body("/sqlcounter/a/get")).isEqualTo("{\"name\":\"a\",\"value\":1}");
  }

  @Test
  void increments_surviveARestartOfServerAndRuntime() throws Exception {
    body("/counter/a/inc");
    body("/counter/a/inc");
    body("/sqlcounter/a/inc");
    stop();

    start();

    assertThat(body("/counter/a/get")).isEqualTo("{\"name\":\"a\",\"value\":2}");
    assertThat(body("/sqlcounter/a/get")).isEqualTo("{\"name\":\"a\",\"value\":1}");
    assertThat(body("/sqlcounter/a/inc")).isEqualTo("{\"name\":\"a\",\"value\":2}");
  }

  @Test
  void notFound_andMethodNotAllowed() throws Exception {
    for (String path :
        new String[] {"/missing", "/counter/a", "/counter/a/b/inc", "/sqlcounter/"}) {
      assertThat(send("GET", path).statusCode()).as(path).isEqualTo(404);
    }
    for (String path : new String[] {"/plain", "/counter/a/inc", "/sqlcounter/a/inc"}) {
      HttpResponse<String> response = send("POST", path);

      assertThat(response.statusCode()).as(path).isEqualTo(405);
      assertThat(response.headers().firstValue("allow")).as(path).contains("GET, HEAD");
    }
    assertThat(body("/counter/a/get")).isEqualTo("{\"name\":\"a\",\"value\":0}");
    assertThat(body("/sqlcounter/a/get")).isEqualTo("{\"name\":\"a\",\"value\":0}");
  }

  private String body(String path) throws Exception {
    HttpResponse<String> response = send("GET", path);
    assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
    return response.body();
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
