package dev.dobj.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ceiling of a durable increment over HTTP on this machine: the least work a server can do to
 * answer a request only once its write is on disk, to compare dobj's {@code /counter/a/inc}
 * against. Jetty on virtual threads, as {@code dobj-http} runs it; {@code GET /plain} answers a
 * constant, {@code GET /inc} increments a counter in memory, appends a 4,237-byte record (the size
 * of one SQLite page frame in dobj's commit log) to a zero-filled file at once, and answers after
 * one platform thread's {@code fdatasync} covered it: group commit with no SQLite, no object, no
 * batch held open and no thread hand-off but the fsync's. No recovery, no checks: a measuring tool.
 *
 * <p>With {@code SYNCERS} above 1, that many platform threads fsync in overlap: a sync starts as
 * soon as records wait and fewer than {@code SYNCERS} syncs are in flight, so the device always has
 * the next flush queued (the alternative to one sync at a time that this machine can offer).
 *
 * <p>{@code java -cp bench/target/benchmarks.jar dev.dobj.bench.GroupCommitCeiling FILE PORT
 * [SYNCERS]}; {@code bench/http/ceiling.sh} runs it beside {@code dobj dev} and loads both.
 */
public final class GroupCommitCeiling {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitCeiling.class);
  private static final int RECORD = 4237;
  private static final long FILE_BYTES = 256L << 20;
  private static final byte[] PLAIN = "{\"value\":42}".getBytes(StandardCharsets.UTF_8);

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private final FileChannel log;
  private final int syncers;
  // @GuardedBy("lock")
  private long counter;
  // @GuardedBy("lock")
  private long position;
  // @GuardedBy("lock")
  private List<CompletableFuture<Void>> waiting = new ArrayList<>();
  // @GuardedBy("lock")
  private int inFlight;

  private GroupCommitCeiling(FileChannel log, int syncers) {
    this.log = log;
    this.syncers = syncers;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 2 && args.length != 3) {
      throw new IllegalArgumentException(
          "usage: GroupCommitCeiling FILE PORT [SYNCERS] (got " + args.length + " arguments)");
    }
    int syncers = args.length == 3 ? Integer.parseInt(args[2]) : 1;
    if (syncers < 1 || syncers > 16) {
      throw new IllegalArgumentException("SYNCERS must be 1 to 16, got " + syncers);
    }
    Path file = Path.of(args[0]);
    FileChannel log =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
    // Zero-filled ahead, as dobj's segments are: an fdatasync then needs no journal commit.
    ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
    for (long at = 0; at < FILE_BYTES; ) {
      zeros.clear();
      at += log.write(zeros, at);
    }
    log.force(true);
    GroupCommitCeiling ceiling = new GroupCommitCeiling(log, syncers);
    for (int i = 0; i < syncers; i++) {
      Thread.ofPlatform().name("ceiling-sync-" + i).daemon(true).start(ceiling::syncLoop);
    }

    ExecutorService virtualThreads =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ceiling-http").factory());
    QueuedThreadPool pool = new QueuedThreadPool();
    pool.setVirtualThreadsExecutor(virtualThreads);
    Server server = new Server(pool);
    ServerConnector connector =
        new ServerConnector(server, new HttpConnectionFactory(new HttpConfiguration()));
    connector.setHost("127.0.0.1");
    connector.setPort(Integer.parseInt(args[1]));
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            String path = Request.getPathInContext(request);
            byte[] body;
            if (path.equals("/plain")) {
              body = PLAIN;
            } else if (path.equals("/inc")) {
              body =
                  ("{\"name\":\"a\",\"value\":" + ceiling.increment() + "}")
                      .getBytes(StandardCharsets.UTF_8);
            } else {
              Response.writeError(request, response, callback, 404);
              return true;
            }
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.write(true, ByteBuffer.wrap(body), callback);
            return true;
          }

          @Override
          public InvocationType getInvocationType() {
            return InvocationType.BLOCKING;
          }
        });
    server.start();
    LOG.info(
        "GroupCommitCeiling: serving on http://127.0.0.1:{} ({} syncer(s))",
        connector.getLocalPort(),
        syncers);
    server.join();
  }

  /** Increments, appends the record, and returns once an fsync covered it. */
  private long increment() throws Exception {
    CompletableFuture<Void> durable = new CompletableFuture<>();
    ByteBuffer record = ByteBuffer.allocate(RECORD);
    long value;
    lock.lock();
    try {
      value = ++counter;
      record.putLong(0, value);
      if (position + RECORD > FILE_BYTES) {
        position = 0; // reuse the zero-filled file from its start
      }
      while (record.hasRemaining()) {
        position += log.write(record, position);
      }
      waiting.add(durable);
      if (inFlight < syncers) {
        work.signal();
      }
    } finally {
      lock.unlock();
    }
    durable.get();
    return value;
  }

  private void syncLoop() {
    while (true) {
      List<CompletableFuture<Void>> batch;
      lock.lock();
      try {
        while (waiting.isEmpty() || inFlight >= syncers) {
          work.awaitUninterruptibly();
        }
        batch = waiting;
        waiting = new ArrayList<>();
        inFlight++;
      } finally {
        lock.unlock();
      }
      IOException failure = null;
      try {
        log.force(false); // covers every record written before it starts, other batches' too
      } catch (IOException e) {
        failure = e;
      }
      lock.lock();
      try {
        inFlight--;
        if (!waiting.isEmpty()) {
          work.signal(); // records came while every syncer was busy
        }
      } finally {
        lock.unlock();
      }
      for (CompletableFuture<Void> f : batch) {
        if (failure == null) {
          f.complete(null);
        } else {
          f.completeExceptionally(failure);
        }
      }
    }
  }
}
