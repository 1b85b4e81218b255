package dev.dobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dobj dev} (in this process) serves the runtime's meters in the Prometheus text format on a
 * loopback port of their own: scraped here over a real socket after some requests.
 */
class DevMetricsIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Path COUNTER = Path.of(System.getProperty("dobj.counterExample"));
  private static final Pattern SERVING =
      Pattern.compile(
          "dobj dev: serving counter on (http://127\\.0\\.0\\.1:\\d+) \\(.*?"
              + "(?:, metrics: (http://127\\.0\\.0\\.1:\\d+/metrics))?\\)");

  @TempDir Path temp;

  @Test
  void dev_servesPrometheusMetrics_onALoopbackPortOfItsOwn() throws Exception {
    try (Served served = serve("--port", "0");
        HttpClient client = HttpClient.newHttpClient()) {
      assertThat(served.metrics).as("the metrics URL on the serving line").isNotNull();
      assertThat(served.metrics.getPort()).isNotEqualTo(served.app.getPort());
      for (int i = 0; i < 3; i++) {
        assertThat(get(client, served.app.resolve("/counter/a/inc")).statusCode()).isEqualTo(200);
      }
      assertThat(get(client, served.app.resolve("/noop/b")).statusCode()).isEqualTo(200);

      HttpResponse<String> scrape = get(client, served.metrics);
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
      String text = scrape.body();
      assertThat(text)
          .contains("dobj_calls_total{method=\"increment\",namespace=\"COUNTER\"} 3.0")
          .contains("dobj_calls_total{method=\"noop\",namespace=\"COUNTER\"} 1.0")
          .contains("dobj_objects_active{namespace=\"COUNTER\"} 2.0")
          .contains("dobj_objects_active{namespace=\"SQL_COUNTER\"} 0.0")
          .contains("dobj_objects_hibernated{namespace=\"COUNTER\"}")
          .contains("dobj_websockets_open{namespace=\"COUNTER\"}")
          .contains("dobj_queue_depth{namespace=\"COUNTER\"}")
          .contains("dobj_queue_wait_seconds_count{namespace=\"COUNTER\"}")
          .contains("dobj_alarms_pending{namespace=\"COUNTER\"}")
          .contains("dobj_resets_total{cause=\"commit_failure\",namespace=\"COUNTER\"} 0.0")
          .contains("dobj_overloaded_total{namespace=\"COUNTER\",reason=\"queue_full\"} 0.0")
          .contains("dobj_storage_commit_turns_count{namespace=\"COUNTER\"}")
          .contains("dobj_storage_commit_latency_seconds_count{namespace=\"COUNTER\"}")
          .contains("dobj_output_gate_hold_seconds_count{namespace=\"COUNTER\"} 3")
          .contains("dobj_alarms_runs_total{namespace=\"COUNTER\",outcome=\"success\"} 0.0")
          .contains("jvm_memory_used_bytes");

      HttpResponse<String> elsewhere = get(client, served.metrics.resolve("/"));
      assertThat(elsewhere.statusCode()).isEqualTo(404);
      assertThat(elsewhere.body()).contains("/metrics");
    }
  }

  @Test
  void dev_withNoMetrics_servesNoEndpoint() throws Exception {
    try (Served served = serve("--port", "0", "--no-metrics")) {
      assertThat(served.metrics).isNull();
    }
  }

  @Test
  void metricsPort_inDobjToml_isUsed_andTheOptionWinsOverIt() throws Exception {
    int filePort = freePort();
    Path app = temp.resolve("app");
    java.nio.file.Files.createDirectories(app);
    String toml = java.nio.file.Files.readString(COUNTER.resolve(DobjToml.FILE_NAME));
    java.nio.file.Files.writeString(
        app.resolve(DobjToml.FILE_NAME), toml + "metrics_port = " + filePort + "\n");
    try (Served served = serveApp(app, "--port", "0")) {
      assertThat(served.metrics).as("the metrics URL on the serving line").isNotNull();
      assertThat(served.metrics.getPort()).isEqualTo(filePort);
    }
    int optionPort = freePort();
    try (Served served = serveApp(app, "--port", "0", "--metrics-port", "" + optionPort)) {
      assertThat(served.metrics.getPort()).isEqualTo(optionPort);
    }
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  // ---- fixtures -----------------------------------------------------------------------------

  private static HttpResponse<String> get(HttpClient client, URI uri) throws Exception {
    return client.send(HttpRequest.newBuilder(uri).timeout(WAIT).build(), BodyHandlers.ofString());
  }

  /** A {@code dobj dev} in this process; closing fires its shutdown signal and awaits exit 0. */
  private record Served(
      URI app, URI metrics, CountDownLatch signal, CompletableFuture<Integer> exit)
      implements AutoCloseable {
    @Override
    public void close() throws Exception {
      signal.countDown();
      assertThat(exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("exit code").isZero();
    }
  }

  private Served serve(String... options) throws Exception {
    return serveApp(COUNTER, options);
  }

  private Served serveApp(Path appDir, String... options) throws Exception {
    String[] args = new String[options.length + 4];
    args[0] = "dev";
    args[1] = appDir.toString();
    args[2] = "--data";
    args[3] = temp.resolve("data").toString();
    System.arraycopy(options, 0, args, 4, options.length);
    CountDownLatch signal = new CountDownLatch(1);
    CompletableFuture<String> firstLine = new CompletableFuture<>();
    StringWriter err = new StringWriter();
    PrintWriter out =
        new PrintWriter(
            new StringWriter() {
              @Override
              public void flush() {
                String s = toString();
                int newline = s.indexOf('\n');
                if (newline >= 0) {
                  firstLine.complete(s.substring(0, newline).strip());
                }
              }
            });
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Shutdown shutdown =
        (command, limit, stop) -> {
          try {
            if (!signal.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
              throw new AssertionError("the test never fired the shutdown signal");
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for the shutdown signal", e);
          }
          stop.run();
          return 0;
        };
    Thread.ofPlatform()
        .name("dobj-dev-under-test")
        .start(
            () -> {
              try {
                exit.complete(Main.run(args, out, new PrintWriter(err), shutdown));
              } catch (Throwable t) {
                exit.completeExceptionally(t);
              }
              firstLine.complete("(exited: " + err + ")");
            });
    String line = firstLine.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    Matcher m = SERVING.matcher(line);
    assertThat(m.matches()).as("first line: %s", line).isTrue();
    return new Served(
        URI.create(m.group(1)), m.group(2) == null ? null : URI.create(m.group(2)), signal, exit);
  }
}
