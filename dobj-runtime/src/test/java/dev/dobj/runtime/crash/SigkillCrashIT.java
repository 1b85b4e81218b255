package dev.dobj.runtime.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.dobj.spi.storage.Durability;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real server JVM ({@link CrashServer}) with SIGKILL under load, again and again on one
 * data directory, and checks after every restart what DESIGN.md section 3 promises for both
 * durabilities (each survives a crash of the process; the cycles alternate FSYNC and OS):
 *
 * <ul>
 *   <li>no acknowledged write is lost: KV "n" is at least the number of acknowledged INCs of its
 *       object and at least the highest value one returned, and every acknowledged request id is in
 *       SQL table {@code applied};
 *   <li>a turn's writes commit together: "n" equals the rows of {@code applied} (KV and SQL), and
 *       each {@code put(Map)} of five keys plus its SQL row is all there or all absent;
 *   <li>alarms fire: every acknowledged alarm runs, before the kill or (late) after the restart,
 *       and the write of a run that was seen stays.
 * </ul>
 *
 * <p>The load is 8 client threads sending INC (70%) and BATCH (30%) to 10 objects and to one object
 * new in each cycle (its file is created under load), plus three ALARMs per cycle. The kill comes
 * 50-400 ms after the first acknowledgement. Every other pair of cycles runs a "tight" engine (32
 * KiB checkpoint threshold, 3 open connections) so that kills also land in checkpoints and
 * connection evictions. Everything random is seeded ({@code -Ddobj.crash.seed}); the interleaving
 * of threads is not. The ledger of acknowledgements is checked in full after the last restart.
 *
 * <p>Run: {@code ./mvnw -pl dobj-runtime -am verify -Dtest=none -Dit.test=SigkillCrashIT
 * -Dsurefire.failIfNoSpecifiedTests=false} (20 kills); add {@code -Pcrash-long} for 200 kills, or
 * {@code -Ddobj.crash.kills=N}.
 */
class SigkillCrashIT {
  private static final int CLIENTS = 8;
  private static final int ALARMS_PER_CYCLE = 3;
  private static final List<String> OBJECTS =
      List.of(
          "obj-0", "obj-1", "obj-2", "obj-3", "obj-4", "obj-5", "obj-6", "obj-7", "obj-8", "obj-9");

  /** Failure bound for every wait on the server. */
  private static final long WAIT_SECONDS = 60;

  /** Kept when the test fails: the data directory and a log per server run (server-N.log). */
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path work;

  private final Map<String, Target> ledger = new LinkedHashMap<>();
  private final Stats stats = new Stats();
  private Server current;

  {
    OBJECTS.forEach(o -> ledger.put(o, new Target()));
  }

  /** What the clients were told about one object. */
  private static final class Target {
    final Set<String> sentIds = ConcurrentHashMap.newKeySet();
    final Set<String> ackedIds = ConcurrentHashMap.newKeySet();
    final AtomicLong maxAckedN = new AtomicLong();
    final Map<String, Long> ackedBatches = new ConcurrentHashMap<>();
    final Set<String> pendingAlarms = ConcurrentHashMap.newKeySet();
    final Set<String> confirmedFires = new HashSet<>();
  }

  private static final class Stats {
    int kills;
    final AtomicLong ackedIncs = new AtomicLong();
    final AtomicLong ackedBatches = new AtomicLong();
    final AtomicLong ackedAlarms = new AtomicLong();
    long idChecks;
    long batchChecks;
    long alarmsChecked;
    long alarmsFiredAfterRestart;
  }

  private record Server(Process process, int port, Path log, int boot) {
    long pid() {
      return process.pid();
    }
  }

  @AfterEach
  void killLeftovers() throws InterruptedException {
    if (current != null && current.process().isAlive()) {
      current.process().destroyForcibly();
      current.process().waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }

  @Test
  void acknowledgedWritesSurviveSigkill_batchesAreWhole_andAlarmsFire(TestReporter reporter)
      throws Exception {
    int kills = Integer.getInteger("dobj.crash.kills", 20);
    long seed = Long.getLong("dobj.crash.seed", 0x5EED_C0FFEEL);
    Random random = new Random(seed);
    long started = System.nanoTime();
    for (int cycle = 0; cycle < kills; cycle++) {
      Durability durability = cycle % 2 == 0 ? Durability.FSYNC : Durability.OS;
      boolean tight = cycle % 4 >= 2;
      current = start(durability, tight, cycle);
      verify(current, recentObjects(cycle), "restart " + cycle + describe(durability, tight));
      ledger.put(freshObject(cycle), new Target());
      load(current, cycle, random.nextLong(), 50 + random.nextInt(351));
    }
    current = start(Durability.FSYNC, false, kills);
    verify(current, ledger.keySet(), "the final restart");
    kill(current);

    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    String summary =
        String.format(
            Locale.ROOT,
            "SIGKILL crash test (seed %d): %d kills in %d s; acknowledged INCs %d (request-id"
                + " checks %d), acknowledged BATCHes %d (batch checks %d), acknowledged ALARMs %d"
                + " (checked %d, fired after a restart %d)",
            seed,
            stats.kills,
            seconds,
            stats.ackedIncs.get(),
            stats.idChecks,
            stats.ackedBatches.get(),
            stats.batchChecks,
            stats.ackedAlarms.get(),
            stats.alarmsChecked,
            stats.alarmsFiredAfterRestart);
    reporter.publishEntry("crash-summary", summary);
    org.slf4j.LoggerFactory.getLogger(SigkillCrashIT.class).info(summary);
    assertThat(stats.kills).isEqualTo(kills);
    assertThat(stats.ackedIncs.get()).as("acknowledged INCs").isPositive();
    assertThat(stats.ackedBatches.get()).as("acknowledged BATCHes").isPositive();
    assertThat(stats.alarmsChecked).as("alarms checked").isPositive();
  }

  // ---- load and kill ---------------------------------------------------------------------------

  /** Runs the load, kills the server {@code killDelayMs} after the first acknowledgement. */
  private void load(Server server, int cycle, long seed, int killDelayMs) throws Exception {
    Random random = new Random(seed);
    CountDownLatch firstAck = new CountDownLatch(1);
    Queue<String> errors = new ConcurrentLinkedQueue<>();
    AtomicBoolean killed = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < CLIENTS; t++) {
      int client = t;
      long clientSeed = random.nextLong();
      threads.add(
          Thread.ofPlatform()
              .name("crash-client-" + t)
              .start(
                  () -> clientLoad(server, cycle, client, clientSeed, firstAck, killed, errors)));
    }
    long alarmSeed = random.nextLong();
    threads.add(
        Thread.ofPlatform()
            .name("crash-alarms")
            .start(() -> alarmLoad(server, cycle, alarmSeed, killed, errors)));

    if (!firstAck.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
      fail(
          "cycle %d: no acknowledgement within %d s; errors %s; server log:%n%s",
          cycle, WAIT_SECONDS, errors, tail(server.log()));
    }
    Thread.sleep(killDelayMs); // the crash comes at a random point of the load: not a sync wait
    killed.set(true);
    kill(server);
    stats.kills++;
    for (Thread thread : threads) {
      if (!thread.join(Duration.ofSeconds(WAIT_SECONDS))) {
        fail("cycle %d: client %s still running %d s after the kill", cycle, thread, WAIT_SECONDS);
      }
    }
    assertThat(errors).as("cycle %d: replies other than OK before the kill", cycle).isEmpty();
  }

  private void clientLoad(
      Server server,
      int cycle,
      int client,
      long seed,
      CountDownLatch firstAck,
      AtomicBoolean killed,
      Queue<String> errors) {
    Random random = new Random(seed);
    try (Client c = new Client(server.port())) {
      for (int seq = 0; ; seq++) {
        String object =
            random.nextInt(10) == 0
                ? freshObject(cycle)
                : OBJECTS.get(random.nextInt(OBJECTS.size()));
        Target target = ledger.get(object);
        if (random.nextInt(10) < 7) {
          String id = "c" + cycle + "-t" + client + "-" + seq;
          target.sentIds.add(id);
          String[] reply = c.call("INC " + object + " " + id).split(" ");
          if (!reply[0].equals("OK")) {
            errors.add(String.join(" ", reply));
            return;
          }
          target.ackedIds.add(id);
          target.maxAckedN.accumulateAndGet(Long.parseLong(reply[2]), Math::max);
          stats.ackedIncs.incrementAndGet();
        } else {
          String k = "t" + client;
          long v = cycle * 1_000_000L + seq;
          String reply = c.call("BATCH " + object + " " + k + " " + v);
          if (!reply.equals("OK")) {
            errors.add(reply);
            return;
          }
          target.ackedBatches.merge(k, v, Math::max);
          stats.ackedBatches.incrementAndGet();
        }
        firstAck.countDown();
      }
    } catch (IOException e) {
      if (!killed.get()) {
        errors.add("client " + client + " lost its connection before the kill: " + e);
      }
    }
  }

  /** Sets one alarm on each of three objects, due 0-600 ms later: some before the kill. */
  private void alarmLoad(
      Server server, int cycle, long seed, AtomicBoolean killed, Queue<String> errors) {
    Random random = new Random(seed);
    List<String> objects = new ArrayList<>(OBJECTS);
    Collections.shuffle(objects, random);
    try (Client c = new Client(server.port())) {
      for (int i = 0; i < ALARMS_PER_CYCLE; i++) {
        String object = objects.get(i);
        String token = "a" + cycle + "-" + i;
        String reply = c.call("ALARM " + object + " " + random.nextInt(601) + " " + token);
        if (!reply.equals("OK")) {
          errors.add(reply);
          return;
        }
        ledger.get(object).pendingAlarms.add(token);
        stats.ackedAlarms.incrementAndGet();
      }
    } catch (IOException e) {
      if (!killed.get()) {
        errors.add("the alarm client lost its connection before the kill: " + e);
      }
    }
  }

  // ---- checks ----------------------------------------------------------------------------------

  /** The object first written in {@code cycle}: its file is created under load. */
  private static String freshObject(int cycle) {
    return "new-" + cycle;
  }

  /** What a restart checks: the ten objects and the fresh objects of the last two cycles. */
  private Set<String> recentObjects(int cycle) {
    Set<String> objects = new LinkedHashSet<>(OBJECTS);
    for (int c = Math.max(0, cycle - 2); c < cycle; c++) {
      objects.add(freshObject(c));
    }
    return objects;
  }

  private static String describe(Durability durability, boolean tight) {
    return " (" + durability + (tight ? ", tight engine" : "") + ")";
  }

  private void verify(Server server, Set<String> objects, String when) throws IOException {
    List<String> problems = new ArrayList<>();
    try (Client c = new Client(server.port())) {
      for (String object : objects) {
        verifyObject(c, server, object, ledger.get(object), problems);
      }
    }
    if (!problems.isEmpty()) {
      fail(
          "After %s (server pid %d, %d kills so far; data and logs kept in %s, and in"
              + " data-before-boot the data as the killed server left it):%n  %s%nserver"
              + " log:%n%s",
          when, server.pid(), stats.kills, work, String.join("\n  ", problems), tail(server.log()));
    }
  }

  private void verifyObject(
      Client c, Server server, String object, Target target, List<String> problems)
      throws IOException {
    String[] get = expectOk(c, "GET " + object);
    long n = Long.parseLong(get[1]);
    long applied = Long.parseLong(get[2]);
    long fired = Long.parseLong(get[3]);
    long fires = Long.parseLong(get[4]);
    Map<String, String> batches = new LinkedHashMap<>();
    for (int i = 5; i < get.length; i++) {
      int eq = get[i].indexOf('=');
      batches.put(get[i].substring(0, eq), get[i].substring(eq + 1));
    }

    if (n != applied) {
      problems.add(object + ": KV n=" + n + " but SQL applied has " + applied + " rows");
    }
    if (n < target.ackedIds.size() || n < target.maxAckedN.get()) {
      problems.add(
          object
              + ": n="
              + n
              + " lost acknowledged INCs ("
              + target.ackedIds.size()
              + " acknowledged, highest acknowledged value "
              + target.maxAckedN.get()
              + ")");
    }
    if (n > target.sentIds.size()) {
      problems.add(object + ": n=" + n + " but only " + target.sentIds.size() + " INCs sent");
    }
    if (fired != fires) {
      problems.add(object + ": KV fired=" + fired + " but SQL fires has " + fires + " rows");
    }

    Set<String> ids = new HashSet<>(Arrays.asList(expectOk(c, "IDS " + object)));
    ids.remove("OK");
    stats.idChecks += target.ackedIds.size();
    Set<String> missing = new HashSet<>(target.ackedIds);
    missing.removeAll(ids);
    if (!missing.isEmpty()) {
      problems.add(object + ": acknowledged request ids missing from applied: " + missing);
    }
    Set<String> unknown = new HashSet<>(ids);
    unknown.removeAll(target.sentIds);
    if (!unknown.isEmpty()) {
      problems.add(object + ": applied holds ids never sent: " + unknown);
    }

    for (Map.Entry<String, String> b : batches.entrySet()) {
      stats.batchChecks++;
      if (b.getValue().startsWith("TORN")) {
        problems.add(object + ": batch " + b.getKey() + " is half-applied: " + b.getValue());
      }
    }
    for (Map.Entry<String, Long> acked : target.ackedBatches.entrySet()) {
      String stored = batches.get(acked.getKey());
      if (stored == null
          || stored.startsWith("TORN")
          || Long.parseLong(stored) < acked.getValue()) {
        problems.add(
            object
                + ": batch "
                + acked.getKey()
                + " holds "
                + stored
                + ", older than the acknowledged "
                + acked.getValue());
      }
    }

    for (String token : List.copyOf(target.pendingAlarms)) {
      String reply =
          c.call("WAITFIRED " + object + " " + token + " " + TimeUnit.SECONDS.toMillis(30));
      if (!reply.startsWith("OK ")) {
        problems.add(object + ": acknowledged alarm " + token + " did not fire: " + reply);
        continue;
      }
      stats.alarmsChecked++;
      if (reply.substring(3).equals(Long.toString(server.pid()))) {
        stats.alarmsFiredAfterRestart++;
      }
      target.pendingAlarms.remove(token);
      target.confirmedFires.add(token);
    }
    Set<String> seenFires = new HashSet<>();
    for (String fire : expectOk(c, "FIRED " + object)) {
      seenFires.add(fire.substring(0, Math.max(0, fire.indexOf('@'))));
    }
    Set<String> lostFires = new HashSet<>(target.confirmedFires);
    lostFires.removeAll(seenFires);
    if (!lostFires.isEmpty()) {
      problems.add(object + ": alarm runs seen before are gone: " + lostFires);
    }
  }

  private static String[] expectOk(Client c, String command) throws IOException {
    String reply = c.call(command);
    if (!reply.equals("OK") && !reply.startsWith("OK ")) {
      throw new AssertionError(command + " answered " + reply);
    }
    return reply.split(" ");
  }

  // ---- the server process ----------------------------------------------------------------------

  private Server start(Durability durability, boolean tight, int boot) throws Exception {
    Path data = work.resolve("data");
    Path log = work.resolve("server-" + boot + ".log");
    snapshotBeforeRecovery(data);
    List<String> command =
        List.of(
            ProcessHandle.current().info().command().orElseThrow(),
            "-cp",
            System.getProperty("java.class.path"),
            "-Xshare:auto",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "--enable-native-access=ALL-UNNAMED",
            CrashServer.class.getName(),
            data.toString(),
            durability.name().toLowerCase(Locale.ROOT),
            "0",
            tight ? "tight" : "default");
    Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread.ofPlatform()
        .daemon()
        .name("crash-server-" + boot + "-stdout")
        .start(() -> readStdout(process, port));
    try {
      return new Server(process, port.get(WAIT_SECONDS, TimeUnit.SECONDS), log, boot);
    } catch (TimeoutException | ExecutionException e) {
      process.destroyForcibly();
      process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
      throw new AssertionError(
          "server "
              + boot
              + describe(durability, tight)
              + " did not print its port: "
              + e
              + "; log:\n"
              + tail(log),
          e);
    }
  }

  /**
   * Copies the data directory as the killed server left it (commit log segments and WALs included)
   * to {@code data-before-boot}, replacing the previous copy, so that a failed check can be traced
   * to what the recovery of the last start found.
   */
  private void snapshotBeforeRecovery(Path data) throws IOException {
    Path copy = work.resolve("data-before-boot");
    if (Files.exists(copy)) {
      try (Stream<Path> old = Files.walk(copy)) {
        for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    if (!Files.exists(data)) {
      return;
    }
    try (Stream<Path> files = Files.walk(data)) {
      for (Path p : files.toList()) {
        Path to = copy.resolve(data.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          try {
            Files.copy(p, to);
          } catch (NoSuchFileException gone) {
            // deleted meanwhile (nothing runs now, but stay robust): nothing to keep
          }
        }
      }
    }
  }

  /** The first line is the port; the rest is drained so the server never blocks on stdout. */
  private static void readStdout(Process process, CompletableFuture<Integer> port) {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String first = out.readLine();
      if (first == null) {
        port.completeExceptionally(
            new IOException("the server exited (" + process.waitFor() + ") before its port"));
        return;
      }
      port.complete(Integer.parseInt(first.trim()));
      while (out.readLine() != null) {
        // nothing else is expected on stdout
      }
    } catch (IOException | RuntimeException e) {
      port.completeExceptionally(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      port.completeExceptionally(e);
    }
  }

  /** SIGKILL, and proof that the process is gone by that signal (exit status 128 + 9). */
  private void kill(Server server) throws InterruptedException {
    ProcessHandle handle = server.process().toHandle();
    assertThat(handle.isAlive()).as("server %d alive before the kill", server.boot()).isTrue();
    handle.destroyForcibly(); // SIGKILL on Linux and macOS
    if (!server.process().waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
      fail(
          "server %d (pid %d) survived SIGKILL for %d s",
          server.boot(), handle.pid(), WAIT_SECONDS);
    }
    assertThat(handle.isAlive()).as("server %d alive after the kill", server.boot()).isFalse();
    assertThat(server.process().exitValue()).as("exit status after SIGKILL").isEqualTo(137);
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** One connection; one request at a time. */
  private static final class Client implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final Writer out;

    Client(int port) throws IOException {
      socket = new Socket(InetAddress.getLoopbackAddress(), port);
      socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
      in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
    }

    String call(String line) throws IOException {
      out.write(line);
      out.write('\n');
      out.flush();
      String reply = in.readLine();
      if (reply == null) {
        throw new IOException("the server closed the connection while answering " + line);
      }
      return reply;
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
