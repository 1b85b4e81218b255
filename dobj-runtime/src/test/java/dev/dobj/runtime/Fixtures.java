package dev.dobj.runtime;

import dev.dobj.DurableObject;
import dev.dobj.DurableObjectState;
import dev.dobj.DurableObjectStub;
import dev.dobj.Env;
import dev.dobj.fetch.Request;
import dev.dobj.fetch.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Durable Object classes the runtime's tests bind, and the probes they report to. */
final class Fixtures {
  private Fixtures() {}

  /** Per-test shared probes, keyed by a test id passed through an env var. */
  static final Map<String, Probe> PROBES = new ConcurrentHashMap<>();

  static Probe probe(Env env) {
    return PROBES.computeIfAbsent(env.var("probe").orElse("default"), k -> new Probe());
  }

  /** What the objects of one test report. */
  static final class Probe {
    final AtomicInteger constructed = new AtomicInteger();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger maxRunning = new AtomicInteger();
    final List<String> log = new CopyOnWriteArrayList<>();
    volatile CountDownLatch gate = new CountDownLatch(0);
    volatile CountDownLatch entered = new CountDownLatch(0);
    volatile boolean failConstructor;
    volatile boolean blockConstructor;

    void enter() {
      int now = running.incrementAndGet();
      maxRunning.accumulateAndGet(now, Math::max);
    }

    void exit() {
      running.decrementAndGet();
    }
  }

  static void await(CountDownLatch latch, String what) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("timed out waiting for " + what);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for " + what, e);
    }
  }

  // ---- Counter ------------------------------------------------------------------------------

  record Point(int x, int y) {}

  record Tagged(String text, List<String> tags) {}

  enum Color {
    RED,
    GREEN
  }

  interface Counter {
    long increment();

    long add(long delta);

    long get();

    void fail(String message);

    String echo(String s);

    Point move(Point p, int dx);

    Tagged tag(Tagged t, String tag);

    List<String> appendTo(List<String> list, String item);

    byte[] reverse(byte[] data);

    Optional<String> maybe(boolean present);

    Color next(Color c);

    Map<String, Integer> count(List<String> words);

    String objectName();

    /** Blocks until the probe's gate opens; reports entry first. */
    long slow();

    /** Records {@code entry} in the probe's log (for ordering tests). */
    void record(String entry);

    void abort(String reason);

    int nested(int depth);

    String criticalFail();

    String criticalSlow();

    /** Takes a value the codec cannot copy. */
    void takeObject(Object o);

    int size(byte[] data);

    /** Calls ctx from a thread the runtime did not start; returns the error message. */
    String ctxFromOtherThread();
  }

  /** A counter kept in a field (no storage in the core runtime). */
  public static class CounterObject extends DurableObject implements Counter {
    private final Probe probe;
    private long value;

    public CounterObject(DurableObjectState ctx, Env env) {
      super(ctx, env);
      this.probe = probe(env);
      probe.constructed.incrementAndGet();
      probe.log.add("construct");
      if (probe.blockConstructor) {
        probe.entered.countDown();
        Fixtures.await(probe.gate, "the test to release the constructor");
      }
      if (probe.failConstructor) {
        throw new IllegalStateException("constructor failed on purpose");
      }
    }

    @Override
    public long increment() {
      probe.enter();
      try {
        return ++value;
      } finally {
        probe.exit();
      }
    }

    @Override
    public long add(long delta) {
      value += delta;
      return value;
    }

    @Override
    public long get() {
      return value;
    }

    @Override
    public void fail(String message) {
      throw new IllegalArgumentException(message);
    }

    @Override
    public String echo(String s) {
      return s;
    }

    @Override
    public Point move(Point p, int dx) {
      return new Point(p.x() + dx, p.y());
    }

    @Override
    public Tagged tag(Tagged t, String tag) {
      List<String> tags = new ArrayList<>(t.tags());
      tags.add(tag);
      return new Tagged(t.text(), tags);
    }

    @Override
    public List<String> appendTo(List<String> list, String item) {
      try {
        list.add(item);
        return list;
      } catch (UnsupportedOperationException e) {
        List<String> copy = new ArrayList<>(list);
        copy.add(item);
        return copy;
      }
    }

    @Override
    public byte[] reverse(byte[] data) {
      for (int i = 0, j = data.length - 1; i < j; i++, j--) {
        byte t = data[i];
        data[i] = data[j];
        data[j] = t;
      }
      return data;
    }

    @Override
    public Optional<String> maybe(boolean present) {
      return present ? Optional.of("here") : Optional.empty();
    }

    @Override
    public Color next(Color c) {
      return Color.values()[(c.ordinal() + 1) % Color.values().length];
    }

    @Override
    public Map<String, Integer> count(List<String> words) {
      Map<String, Integer> m = new java.util.TreeMap<>();
      for (String w : words) {
        m.merge(w, 1, Integer::sum);
      }
      return m;
    }

    @Override
    public String objectName() {
      return ctx.id().name().orElse("<none>");
    }

    @Override
    public long slow() {
      probe.enter();
      try {
        probe.log.add("slow-start");
        probe.entered.countDown();
        Fixtures.await(probe.gate, "the test to open the probe's gate");
        probe.log.add("slow-end");
        return ++value;
      } finally {
        probe.exit();
      }
    }

    @Override
    public void record(String entry) {
      probe.enter();
      try {
        probe.log.add(entry);
      } finally {
        probe.exit();
      }
    }

    @Override
    public void abort(String reason) {
      ctx.abort(reason);
    }

    @Override
    public int nested(int depth) {
      return nest(depth);
    }

    private int nest(int depth) {
      if (depth == 0) {
        return 0;
      }
      return ctx.blockConcurrencyWhile(() -> 1 + nest(depth - 1));
    }

    @Override
    public String criticalFail() {
      return ctx.blockConcurrencyWhile(
          () -> {
            throw new IllegalStateException("critical section failed");
          });
    }

    @Override
    public String criticalSlow() {
      return ctx.blockConcurrencyWhile(
          () -> {
            probe.entered.countDown();
            Fixtures.await(probe.gate, "the test to release the critical section");
            return "done";
          });
    }

    @Override
    public void takeObject(Object o) {}

    @Override
    public int size(byte[] data) {
      return data.length;
    }

    @Override
    public String ctxFromOtherThread() {
      java.util.concurrent.CompletableFuture<String> result =
          new java.util.concurrent.CompletableFuture<>();
      Thread.ofPlatform()
          .start(
              () -> {
                try {
                  ctx.blockConcurrencyWhile(() -> 1);
                  result.complete("no error");
                } catch (IllegalStateException e) {
                  result.complete(e.getMessage());
                }
              });
      return result.join();
    }

    @Override
    public Response fetch(Request request) {
      return Response.builder(200)
          .header("x-object", ctx.id().toString())
          .body(request.method() + " " + request.url().getPath() + " " + request.text())
          .build();
    }
  }

  /** An object with no fetch handler of its own. */
  public static class PlainObject extends DurableObject implements Counter {
    public PlainObject(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }

    @Override
    public long increment() {
      return 1;
    }

    @Override
    public long add(long delta) {
      return delta;
    }

    @Override
    public long get() {
      return 0;
    }

    @Override
    public void fail(String message) {}

    @Override
    public String echo(String s) {
      return s;
    }

    @Override
    public Point move(Point p, int dx) {
      return p;
    }

    @Override
    public Tagged tag(Tagged t, String tag) {
      return t;
    }

    @Override
    public List<String> appendTo(List<String> list, String item) {
      return list;
    }

    @Override
    public byte[] reverse(byte[] data) {
      return data;
    }

    @Override
    public Optional<String> maybe(boolean present) {
      return Optional.empty();
    }

    @Override
    public Color next(Color c) {
      return c;
    }

    @Override
    public Map<String, Integer> count(List<String> words) {
      return Map.of();
    }

    @Override
    public String objectName() {
      return "";
    }

    @Override
    public long slow() {
      return 0;
    }

    @Override
    public void record(String entry) {}

    @Override
    public void abort(String reason) {}

    @Override
    public int nested(int depth) {
      return 0;
    }

    @Override
    public String criticalFail() {
      return "";
    }

    @Override
    public String criticalSlow() {
      return "";
    }

    @Override
    public void takeObject(Object o) {}

    @Override
    public int size(byte[] data) {
      return 0;
    }

    @Override
    public String ctxFromOtherThread() {
      return "";
    }
  }

  // ---- Ping-pong: A calls B which calls back A -------------------------------------------------

  interface Peer {
    /** Calls {@code other}.bounce(me); returns what came back. */
    String ping(DurableObjectStub<Peer> other, DurableObjectStub<Peer> me, int hops);

    String bounce(DurableObjectStub<Peer> back, int hops);

    String hello();

    /** Inside blockConcurrencyWhile: calls {@code other}.hello(). */
    String criticalCall(DurableObjectStub<Peer> other);

    /** Calls other.slowHello() and logs around it. */
    String callSlow(DurableObjectStub<Peer> other);

    String slowHello();

    void note(String entry);

    void abortNow(String reason);
  }

  public static class PeerObject extends DurableObject implements Peer {
    private final Probe probe;

    public PeerObject(DurableObjectState ctx, Env env) {
      super(ctx, env);
      this.probe = probe(env);
    }

    @Override
    public String ping(DurableObjectStub<Peer> other, DurableObjectStub<Peer> me, int hops) {
      return "ping(" + other.call().bounce(me, hops) + ")";
    }

    @Override
    public String bounce(DurableObjectStub<Peer> back, int hops) {
      if (hops <= 0) {
        return "bottom";
      }
      return "bounce(" + back.call().bounce(back, hops - 1) + ")";
    }

    @Override
    public String hello() {
      probe.log.add("hello " + ctx.id().name().orElse("?"));
      return "hello from " + ctx.id().name().orElse("?");
    }

    @Override
    public String criticalCall(DurableObjectStub<Peer> other) {
      return ctx.blockConcurrencyWhile(
          () -> {
            probe.log.add("critical-start");
            String r = other.call().slowHello();
            probe.log.add("critical-end");
            return r;
          });
    }

    @Override
    public String callSlow(DurableObjectStub<Peer> other) {
      probe.log.add("call-start");
      String r = other.call().slowHello();
      probe.log.add("call-end");
      return r;
    }

    @Override
    public String slowHello() {
      probe.entered.countDown();
      Fixtures.await(probe.gate, "the test to release slowHello");
      return "slow hello";
    }

    @Override
    public void note(String entry) {
      probe.log.add(entry);
    }

    @Override
    public void abortNow(String reason) {
      ctx.abort(reason);
    }
  }
}
