package dev.dobj.runtime.crash;

import dev.dobj.DurableObjectNamespace;
import dev.dobj.runtime.DurableObjectRuntime;
import dev.dobj.spi.storage.Durability;
import dev.dobj.sqlite.SqliteStorageEngine;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The process {@link SigkillCrashIT} kills: a runtime on the SQLite engine hosting {@link
 * CrashObject}s, behind a line protocol on plain TCP (one virtual thread per connection).
 *
 * <p>Usage: {@code CrashServer <data dir> <fsync|os> <port> [default|tight]} (port 0: an ephemeral
 * one; {@code tight}: an engine that checkpoints past 32 KiB of WAL, keeps at most 3 connections
 * open and starts a commit log segment every 64 KiB, so kills also land in checkpoints, connection
 * evictions and log segment retirements). The first line on stdout is the port, printed once the
 * runtime is built (late alarms are already scheduled) and the socket listens. Logs go to stderr.
 * The process never exits by itself except when its stdin reaches end of file, which happens when
 * the test JVM dies: no server outlives its test.
 *
 * <p>Commands, one per line; a reply is sent only after the stub call returned, so it is an
 * acknowledgement of writes the output gate found durable:
 *
 * <pre>
 * INC &lt;object&gt; &lt;requestId&gt;         -> OK &lt;object&gt; &lt;n&gt;
 * BATCH &lt;object&gt; &lt;k&gt; &lt;v&gt;            -> OK
 * ALARM &lt;object&gt; &lt;delayMs&gt; &lt;token&gt;  -> OK
 * GET &lt;object&gt;                        -> OK &lt;n&gt; &lt;applied&gt; &lt;fired&gt; &lt;fires&gt; [k=v,...]
 * IDS &lt;object&gt;                        -> OK [id ...]
 * FIRED &lt;object&gt;                      -> OK [token@boot ...]
 * WAITFIRED &lt;object&gt; &lt;token&gt; &lt;ms&gt;    -> OK &lt;boot&gt;, or TIMEOUT
 * </pre>
 *
 * Anything that fails is answered {@code ERR <type>: <message>}.
 */
public final class CrashServer {
  /** Alarm runs in this process, by token; a test-only channel from the object to the server. */
  private static final Map<String, CompletableFuture<Void>> RUNS = new ConcurrentHashMap<>();

  private static final long TIGHT_CHECKPOINT_BYTES = 32 * 1024;
  private static final long TIGHT_LOG_SEGMENT_BYTES = 64 * 1024;
  private static final int TIGHT_CONNECTIONS = 3;

  private CrashServer() {}

  /** Called by {@link CrashObject#alarm} after its handler wrote (not yet durable). */
  static void alarmRan(String token) {
    RUNS.computeIfAbsent(token, t -> new CompletableFuture<>()).complete(null);
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 3 || args.length > 4) {
      System.err.println("usage: CrashServer <data dir> <fsync|os> <port> [default|tight]");
      System.exit(2);
    }
    Path data = Path.of(args[0]);
    Durability durability = Durability.valueOf(args[1].toUpperCase(Locale.ROOT));
    int port = Integer.parseInt(args[2]);
    SqliteStorageEngine.Builder engine = SqliteStorageEngine.builder(data).durability(durability);
    if (args.length == 4 && args[3].equals("tight")) {
      // Checkpoints and connection evictions (checkpoint + close + reopen) all the time.
      engine
          .checkpointBytes(TIGHT_CHECKPOINT_BYTES)
          .maxOpenConnections(TIGHT_CONNECTIONS)
          .logSegmentBytes(TIGHT_LOG_SEGMENT_BYTES);
    }

    Thread.ofPlatform().daemon().name("parent-watch").start(CrashServer::haltWhenParentGoes);
    DurableObjectRuntime runtime =
        DurableObjectRuntime.builder()
            .var("boot", Long.toString(ProcessHandle.current().pid()))
            .storage(engine.build())
            .bind("CRASH", CrashObject.class, "crash-test-key")
            .build();
    DurableObjectNamespace<Crash> objects = runtime.env().namespace("CRASH", Crash.class);
    ServerSocket server = new ServerSocket(port, 128, InetAddress.getLoopbackAddress());
    System.out.println(server.getLocalPort());
    System.out.flush();
    while (true) {
      Socket socket = server.accept();
      Thread.ofVirtual().name("conn-" + socket.getPort()).start(() -> serve(objects, socket));
    }
  }

  private static void haltWhenParentGoes() {
    try {
      while (System.in.read() >= 0) {
        // the test never writes; end of file means it is gone
      }
    } catch (IOException e) {
      // the pipe broke: the parent is gone as well
    }
    Runtime.getRuntime().halt(3);
  }

  private static void serve(DurableObjectNamespace<Crash> objects, Socket socket) {
    try (socket;
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        Writer out =
            new BufferedWriter(
                new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        String reply;
        try {
          reply = handle(objects, line.split(" "));
        } catch (RuntimeException | InterruptedException | ExecutionException e) {
          reply = "ERR " + e.getClass().getName() + ": " + String.valueOf(e.getMessage());
        }
        out.write(reply.replace('\n', ' '));
        out.write('\n');
        out.flush();
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  private static String handle(DurableObjectNamespace<Crash> objects, String[] a)
      throws InterruptedException, ExecutionException {
    Crash object = objects.getByName(a[1]).call();
    return switch (a[0]) {
      case "INC" -> "OK " + a[1] + " " + object.inc(a[2]);
      case "BATCH" -> {
        object.batch(a[2], a[3]);
        yield "OK";
      }
      case "ALARM" -> {
        object.setAlarm(Long.parseLong(a[2]), a[3]);
        yield "OK";
      }
      case "GET" -> {
        Crash.Snapshot s = object.snapshot();
        StringBuilder b = new StringBuilder("OK ");
        b.append(s.n()).append(' ').append(s.applied()).append(' ');
        b.append(s.fired()).append(' ').append(s.fires());
        s.batches().forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
        yield b.toString();
      }
      case "IDS" -> join(object.appliedIds());
      case "FIRED" -> join(object.fires());
      case "WAITFIRED" -> waitFired(object, a[2], Long.parseLong(a[3]));
      default -> throw new IllegalArgumentException("unknown command " + a[0]);
    };
  }

  /** Registers for the run first, then reads: a run between the two cannot be missed. */
  private static String waitFired(Crash object, String token, long timeoutMs)
      throws InterruptedException, ExecutionException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (true) {
      CompletableFuture<Void> run = RUNS.computeIfAbsent(token, t -> new CompletableFuture<>());
      for (String fire : object.fires()) {
        if (fire.startsWith(token + "@")) {
          return "OK " + fire.substring(token.length() + 1);
        }
      }
      try {
        // The run wrote but may not have committed yet; the next read passes the output gate.
        run.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        return "TIMEOUT";
      }
      RUNS.remove(token, run);
    }
  }

  private static String join(Iterable<String> items) {
    StringBuilder b = new StringBuilder("OK");
    for (String item : items) {
      b.append(' ').append(item);
    }
    return b.toString();
  }
}
