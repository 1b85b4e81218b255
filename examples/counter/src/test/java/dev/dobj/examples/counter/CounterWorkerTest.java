package dev.dobj.examples.counter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dobj.fetch.Request;
import dev.dobj.fetch.Response;
import dev.dobj.runtime.DurableObjectRuntime;
import dev.dobj.spi.storage.Durability;
import dev.dobj.sqlite.SqliteStorageEngine;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The counter Worker in process: its routes, through a real runtime whose objects keep their state
 * in a real {@link SqliteStorageEngine} on a temporary folder, without HTTP.
 */
class CounterWorkerTest {
  @TempDir Path data;

  private final CounterWorker worker = new CounterWorker();
  private DurableObjectRuntime runtime;

  @AfterEach
  void closeRuntime() {
    if (runtime != null) {
      runtime.close();
    }
  }

  @Test
  void plain_answers42_withoutReachingAnObject() throws Exception {
    Response response = fetch("GET", "/plain");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.headers().get("content-type")).contains("application/json");
    assertThat(response.text()).isEqualTo("{\"value\":42}");
    assertThat(runtime().liveObjects(CounterWorker.BINDING)).isZero();
  }

  @Test
  void noop_answersFromTheNamedObject() throws Exception {
    Response response = fetch("GET", "/noop/a");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.headers().get("content-type")).contains("application/json");
    assertThat(response.text()).isEqualTo("{\"name\":\"a\",\"value\":42}");
    assertThat(runtime().liveObjects(CounterWorker.BINDING)).isEqualTo(1);
  }

  @Test
  void noop_escapesTheNameInTheJson() throws Exception {
    Response response = fetch("GET", "/noop/he%20said%20%22hi%22%5C%0A%01");

    assertThat(response.text())
        .isEqualTo("{\"name\":\"he said \\\"hi\\\"\\\\\\n\\u0001\",\"value\":42}");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/counter", "/sqlcounter"})
  void inc_addsOne_andAnswersTheNewValue(String prefix) throws Exception {
    assertThat(text(prefix + "/a/inc")).isEqualTo("{\"name\":\"a\",\"value\":1}");
    assertThat(text(prefix + "/a/inc")).isEqualTo("{\"name\":\"a\",\"value\":2}");

    Response response = fetch("GET", prefix + "/a/inc");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.headers().get("content-type")).contains("application/json");
    assertThat(response.text()).isEqualTo("{\"name\":\"a\",\"value\":3}");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/counter", "/sqlcounter"})
  void get_answersTheValue_withoutChangingIt(String prefix) throws Exception {
    assertThat(text(prefix + "/a/get")).isEqualTo("{\"name\":\"a\",\"value\":0}");
    text(prefix + "/a/inc");

    assertThat(text(prefix + "/a/get")).isEqualTo("{\"name\":\"a\",\"value\":1}");
    assertThat(text(prefix + "/a/get")).isEqualTo("{\"name\":\"a\",\"value\":1}");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/counter", "/sqlcounter"})
  void countersOfDifferentNames_areIndependent(String prefix) throws Exception {
    text(prefix + "/a/inc");
    text(prefix + "/a/inc");
    text(prefix + "/b/inc");

    assertThat(text(prefix + "/a/get")).isEqualTo("{\"name\":\"a\",\"value\":2}");
    assertThat(text(prefix + "/b/get")).isEqualTo("{\"name\":\"b\",\"value\":1}");
    assertThat(text(prefix + "/a%20b/inc")).isEqualTo("{\"name\":\"a b\",\"value\":1}");
  }

  @Test
  void kvAndSqlCounters_ofTheSameName_areIndependent() throws Exception {
    text("/counter/a/inc");
    text("/counter/a/inc");
    text("/sqlcounter/a/inc");

    assertThat(text("/counter/a/get")).isEqualTo("{\"name\":\"a\",\"value\":2}");
    assertThat(text("/sqlcounter/a/get")).isEqualTo("{\"name\":\"a\",\"value\":1}");
    assertThat(runtime().liveObjects(CounterWorker.BINDING)).isEqualTo(1);
    assertThat(runtime().liveObjects(CounterWorker.SQL_BINDING)).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}, {1}")
  @CsvSource({"/counter, FSYNC", "/counter, OS", "/sqlcounter, FSYNC", "/sqlcounter, OS"})
  void increments_surviveARuntimeRestart_onTheSameDataDirectory(
      String prefix, Durability durability) throws Exception {
    runtime = start(durability);
    text(prefix + "/a/inc");
    text(prefix + "/a/inc");
    text(prefix + "/b/inc");
    runtime.close();

    runtime = start(durability);

    assertThat(text(prefix + "/a/get")).isEqualTo("{\"name\":\"a\",\"value\":2}");
    assertThat(text(prefix + "/b/get")).isEqualTo("{\"name\":\"b\",\"value\":1}");
    assertThat(text(prefix + "/a/inc")).isEqualTo("{\"name\":\"a\",\"value\":3}");
  }

  @Test
  void headIsAnsweredLikeGet() throws Exception {
    assertThat(fetch("HEAD", "/plain").status()).isEqualTo(200);
    assertThat(fetch("HEAD", "/counter/a/get").status()).isEqualTo(200);
  }

  @Test
  void unknownPaths_are404() throws Exception {
    String[] paths = {
      "/",
      "/nope",
      "/noop/",
      "/noop/a/b",
      "/plain/x",
      "/counter",
      "/counter/",
      "/counter/a",
      "/counter/a/",
      "/counter//inc",
      "/counter/a/b/inc",
      "/counter/a/put",
      "/counter/a/inc/",
      "/sqlcounter/a",
      "/sqlcounter//get",
      "/sqlcounter/a/dec"
    };
    for (String path : paths) {
      Response response = fetch("GET", path);

      assertThat(response.status()).as(path).isEqualTo(404);
      assertThat(response.text()).as(path).isEqualTo("{\"error\":\"not found\"}");
    }
    assertThat(runtime().liveObjects(CounterWorker.BINDING)).isZero();
    assertThat(runtime().liveObjects(CounterWorker.SQL_BINDING)).isZero();
  }

  @Test
  void otherMethods_are405_withAllow_andChangeNothing() throws Exception {
    String[] paths = {
      "/plain",
      "/noop/a",
      "/counter/a/inc",
      "/counter/a/get",
      "/sqlcounter/a/inc",
      "/sqlcounter/a/get"
    };
    for (String method : new String[] {"POST", "PUT", "DELETE"}) {
      for (String path : paths) {
        Response response = fetch(method, path);

        assertThat(response.status()).as(method + " " + path).isEqualTo(405);
        assertThat(response.headers().get("allow")).contains("GET, HEAD");
        assertThat(response.text()).isEqualTo("{\"error\":\"method not allowed\"}");
      }
    }
    assertThat(text("/counter/a/get")).isEqualTo("{\"name\":\"a\",\"value\":0}");
    assertThat(text("/sqlcounter/a/get")).isEqualTo("{\"name\":\"a\",\"value\":0}");
  }

  // ---- fixtures -----------------------------------------------------------------------------

  private DurableObjectRuntime start(Durability durability) {
    return DurableObjectRuntime.builder()
        .bind(CounterWorker.BINDING, CounterObject.class, "counter-example-v1")
        .bind(CounterWorker.SQL_BINDING, SqlCounterObject.class, "sql-counter-example-v1")
        .storage(new SqliteStorageEngine(data, durability))
        .build();
  }

  private DurableObjectRuntime runtime() {
    if (runtime == null) {
      runtime = start(Durability.FSYNC);
    }
    return runtime;
  }

  private Response fetch(String method, String path) throws Exception {
    return worker.fetch(
        Request.builder(method, "http://counter.test" + path).build(), runtime().env());
  }

  /** The body of a GET of {@code path}, which must answer 200. */
  private String text(String path) throws Exception {
    Response response = fetch("GET", path);
    String body = response.text();
    assertThat(response.status()).as("GET %s: %s", path, body).isEqualTo(200);
    return body;
  }
}
