package dev.dobj.runtime;

import dev.dobj.DurableObject;
import dev.dobj.DurableObjectNamespace;
import dev.dobj.DurableObjectState;
import dev.dobj.Env;
import dev.dobj.spi.storage.Durability;
import dev.dobj.sqlite.SqliteStorageEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable writes per second through dobj against raw sqlite-jdbc on the same disk, in both
 * durability modes. Each scenario runs for a fixed time and is repeated; the table shows medians.
 *
 * <ul>
 *   <li>baseline: one sqlite-jdbc transaction per write ({@code synchronous=FULL} for fsync, {@code
 *       OFF} for os), 1 thread on one file, 32 threads on 1,000 files;
 *   <li>dobj: durable increments ({@code get} + {@code put} + the result waiting on the output
 *       gate) on one object with 1 and 32 concurrent callers, and 32 callers spread over 1,000
 *       objects;
 *   <li>cached reads: {@code storage().get} of one key inside one object.
 * </ul>
 *
 * <p>Run: {@code ./mvnw -q -pl bench -am package -DskipTests && java -cp
 * bench/target/benchmarks.jar dev.dobj.runtime.StorageThroughput [seconds-per-run] [runs]
 * [data-dir]}
 */
public final class StorageThroughput {
  private static final Logger LOG = LoggerFactory.getLogger(StorageThroughput.class);

  private StorageThroughput() {}

  /** The benchmark's object. */
  public interface Counter {
    long increment();

    long readMany(int times);
  }

  /** A KV counter. */
  public static class CounterObject extends DurableObject implements Counter {
    public CounterObject(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }

    @Override
    public long increment() {
      long next = ctx.storage().get("n", Long.class).orElse(0L) + 1;
      ctx.storage().put("n", next);
      return next;
    }

    @Override
    public long readMany(int times) {
      long sum = 0;
      for (int i = 0; i < times; i++) {
        sum += ctx.storage().get("n", Long.class).orElse(0L);
      }
      return sum;
    }
  }

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path root =
        args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("dobj-storage-bench");
    Duration each = Duration.ofMillis((long) (seconds * 1000));
    report(
        "JDK %s, %d cores, data in %s, %s per run, %d runs (medians)",
        Runtime.version(), Runtime.getRuntime().availableProcessors(), root, each, runs);
    report("%-48s %14s %14s", "scenario", "fsync /s", "os /s");
    String[][] rows = {
      {"baseline sqlite-jdbc, 1 thread, 1 file", "b1"},
      {"baseline sqlite-jdbc, 32 threads, 1,000 files", "b1000"},
      {"dobj increments, 1 caller, 1 object", "d1"},
      {"dobj increments, 32 callers, 1 object", "d32"},
      {"dobj increments, 32 callers, 1,000 objects", "d1000"},
      {"same, commitLog(false): each object's WAL fsync'd", "w1000"},
      {"dobj increments, 32 callers, 1 object, commitLog(false)", "w32"},
      {"dobj increments, 32 callers, 1 object, no history", "n32"},
      {"dobj increments, 32 callers, 1,000 objects, no history", "n1000"},
    };
    String only = args.length > 3 ? args[3] : "";
    List<String[]> chosen = new ArrayList<>();
    for (String[] row : rows) {
      if (only.isEmpty() || List.of(only.split(",")).contains(row[1])) {
        chosen.add(row);
      }
    }
    // Round by round over the chosen scenarios, so that a phase of the machine weighs on all.
    double[][] fsync = new double[chosen.size()][runs];
    double[][] os = new double[chosen.size()][runs];
    for (int r = 0; r < runs; r++) {
      for (int i = 0; i < chosen.size(); i++) {
        String name = chosen.get(i)[1];
        fsync[i][r] = run(name, Durability.FSYNC, root.resolve("fsync-" + name + "-" + r), each);
        os[i][r] = run(name, Durability.OS, root.resolve("os-" + name + "-" + r), each);
      }
    }
    for (int i = 0; i < chosen.size(); i++) {
      report(
          "%-48s %,14.0f %,14.0f   fsync runs: %s",
          chosen.get(i)[0], median(fsync[i]), median(os[i]), Arrays.toString(fsync[i]));
    }
    if (!only.isEmpty() && !List.of(only.split(",")).contains("reads")) {
      return;
    }
    double[] reads = new double[runs];
    for (int r = 0; r < runs; r++) {
      reads[r] = cachedReads(root.resolve("reads-" + r), each);
    }
    report("%-48s %,14.0f", "dobj cached reads, 1 object (in-object get)", median(reads));
  }

  /** One line of the results, through the log (slf4j-simple writes it to stderr). */
  private static void report(String format, Object... args) {
    LOG.info(String.format(Locale.ROOT, format, args));
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  private static double run(String scenario, Durability d, Path dir, Duration each)
      throws Exception {
    Files.createDirectories(dir);
    return switch (scenario) {
      case "b1" -> baseline(d, dir, 1, 1, each);
      case "b1000" -> baseline(d, dir, 32, 1000, each);
      case "d1" -> dobj(d, dir, 1, 1, each);
      case "d32" -> dobj(d, dir, 32, 1, each);
      case "d1000" -> dobj(d, dir, 32, 1000, each);
      case "w1000" -> dobj(d, dir, 32, 1000, each, false);
      case "w32" -> dobj(d, dir, 32, 1, each, false);
      case "n32" -> dobj(d, dir, 32, 1, each, true, Duration.ZERO);
      case "n1000" -> dobj(d, dir, 32, 1000, each, true, Duration.ZERO);
      default -> throw new IllegalArgumentException(scenario);
    };
  }

  private static double baseline(Durability d, Path dir, int threads, int files, Duration each)
      throws Exception {
    LongAdder writes = new LongAdder();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> ts = new ArrayList<>();
    java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      int me = t;
      ts.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      List<Connection> conns = new ArrayList<>();
                      for (int f = me; f < files; f += threads) {
                        Connection c =
                            DriverManager.getConnection(
                                "jdbc:sqlite:" + dir.resolve("f" + f + ".sqlite"));
                        try (Statement s = c.createStatement()) {
                          s.execute("PRAGMA journal_mode=WAL");
                          s.execute(
                              "PRAGMA synchronous=" + (d == Durability.FSYNC ? "FULL" : "OFF"));
                          s.execute(
                              "CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v INTEGER)");
                        }
                        c.setAutoCommit(false);
                        conns.add(c);
                      }
                      ready.countDown();
                      long i = 0;
                      while (!stop.get()) {
                        Connection c = conns.get((int) (i++ % conns.size()));
                        try (PreparedStatement p =
                            c.prepareStatement("INSERT OR REPLACE INTO kv VALUES ('n', ?)")) {
                          p.setLong(1, i);
                          p.executeUpdate();
                        }
                        c.commit();
                        writes.increment();
                      }
                      for (Connection c : conns) {
                        c.close();
                      }
                    } catch (Exception e) {
                      ready.countDown();
                      throw new IllegalStateException(e);
                    }
                  }));
    }
    ready.await(); // every file is open and set up before the clock starts
    return measure(writes, stop, ts, each);
  }

  private static double dobj(Durability d, Path dir, int callers, int objects, Duration each)
      throws Exception {
    return dobj(d, dir, callers, objects, each, true);
  }

  private static double dobj(
      Durability d, Path dir, int callers, int objects, Duration each, boolean commitLog)
      throws Exception {
    return dobj(
        d, dir, callers, objects, each, commitLog, SqliteStorageEngine.DEFAULT_HISTORY_RETENTION);
  }

  private static double dobj(
      Durability d,
      Path dir,
      int callers,
      int objects,
      Duration each,
      boolean commitLog,
      Duration history)
      throws Exception {
    try (DurableObjectRuntime runtime =
        DurableObjectRuntime.builder()
            .storage(
                SqliteStorageEngine.builder(dir)
                    .durability(d)
                    .commitLog(commitLog)
                    .historyRetention(history)
                    .build())
            .bind("COUNTER", CounterObject.class)
            .build()) {
      DurableObjectNamespace<Counter> ns = runtime.env().namespace("COUNTER", Counter.class);
      Counter[] stubs = new Counter[objects];
      for (int i = 0; i < objects; i++) {
        stubs[i] = ns.getByName("o" + i).call();
        stubs[i].increment(); // every object exists and is active before the clock starts
      }
      LongAdder writes = new LongAdder();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> ts = new ArrayList<>();
      for (int t = 0; t < callers; t++) {
        int me = t;
        ts.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      long i = me;
                      while (!stop.get()) {
                        stubs[(int) (i % objects)].increment();
                        i += callers;
                        writes.increment();
                      }
                    }));
      }
      return measure(writes, stop, ts, each);
    }
  }

  private static double cachedReads(Path dir, Duration each) throws Exception {
    Files.createDirectories(dir);
    try (DurableObjectRuntime runtime =
        DurableObjectRuntime.builder()
            .storage(new SqliteStorageEngine(dir, Durability.OS))
            .bind("COUNTER", CounterObject.class)
            .build()) {
      Counter c = runtime.env().namespace("COUNTER", Counter.class).getByName("r").call();
      c.increment();
      int batch = 100_000;
      c.readMany(batch); // warm up
      long reads = 0;
      long start = System.nanoTime();
      long end = start + each.toNanos();
      while (System.nanoTime() < end) {
        c.readMany(batch);
        reads += batch;
      }
      return reads / ((System.nanoTime() - start) / 1e9);
    }
  }

  private static double measure(
      LongAdder writes, AtomicBoolean stop, List<Thread> threads, Duration each)
      throws InterruptedException {
    Thread.sleep(each.toMillis() / 5); // warm-up, not counted
    long before = writes.sum();
    long start = System.nanoTime();
    Thread.sleep(each.toMillis());
    long done = writes.sum() - before;
    double secs = (System.nanoTime() - start) / 1e9;
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    return done / secs;
  }
}
