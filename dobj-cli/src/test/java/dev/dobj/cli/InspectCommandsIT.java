package dev.dobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dobj objects} and {@code dobj storage} against the counter example served by {@code dobj
 * dev} on a real port (through its admin endpoint), then against the stopped app's data directory.
 */
class InspectCommandsIT {
  private static final Path COUNTER = Path.of(System.getProperty("dobj.counterExample"));

  @TempDir Path temp;

  @Test
  void objectsAndStorage_workOnARunningApp_andOnAStoppedOne() throws Exception {
    String data = temp.resolve("data").toString();
    CountDownLatch stop = new CountDownLatch(1);
    LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Writer sink =
        new Writer() {
          private final StringBuilder line = new StringBuilder();

          @Override
          public void write(char[] c, int off, int len) {
            for (int i = off; i < off + len; i++) {
              if (c[i] == '\n') {
                lines.add(line.toString());
                line.setLength(0);
              } else {
                line.append(c[i]);
              }
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Shutdown signal =
        (command, limit, action) -> {
          try {
            stop.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          action.run();
          return 0;
        };
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Thread.ofPlatform()
        .start(
            () ->
                exit.complete(
                    Main.run(
                        new String[] {"dev", COUNTER.toString(), "--port", "0", "--data", data},
                        new PrintWriter(sink, true),
                        new PrintWriter(new StringWriter(), true),
                        signal)));
    String serving = lines.poll(30, TimeUnit.SECONDS);
    assertThat(serving).startsWith("dobj dev: serving counter on ");
    URI url = URI.create(serving.replaceAll(".* on (http://[^ ]+) .*", "$1") + "/");
    try (HttpClient client = HttpClient.newHttpClient()) {
      for (String path : new String[] {"counter/a/inc", "counter/a/inc", "sqlcounter/b/inc"}) {
        HttpResponse<String> r =
            client.send(
                HttpRequest.newBuilder(url.resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
      }

      Result objects = cli("objects", "COUNTER", "--app", COUNTER.toString(), "--data", data);
      assertThat(objects.code()).as(objects.err()).isZero();
      assertThat(objects.out()).contains("ID", "NAME", "STORAGE_BYTES", "ALARM").contains(" a ");

      Result json =
          cli("objects", "COUNTER", "--app", COUNTER.toString(), "--data", data, "--json");
      assertThat(json.out()).contains("\"name\":\"a\"").contains("\"alarm\":null");

      assertThat(
              cli(
                      "storage",
                      "COUNTER",
                      "a",
                      "get",
                      "value",
                      "--app",
                      COUNTER.toString(),
                      "--data",
                      data)
                  .out())
          .isEqualTo("2\n");
      assertThat(
              cli(
                      "storage",
                      "COUNTER",
                      "a",
                      "put",
                      "value",
                      "41",
                      "--app",
                      COUNTER.toString(),
                      "--data",
                      data)
                  .out())
          .isEqualTo("written value\n");
      HttpResponse<String> inc =
          client.send(
              HttpRequest.newBuilder(url.resolve("counter/a/inc")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(inc.body())
          .as("the running object sees the edit")
          .isEqualTo("{\"name\":\"a\",\"value\":42}");

      Result sql =
          cli(
              "storage",
              "SQL_COUNTER",
              "b",
              "sql",
              "SELECT name FROM sqlite_schema WHERE type = 'table'",
              "--app",
              COUNTER.toString(),
              "--data",
              data,
              "--json");
      assertThat(sql.code()).as(sql.err()).isZero();
      assertThat(sql.out()).contains("\"columns\":[\"name\"]");

      Result badPut =
          cli(
              "storage",
              "COUNTER",
              "a",
              "put",
              "value",
              "not json",
              "--app",
              COUNTER.toString(),
              "--data",
              data);
      assertThat(badPut.code()).isEqualTo(2);
      assertThat(badPut.err()).contains("put needs a JSON value");
    }
    stop.countDown();
    assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();

    // Stopped: the CLI takes the lock and runs the object itself.
    assertThat(
            cli(
                    "storage",
                    "COUNTER",
                    "a",
                    "get",
                    "value",
                    "--app",
                    COUNTER.toString(),
                    "--data",
                    data)
                .out())
        .isEqualTo("42\n");
    Result list =
        cli("storage", "COUNTER", "a", "list", "--app", COUNTER.toString(), "--data", data);
    assertThat(list.out()).contains("KEY").contains("value  42");
    assertThat(
            cli(
                    "storage",
                    "COUNTER",
                    "a",
                    "delete",
                    "value",
                    "--app",
                    COUNTER.toString(),
                    "--data",
                    data)
                .out())
        .isEqualTo("deleted value\n");
    assertThat(
            cli(
                    "storage",
                    "COUNTER",
                    "a",
                    "get",
                    "value",
                    "--app",
                    COUNTER.toString(),
                    "--data",
                    data)
                .out())
        .isEqualTo("(not found)\n");
  }

  private record Result(int code, String out, String err) {}

  private static Result cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            args,
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            (command, limit, stop) -> {
              throw new AssertionError("not a long-running command");
            });
    return new Result(code, out.toString(), err.toString());
  }
}
