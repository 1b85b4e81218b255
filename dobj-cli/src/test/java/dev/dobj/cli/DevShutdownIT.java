package dev.dobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code dobj dev} of the counter example as a real process, stopped by a real signal while eight
 * clients increment four counters (two kept with the KV API, two with SQL): the process exits with
 * the signal's conventional code, says it stopped, and after a restart on the same data directory
 * (which must find the directory unlocked) every increment answered 200 is there, and no more than
 * were sent.
 *
 * <p>The server runs in a JVM of its own, started with this JVM's {@code java} and class path. Run:
 * {@code ./mvnw -pl dobj-cli -am verify -Dit.test=DevShutdownIT -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class DevShutdownIT {
  /** Failure bound for each wait on a server; a clean stop takes well under a second. */
  private static final Duration WAIT = DevServer.STOP_LIMIT.plusSeconds(10);

  /** The counter example's folder, set by the pom (the module's tests depend on its classes). */
  private static final Path COUNTER = Path.of(System.getProperty("dobj.counterExample"));

  private static final Pattern SERVING =
      Pattern.compile("dobj dev: serving counter on (http://127\\.0\\.0\\.1:\\d+) \\(.*\\)");

  private static final Pattern VALUE = Pattern.compile("\\{\"name\":\"[^\"]+\",\"value\":(\\d+)}");

  /** Counters under load, and how many clients increment each one. */
  private static final List<String> COUNTERS =
      List.of("/counter/a", "/counter/b", "/sqlcounter/a", "/sqlcounter/b");

  private static final int CLIENTS_PER_COUNTER = 2;

  /** Increments each counter must have had answered before the signal. */
  private static final int ACKS_BEFORE_SIGNAL = 10;

  /** The stop signals, with the exit code a shell reports for a process each one ended. */
  enum StopSignal {
    SIGTERM(143),
    SIGINT(130);

    final int exitCode;

    StopSignal(int exitCode) {
      this.exitCode = exitCode;
    }

    /**
     * SIGTERM through the process handle (not {@link Process#destroy()}, which also closes the
     * pipes the test reads); SIGINT with {@code kill}, as Ctrl-C does.
     */
    void sendTo(Process process) throws IOException, InterruptedException {
      if (this == SIGTERM) {
        assertThat(process.toHandle().destroy()).as("SIGTERM sent").isTrue();
        return;
      }
      Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start();
      assertThat(kill.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("kill -INT ended").isTrue();
      assertThat(kill.exitValue()).as("exit code of kill -INT").isZero();
    }
  }

  @TempDir Path temp;

  private final List<Process> started = new CopyOnWriteArrayList<>();

  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();

  /** Kills what a failed test left running, so it does not outlive the test. */
  @AfterEach
  void killServersLeftRunning() {
    client.close();
    started.forEach(Process::destroyForcibly);
  }

  @ParameterizedTest
  @EnumSource(StopSignal.class)
  void aSignalUnderLoad_stopsCleanly_andKeepsEveryAcknowledgedIncrement(StopSignal signal)
      throws Exception {
    Path data = temp.resolve("data");
    Server server = start(data, "first");
    List<Load> loads = new ArrayList<>();
    for (String counter : COUNTERS) {
      loads.add(new Load(counter));
    }
    List<Thread> clients = new ArrayList<>();
    for (Load load : loads) {
      for (int i = 0; i < CLIENTS_PER_COUNTER; i++) {
        clients.add(
            Thread.ofPlatform()
                .name("client " + load.counter + " " + i)
                .start(() -> load.incrementUntilRefused(server)));
      }
    }
    for (Load load : loads) {
      load.awaitAcks();
    }

    signal.sendTo(server.process);

    assertThat(server.process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS))
        .as("the server exited within %s of %s; stderr: %s", WAIT, signal, server.stderr())
        .isTrue();
    assertThat(server.process.exitValue())
        .as("exit code after %s; stderr: %s", signal, server.stderr())
        .isEqualTo(signal.exitCode);
    assertThat(server.nextLine())
        .isEqualTo("dobj dev: stopping on " + signal + " (a second signal exits at once)");
    assertThat(server.nextLine()).isEqualTo("dobj dev: stopped");
    assertThat(server.stderr()).doesNotContain("ERROR", "Exception", "still stopping");
    for (Thread c : clients) {
      c.join(WAIT.toMillis());
      assertThat(c.isAlive()).as("%s ended once the server was gone", c.getName()).isFalse();
    }
    for (Load load : loads) {
      assertThat(load.malformed).as("bodies of 200s to %s/inc", load.counter).isEmpty();
    }
    assertUnlocked(data);

    Server restarted = start(data, "restarted");
    for (Load load : loads) {
      long value = restarted.value(load.counter + "/get");
      assertThat(value)
          .as("%s after the restart", load.counter)
          .isGreaterThanOrEqualTo(load.acked.get())
          .isGreaterThanOrEqualTo(load.highestAnswered.get())
          .isLessThanOrEqualTo(load.attempted.get());
    }
    StopSignal.SIGTERM.sendTo(restarted.process);
    assertThat(restarted.process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(restarted.process.exitValue()).isEqualTo(StopSignal.SIGTERM.exitCode);
  }

  // ---- fixtures -----------------------------------------------------------------------------

  /** Increments of one counter by its clients: what was sent and what was answered 200. */
  private final class Load {
    final String counter;
    final AtomicLong attempted = new AtomicLong();
    final AtomicLong acked = new AtomicLong();
    final AtomicLong highestAnswered = new AtomicLong();
    final CountDownLatch enoughAcks = new CountDownLatch(ACKS_BEFORE_SIGNAL);
    final List<String> failures = new CopyOnWriteArrayList<>();
    final List<String> malformed = new CopyOnWriteArrayList<>();
    final AtomicBoolean refused = new AtomicBoolean();

    Load(String counter) {
      this.counter = counter;
    }

    /**
     * Sends increments one after the other until the server refuses a connection (it stopped
     * listening). Answers other than 200 (a 503 while it stops) and cut connections count as sent,
     * not acknowledged.
     */
    void incrementUntilRefused(Server server) {
      URI inc = server.url.resolve(counter + "/inc");
      while (!refused.get()) {
        attempted.incrementAndGet();
        try {
          HttpResponse<String> response =
              client.send(
                  HttpRequest.newBuilder(inc).timeout(WAIT).build(), BodyHandlers.ofString());
          if (response.statusCode() == 200) {
            Matcher m = VALUE.matcher(response.body());
            if (!m.matches()) {
              malformed.add(response.body());
              continue;
            }
            highestAnswered.accumulateAndGet(Long.parseLong(m.group(1)), Math::max);
            acked.incrementAndGet();
            enoughAcks.countDown();
          } else {
            failures.add(response.statusCode() + " " + response.body());
          }
        } catch (java.net.ConnectException e) {
          refused.set(true);
        } catch (IOException e) {
          failures.add(e.toString());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    void awaitAcks() throws InterruptedException {
      if (!enoughAcks.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
        throw new AssertionError(
            counter
                + " had "
                + acked.get()
                + " increments answered 200 within "
                + WAIT
                + ", expected "
                + ACKS_BEFORE_SIGNAL
                + "; failures: "
                + failures);
      }
    }
  }

  /** A {@code dobj dev} process, serving once it printed its URL. */
  private record Server(Process process, URI url, BlockingQueue<String> stdout, Path stderrFile) {
    /** The next line on stdout; fails if none comes within {@link #WAIT}. */
    String nextLine() throws InterruptedException {
      String line = stdout.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      if (line == null) {
        throw new AssertionError("no line on stdout within " + WAIT + "; stderr: " + stderr());
      }
      return line;
    }

    String stderr() {
      try {
        return Files.readString(stderrFile);
      } catch (IOException e) {
        return "(unreadable: " + e + ")";
      }
    }

    /** The value a GET of {@code path} answers with 200. */
    long value(String path) throws Exception {
      try (HttpClient c = HttpClient.newHttpClient()) {
        HttpResponse<String> response =
            c.send(
                HttpRequest.newBuilder(url.resolve(path)).timeout(WAIT).build(),
                BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        Matcher m = VALUE.matcher(response.body());
        assertThat(m.matches()).as("body of GET %s: %s", path, response.body()).isTrue();
        return Long.parseLong(m.group(1));
      }
    }
  }

  /** Starts {@code dobj dev} of the counter example on {@code data} and waits until it serves. */
  private Server start(Path data, String name) throws Exception {
    List<String> command = new ArrayList<>();
    // A JVM started with SIGINT ignored (a shell without job control ran the build in the
    // background) keeps it ignored; give the server the default, as the ./dobj launcher does.
    if (defaultSignalIsAvailable()) {
      command.addAll(List.of("env", "--default-signal=INT"));
    }
    command.addAll(
        List.of(
            ProcessHandle.current().info().command().orElseThrow(),
            "-cp",
            System.getProperty("java.class.path"),
            "-Xshare:auto",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "--enable-native-access=ALL-UNNAMED",
            Main.class.getName(),
            "dev",
            COUNTER.toString(),
            "--port",
            "0",
            "--data",
            data.toString()));
    Path stderr = temp.resolve(name + ".stderr");
    Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    started.add(process);
    BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    Thread.ofPlatform()
        .daemon()
        .name(name + " stdout")
        .start(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  stdout.add(line);
                }
              } catch (IOException e) {
                stdout.add("(stdout unreadable: " + e + ")");
              }
            });
    Server starting = new Server(process, null, stdout, stderr);
    String first = starting.nextLine();
    Matcher serving = SERVING.matcher(first);
    assertThat(serving.matches())
        .as("first line of %s server: %s; stderr: %s", name, first, starting.stderr())
        .isTrue();
    return new Server(process, URI.create(serving.group(1)), stdout, stderr);
  }

  private static boolean defaultSignalIsAvailable() throws InterruptedException {
    try {
      Process probe = new ProcessBuilder("env", "--default-signal=INT", "true").start();
      return probe.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS) && probe.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** The data directory's lock file exists and nobody holds its lock. */
  private static void assertUnlocked(Path data) throws IOException {
    Path file = data.resolve(DataDirectoryLock.FILE_NAME);
    assertThat(file).exists();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock()) {
      assertThat(lock).as("the lock of %s, free after the stop", file).isNotNull();
    }
  }
}
