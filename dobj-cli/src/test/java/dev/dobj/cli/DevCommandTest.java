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
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
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
          "dobj dev: serving \\S+ on (http://127\\.0\\.0\\.1:\\d+) \\(data: (.+), durability:"
              + " (fsync|os)(?:, metrics: (http://127\\.0\\.0\\.1:\\d+/metrics))?\\)");

  /** The shutdown signals of the servers started by the current test, fired after it. */
  private final List<Signal> servers = new CopyOnWriteArrayList<>();

  @TempDir Path temp;

  /** Stops the servers a failed test left running, so they do not outlive it. */
  @AfterEach
  void stopServersLeftRunning() {
    servers.forEach(Signal::fire);
  }

  @Test
  void dev_servesTheCounterExample_andStopsCleanlyOnTheSignal() throws Exception {
    Path data = temp.resolve("data");
    Served served = serve("dev", COUNTER.toString(), "--port", "0", "--data", data.toString());

    assertThat(served.dataDir()).isEqualTo(data.toString());
    assertThat(served.durability()).isEqualTo("fsync");
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpResponse<String> plain = get(client, served.url().resolve("/plain"));
      assertThat(plain.statusCode()).isEqualTo(200);
      assertThat(plain.body()).isEqualTo("{\"value\":42}");
      assertThat(get(client, served.url().resolve("/noop/a")).body())
          .isEqualTo("{\"name\":\"a\",\"value\":42}");
    }

    served.stop();
    assertRefused(served.url().getPort());
  }

  @Test
  void devWatch_reloadsTheAppWhenItsFilesChange_andSaysWhatHappened() throws Exception {
    Path app = temp.resolve("app");
    ReloadApps.reset();
    ReloadApps.write(app, "v1", "");
    Served served = serve("dev", app.toString(), "--port", "0", "--no-metrics", "--watch");
    try (HttpClient client = HttpClient.newHttpClient()) {
      assertThat(body(client, served.url().resolve("/count/a"))).isEqualTo("v1 1");

      ReloadApps.write(app, "v2", "");
      assertThat(served.out().next()).matches("dobj dev: reloaded reloadapp in \\d+ ms");
      assertThat(body(client, served.url().resolve("/count/a"))).isEqualTo("v2 2");

      ReloadApps.write(app, "v3", "durability = \"os\"\n");
      assertThat(served.out().next())
          .matches(
              "dobj dev: reloaded reloadapp in \\d+ ms; the \\[dobj\\] settings changed in"
                  + " dobj.toml apply at the next start");
      assertThat(body(client, served.url().resolve("/version"))).isEqualTo("v3");

      Files.writeString(app.resolve(DobjToml.FILE_NAME), "name = \"reloadapp\"\nmain = 7\n");
      awaitErr(served, "not reloaded");
      assertThat(served.err().toString())
          .startsWith(
              "dobj dev: not reloaded, still serving the previous version: dobj.toml line 2");
      assertThat(body(client, served.url().resolve("/count/a"))).isEqualTo("v3 3");
    }
    served.shutdown().fire();
    assertThat(served.exit().get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("exit code").isZero();
    assertThat(served.out().next()).isEqualTo("dobj dev: stopped");
  }

  @Test
  void dev_keepsWhatWasWritten_acrossARestartOnTheSameDataDirectory() throws Exception {
    Path data = temp.resolve("not/yet/there");
    String[] args = {"dev", COUNTER.toString(), "--port", "0", "--data", data.toString()};

    Served first = serve(args);
    assertThat(data.resolve(DataDirectoryLock.FILE_NAME)).exists();
    try (HttpClient client = HttpClient.newHttpClient()) {
      assertThat(body(client, first.url().resolve("/counter/a/inc")))
          .isEqualTo("{\"name\":\"a\",\"value\":1}");
      assertThat(body(client, first.url().resolve("/counter/a/inc")))
          .isEqualTo("{\"name\":\"a\",\"value\":2}");
      assertThat(body(client, first.url().resolve("/sqlcounter/a/inc")))
          .isEqualTo("{\"name\":\"a\",\"value\":1}");
    }
    first.stop();

    Served second = serve(args);
    try (HttpClient client = HttpClient.newHttpClient()) {
      assertThat(body(client, second.url().resolve("/counter/a/get")))
          .isEqualTo("{\"name\":\"a\",\"value\":2}");
      assertThat(body(client, second.url().resolve("/sqlcounter/a/get")))
          .isEqualTo("{\"name\":\"a\",\"value\":1}");
      assertThat(body(client, second.url().resolve("/counter/a/inc")))
          .isEqualTo("{\"name\":\"a\",\"value\":3}");
    }
    second.stop();
  }

  @Test
  void commitLogFalse_inDobjToml_fsyncsEachObjectsWal_withoutTheSharedLog() throws Exception {
    Path app = temp.resolve("app");
    Files.createDirectories(app);
    String toml = Files.readString(COUNTER.resolve(DobjToml.FILE_NAME));
    Files.writeString(app.resolve(DobjToml.FILE_NAME), toml + "commit_log = false\n");
    Path withLog = temp.resolve("with-log");
    Path withoutLog = temp.resolve("without-log");

    for (Path data : List.of(withLog, withoutLog)) {
      Path appDir = data == withLog ? COUNTER : app;
      Served served = serve("dev", appDir.toString(), "--port", "0", "--data", data.toString());
      try (HttpClient client = HttpClient.newHttpClient()) {
        assertThat(body(client, served.url().resolve("/counter/a/inc")))
            .isEqualTo("{\"name\":\"a\",\"value\":1}");
        assertThat(body(client, served.url().resolve("/sqlcounter/a/inc")))
            .isEqualTo("{\"name\":\"a\",\"value\":1}");
      }
      served.stop();
    }

    assertThat(withLog.resolve(".commit-log")).isDirectory();
    assertThat(withoutLog.resolve(".commit-log")).doesNotExist();
    Served again = serve("dev", app.toString(), "--port", "0", "--data", withoutLog.toString());
    try (HttpClient client = HttpClient.newHttpClient()) {
      assertThat(body(client, again.url().resolve("/counter/a/get")))
          .isEqualTo("{\"name\":\"a\",\"value\":1}");
    }
    again.stop();
  }

  @Test
  void historyDays_keepsAHistoryBesideEachObject_andZeroKeepsNone() throws Exception {
    Path kept = temp.resolve("kept");
    Path none = temp.resolve("none");
    for (Path data : List.of(kept, none)) {
      Served served =
          serve(
              "dev",
              COUNTER.toString(),
              "--port",
              "0",
              "--data",
              data.toString(),
              "--history-days",
              data == kept ? "3" : "0");
      try (HttpClient client = HttpClient.newHttpClient()) {
        assertThat(body(client, served.url().resolve("/counter/a/inc")))
            .isEqualTo("{\"name\":\"a\",\"value\":1}");
      }
      served.stop();
    }
    assertThat(historyDirectories(kept)).hasSize(1);
    assertThat(historyDirectories(none)).isEmpty();
  }

  private static List<Path> historyDirectories(Path data) throws IOException {
    try (var files = Files.walk(data)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".history")).toList();
    }
  }

  @Test
  void historyDaysBelowZero_exits2() {
    Result result = run("dev", COUNTER.toString(), "--history-days", "-1");

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err())
        .isEqualTo("dobj dev: --history-days must be 0 or more, got -1 (see 'dobj dev --help')\n");
  }

  @Test
  void durabilityOption_overridesTheFile() throws Exception {
    Served served =
        serve(
            "dev",
            COUNTER.toString(),
            "--port",
            "0",
            "--data",
            temp.toString(),
            "--durability",
            "os");

    assertThat(served.durability()).isEqualTo("os");
    served.stop();
  }

  @Test
  void aDataDirectoryInUse_exits1_namingTheOtherServer() throws Exception {
    String data = temp.resolve("data").toString();
    Served first = serve("dev", COUNTER.toString(), "--port", "0", "--data", data);

    Result second = run("dev", COUNTER.toString(), "--port", "0", "--data", data);

    assertThat(second.code()).isEqualTo(1);
    assertThat(second.err())
        .isEqualTo(
            "dobj dev: the data directory "
                + data
                + " is in use by another dobj dev (process "
                + ProcessHandle.current().pid()
                + "); stop it, or serve with another --data\n");
    try (HttpClient client = HttpClient.newHttpClient()) {
      assertThat(body(client, first.url().resolve("/counter/a/inc")))
          .isEqualTo("{\"name\":\"a\",\"value\":1}");
    }
    first.stop();
  }

  @Test
  void aDataDirectoryThatCannotBeCreated_exits1() throws Exception {
    Path file = Files.writeString(temp.resolve("a-file"), "not a directory");

    Result result = run("dev", COUNTER.toString(), "--port", "0", "--data", file.toString());

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err())
        .startsWith("dobj dev: cannot create the data directory " + file + " (")
        .endsWith("); choose another with --data or [dobj] data_dir\n")
        .hasLineCount(1);
  }

  @Test
  void badDurability_exits2() {
    Result result = run("dev", COUNTER.toString(), "--durability", "sometimes");

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err())
        .isEqualTo(
            "dobj dev: --durability must be fsync or os, got sometimes (see 'dobj dev --help')\n");
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
  void buildWithoutWatch_exits2() {
    Result result = run("dev", COUNTER.toString(), "--build", "make");

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err())
        .isEqualTo("dobj dev: --build goes with --watch (see 'dobj dev --help')\n");
  }

  @Test
  void devWatchBuild_runsTheBuildWhenTheSourcesChange_thenReloads() throws Exception {
    Path app = temp.resolve("app");
    Path staged = temp.resolve("v2");
    ReloadApps.reset();
    ReloadApps.write(staged, "v2", "");
    ReloadApps.write(app, "v1", "");
    Path source = Files.createDirectories(app.resolve("src/main")).resolve("App.txt");
    Files.writeString(source, "v1");
    // The "build" copies classes compiled beforehand, or fails when the source says so.
    String build =
        "grep -q fail '"
            + source
            + "' && { echo broken source; exit 3; }; echo building; cp -R '"
            + staged.resolve("target/classes")
            + "/.' '"
            + app.resolve("target/classes")
            + "'";
    Served served =
        serve("dev", app.toString(), "--port", "0", "--no-metrics", "--watch", "--build", build);
    try (HttpClient client = HttpClient.newHttpClient()) {
      assertThat(body(client, served.url().resolve("/version"))).isEqualTo("v1");

      Files.writeString(source, "fail");
      assertThat(served.out().next()).isEqualTo("dobj dev: sources changed, building: " + build);
      awaitErr(served, "still serving");
      assertThat(served.err().toString())
          .isEqualTo(
              "broken source\n"
                  + "dobj dev: the build failed (exit 3); still serving the previous version\n");
      assertThat(body(client, served.url().resolve("/version"))).isEqualTo("v1");

      Files.writeString(source, "v2");
      assertThat(served.out().next()).isEqualTo("dobj dev: sources changed, building: " + build);
      assertThat(served.out().next()).matches("dobj dev: reloaded reloadapp in \\d+ ms");
      assertThat(body(client, served.url().resolve("/version"))).isEqualTo("v2");
      assertThat(served.err().toString()).endsWith("previous version\nbuilding\n");
    }
    served.shutdown().fire();
    assertThat(served.exit().get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("exit code").isZero();
    assertThat(served.out().next()).isEqualTo("dobj dev: stopped");
  }

  /** Waits until {@code served} printed {@code text} on stderr. */
  private static void awaitErr(Served served, String text) throws InterruptedException {
    assertThat(served.err().awaitContaining(text, WAIT))
        .as("stderr within %s: %s", WAIT, served.err())
        .isTrue();
  }

  /** A {@link StringWriter} whose text can be awaited: every write wakes the waiters. */
  private static final class Text extends StringWriter {
    @Override
    public synchronized void write(int c) {
      super.write(c);
      notifyAll();
    }

    @Override
    public synchronized void write(char[] chars, int offset, int length) {
      super.write(chars, offset, length);
      notifyAll();
    }

    @Override
    public synchronized void write(String text) {
      super.write(text);
      notifyAll();
    }

    @Override
    public synchronized void write(String text, int offset, int length) {
      super.write(text, offset, length);
      notifyAll();
    }

    @Override
    public synchronized String toString() {
      return super.toString();
    }

    /** Waits until the text contains {@code part}; false if it did not within {@code limit}. */
    synchronized boolean awaitContaining(String part, Duration limit) throws InterruptedException {
      long deadline = System.nanoTime() + limit.toNanos();
      while (!super.toString().contains(part)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return true;
    }
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
            (command, limit, stop) -> {
              throw new AssertionError("the command should have failed before serving");
            });
    return new Result(code, out.toString(), err.toString().replace(System.lineSeparator(), "\n"));
  }

  /**
   * A {@code dobj dev} serving in this process until {@link #stop()}.
   *
   * @param dataDir and {@code durability}: as the first line of stdout shows them
   */
  private record Served(
      URI url,
      String dataDir,
      String durability,
      CompletableFuture<Integer> exit,
      Lines out,
      Text err,
      Signal shutdown) {
    /** Fires the shutdown signal; the command must exit 0, say it stopped, print no error. */
    void stop() throws Exception {
      shutdown.fire();
      assertThat(exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("exit code").isZero();
      assertThat(out.next()).isEqualTo("dobj dev: stopped");
      assertThat(err.toString()).isEmpty();
    }
  }

  /** Runs {@code args} (a {@code dev} command) until it prints that it serves. */
  private Served serve(String... args) throws Exception {
    Lines out = new Lines();
    Text err = new Text();
    Signal shutdown = new Signal();
    // A thread of its own: the command blocks until the signal, and the common pool may have one.
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Thread.ofPlatform()
        .name("dobj-dev-under-test")
        .start(
            () -> {
              try {
                exit.complete(Main.run(args, new PrintWriter(out), new PrintWriter(err), shutdown));
              } catch (Throwable t) {
                exit.completeExceptionally(t);
              }
            });
    servers.add(shutdown);
    String first = out.next(() -> "exit " + (exit.isDone() ? exit.join() : "pending") + ", " + err);
    Matcher serving = SERVING.matcher(first);
    assertThat(serving.matches()).as("first line: %s; stderr: %s", first, err).isTrue();
    return new Served(
        URI.create(serving.group(1)), serving.group(2), serving.group(3), exit, out, err, shutdown);
  }

  /** A shutdown signal the test fires, in place of SIGINT. */
  private static final class Signal implements Shutdown {
    private final CountDownLatch fired = new CountDownLatch(1);

    @Override
    public int awaitThen(String command, Duration limit, Runnable stop) {
      try {
        if (!fired.await(60, TimeUnit.SECONDS)) {
          throw new AssertionError("the test never fired the shutdown signal");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for the shutdown signal", e);
      }
      stop.run();
      return 0;
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
      return next(() -> "");
    }

    /** The next line; if none comes in time, fails with {@code context} (what else is known). */
    String next(Supplier<String> context) throws InterruptedException {
      String line = lines.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      if (line == null) {
        throw new AssertionError("no line on stdout within " + WAIT + "; " + context.get());
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

  /** The body of a GET of {@code uri}, which must answer 200. */
  private static String body(HttpClient client, URI uri) throws Exception {
    HttpResponse<String> response = get(client, uri);
    assertThat(response.statusCode()).as("GET %s: %s", uri, response.body()).isEqualTo(200);
    return response.body();
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
