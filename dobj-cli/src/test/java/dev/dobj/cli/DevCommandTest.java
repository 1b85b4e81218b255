package dev.dobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code dobj} command in process: {@code dev} serves the counter example and stops cleanly on
 * the shutdown signal; user errors exit 2 with one line on stderr.
 */
class DevCommandTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** The counter example's folder, set by the pom (the module's tests depend on its classes). */
  private static final Path COUNTER = Path.of(System.getProperty("dobj.counterExample"));

  private static final Pattern SERVING =
      Pattern.compile(
          "dobj dev: serving counter on (http://127\\.0\\.0\\.1:\\d+) \\(data: (.+), durability:"
              + " fsync\\)");

  @TempDir Path temp;

  @Test
  void dev_servesTheCounterExample_andStopsCleanlyOnTheSignal() throws Exception {
    Lines out = new Lines();
    StringWriter err = new StringWriter();
    Signal shutdown = new Signal();

    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () ->
                Main.run(
                    new String[] {"dev", COUNTER.toString(), "--port", "0"},
                    new PrintWriter(out),
                    new PrintWriter(err),
                    shutdown));

    String first = out.next();
    Matcher serving = SERVING.matcher(first);
    assertThat(serving.matches()).as("first line: %s; stderr: %s", first, err).isTrue();
    assertThat(serving.group(2)).endsWith(".dobj");
    URI url = URI.create(serving.group(1));
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpResponse<String> plain = get(client, url.resolve("/plain"));
      assertThat(plain.statusCode()).isEqualTo(200);
      assertThat(plain.body()).isEqualTo("{\"value\":42}");
      assertThat(get(client, url.resolve("/noop/a")).body())
          .isEqualTo("{\"name\":\"a\",\"value\":42}");
    }

    shutdown.fire();
    assertThat(exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
    assertThat(out.next()).isEqualTo("dobj dev: stopped");
    assertThat(err.toString()).isEmpty();
    assertRefused(url.getPort());
  }

  @Test
  void brokenConfig_exits2_withOneLineNamingKeyAndLine() throws Exception {
    Files.writeString(
        temp.resolve("dobj.toml"),
        """
        name = "x"
        main = "com.example.W"

        [[durable_objects.bindings]]
        name = "A"
        class = "AObject"
        """);

    Result result = run("dev", temp.toString());

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err())
        .isEqualTo(
            "dobj dev: dobj.toml line 6: unknown key \"class\" in [[durable_objects.bindings]];"
                + " expected name, class_name, unique_key\n");
  }

  @Test
  void missingWorkerClass_exits2_namingTheLineOfMain() throws Exception {
    Files.writeString(temp.resolve("dobj.toml"), "name = \"x\"\nmain = \"com.example.Missing\"\n");

    Result result = run("dev", temp.toString(), "--port", "0");

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err())
        .startsWith(
            "dobj dev: dobj.toml line 2: main = \"com.example.Missing\": class"
                + " com.example.Missing not found in ")
        .hasLineCount(1);
  }

  @Test
  void objectClassThatIsNotADurableObject_exits2() throws Exception {
    Files.writeString(
        temp.resolve("dobj.toml"),
        """
        name = "x"
        main = "dev.dobj.examples.counter.CounterWorker"
        [[durable_objects.bindings]]
        name = "COUNTER"
        class_name = "CounterValue"
        """);

    Result result = run("dev", temp.toString(), "--port", "0");

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err())
        .isEqualTo(
            "dobj dev: dobj.toml line 5: class_name = \"CounterValue\" of binding COUNTER is not a"
                + " Durable Object: dev.dobj.examples.counter.CounterValue must extend"
                + " dev.dobj.DurableObject\n");
  }

  @Test
  void missingDobjToml_exits2() {
    Result result = run("dev", temp.toString());

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err())
        .isEqualTo(
            "dobj dev: no dobj.toml in "
                + temp
                + "; APP_DIR must be an app's folder, holding its dobj.toml\n");
  }

  @Test
  void badOption_exits2_withOneLine() {
    Result result = run("dev", COUNTER.toString(), "--port", "many");

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err())
        .isEqualTo(
            "dobj dev: Invalid value for option '--port': 'many' is not an int (see 'dobj dev"
                + " --help')\n");
  }

  @Test
  void portOutOfRange_exits2() {
    Result result = run("dev", COUNTER.toString(), "--port", "65536");

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err())
        .isEqualTo(
            "dobj dev: --port must be between 0 and 65535, got 65536 (see 'dobj dev --help')\n");
  }

  @Test
  void noCommand_exits2() {
    Result result = run();

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).startsWith("dobj: missing COMMAND").hasLineCount(1);
  }

  @Test
  void help_exits0_andListsDev() {
    Result result = run("--help");

    assertThat(result.code()).isZero();
    assertThat(result.out()).contains("Usage: dobj", "dev");
  }

  @Test
  void display_showsPathsInsideTheCurrentFolderRelatively() {
    Path here = Path.of("").toAbsolutePath();

    assertThat(DevCommand.display(here.resolve(".dobj"))).isEqualTo("./.dobj");
    assertThat(DevCommand.display(Path.of("examples/counter/.dobj")))
        .isEqualTo("./examples/counter/.dobj");
    assertThat(DevCommand.display(Path.of("/elsewhere/data"))).isEqualTo("/elsewhere/data");
  }

  // ---- fixtures -----------------------------------------------------------------------------

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            args,
            new PrintWriter(out),
            new PrintWriter(err),
            stop -> {
              throw new AssertionError("the command should have failed before serving");
            });
    return new Result(code, out.toString(), err.toString().replace(System.lineSeparator(), "\n"));
  }

  /** A shutdown signal the test fires, in place of SIGINT. */
  private static final class Signal implements Shutdown {
    private final CountDownLatch fired = new CountDownLatch(1);

    @Override
    public void awaitThen(Runnable stop) {
      try {
        if (!fired.await(60, TimeUnit.SECONDS)) {
          throw new AssertionError("the test never fired the shutdown signal");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for the shutdown signal", e);
      }
      stop.run();
    }

    void fire() {
      fired.countDown();
    }
  }

  /** A writer whose complete lines can be awaited one by one. */
  private static final class Lines extends Writer {
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public void write(char[] chars, int offset, int length) {
      for (int i = offset; i < offset + length; i++) {
        char c = chars[i];
        if (c == '\n') {
          lines.add(partial.toString());
          partial.setLength(0);
        } else if (c != '\r') {
          partial.append(c);
        }
      }
    }

    String next() throws InterruptedException {
      String line = lines.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      if (line == null) {
        throw new AssertionError("no line on stdout within " + WAIT);
      }
      return line;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  private static HttpResponse<String> get(HttpClient client, URI uri) throws Exception {
    return client.send(HttpRequest.newBuilder(uri).timeout(WAIT).build(), BodyHandlers.ofString());
  }

  private static void assertRefused(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      throw new AssertionError(
          "port " + port + " still accepts connections after dobj dev stopped");
    } catch (IOException refused) {
      // stopped, as it should be
    }
  }
}
