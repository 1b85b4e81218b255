package dev.dobj.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dobj.DurableObject;
import dev.dobj.DurableObjectNamespace;
import dev.dobj.DurableObjectState;
import dev.dobj.DurableObjectStub;
import dev.dobj.Env;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded randomized stress of the input gate and the per-stub sequencer: many callers fire blocking
 * and async calls through their own stubs at a few objects; objects call each other (cycles
 * included) with the gate open, and call leaf objects inside critical sections. Every object
 * checks, in every turn, that no other turn of it runs (except across its own outgoing calls) and
 * that each stub's calls arrive in the order they were made. Runner threads yield at seeded random
 * points to shake the interleavings.
 *
 * <p>CI runs a short form; run longer with {@code ./mvnw -pl dobj-runtime -am verify
 * -Dtest=GateStressTest -Dsurefire.failIfNoSpecifiedTests=false -Ddobj.stress.seeds=40
 * -Ddobj.stress.ops=20000}.
 */
class GateStressTest {
  static final ConcurrentLinkedQueue<String> VIOLATIONS = new ConcurrentLinkedQueue<>();

  static List<Long> seeds() {
    int n = Integer.getInteger("dobj.stress.seeds", 4);
    List<Long> seeds = new ArrayList<>();
    for (long s = 1; s <= n; s++) {
      seeds.add(s * 7919);
    }
    return seeds;
  }

  interface Stressed {
    /**
     * A step of stub {@code stub} (0: unchecked) with sequence {@code seq}; mode 1 calls {@code
     * other} with the gate open, mode 2 inside a critical section.
     */
    long step(long stub, long seq, DurableObjectStub<Stressed> other, int mode);

    long leaf();
  }

  public static class StressedObject extends DurableObject implements Stressed {
    private final Map<Long, Long> lastSeq = new HashMap<>();
    private boolean inTurn;
    private long steps;

    public StressedObject(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }

    private void enter(String where) {
      if (inTurn) {
        VIOLATIONS.add("two turns overlap in " + ctx.id() + " at " + where);
      }
      inTurn = true;
    }

    private void exit() {
      inTurn = false;
    }

    @Override
    public long step(long stub, long seq, DurableObjectStub<Stressed> other, int mode) {
      enter("step");
      try {
        Long last = stub == 0 ? null : lastSeq.put(stub, seq);
        if (last != null && seq != last + 1) {
          VIOLATIONS.add("E-order broken for stub " + stub + ": " + last + " then " + seq);
        }
        steps++;
        switch (mode) {
          case 1 -> {
            // outgoing call with the gate open: other turns of this object may run meanwhile
            exit();
            other.call().step(0, 0, null, 0);
            enter("after outgoing call");
          }
          case 2 -> {
            // outgoing call in a critical section: nothing else of this object may run
            long r = ctx.blockConcurrencyWhile(() -> other.call().leaf());
            if (r < 0) {
              VIOLATIONS.add("leaf returned " + r);
            }
          }
          default -> {}
        }
        return steps;
      } finally {
        exit();
      }
    }

    @Override
    public long leaf() {
      enter("leaf");
      try {
        return ++steps;
      } finally {
        exit();
      }
    }
  }

  /** Turn threads are virtual threads that yield at seeded random points before running. */
  private static ThreadFactory shakingThreads(long seed) {
    AtomicLong made = new AtomicLong();
    ThreadFactory virtual = Thread.ofVirtual().name("stress-turn-", 0).factory();
    return r -> {
      boolean yieldFirst = new Random(seed ^ made.incrementAndGet()).nextInt(4) == 0;
      return virtual.newThread(
          () -> {
            if (yieldFirst) {
              Thread.yield();
            }
            r.run();
          });
    };
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void gateAndSequencerHoldUnderRandomLoad(long seed) throws Exception {
    VIOLATIONS.clear();
    int ops = Integer.getInteger("dobj.stress.ops", 1500);
    int callers = 6;
    try (DurableObjectRuntime runtime =
        DurableObjectRuntime.builder()
            .turnThreads(shakingThreads(seed))
            .bind("S", StressedObject.class)
            .bind("LEAF", StressedObject.class)
            .maxQueuedEvents(1_000_000)
            .build()) {
      DurableObjectNamespace<Stressed> ns = runtime.env().namespace("S", Stressed.class);
      DurableObjectNamespace<Stressed> leaves = runtime.env().namespace("LEAF", Stressed.class);
      AtomicLong stubIds = new AtomicLong();
      List<Thread> threads = new ArrayList<>();
      ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
      for (int c = 0; c < callers; c++) {
        Random random = new Random(seed * 31 + c);
        threads.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      List<CompletableFuture<Long>> pending = new ArrayList<>();
                      List<DurableObjectStub<Stressed>> stubs = new ArrayList<>();
                      List<Long> ids = new ArrayList<>();
                      List<long[]> seqs = new ArrayList<>();
                      for (int i = 0; i < 3; i++) {
                        stubs.add(ns.getByName("o" + random.nextInt(4)));
                        ids.add(stubIds.incrementAndGet());
                        seqs.add(new long[] {0});
                      }
                      for (int i = 0; i < ops; i++) {
                        int k = random.nextInt(stubs.size());
                        DurableObjectStub<Stressed> stub = stubs.get(k);
                        long seq = ++seqs.get(k)[0];
                        long id = ids.get(k);
                        int mode = random.nextInt(10) < 7 ? 0 : random.nextInt(2) + 1;
                        DurableObjectStub<Stressed> other =
                            mode == 2
                                ? leaves.getByName("l" + random.nextInt(3))
                                : ns.getByName("o" + random.nextInt(4));
                        try {
                          if (random.nextBoolean()) {
                            pending.add(stub.callAsync(s -> s.step(id, seq, other, mode)));
                          } else {
                            stub.call().step(id, seq, other, mode);
                          }
                        } catch (Throwable t) {
                          errors.add(t);
                        }
                      }
                      for (CompletableFuture<Long> f : pending) {
                        try {
                          f.get(60, TimeUnit.SECONDS);
                        } catch (Exception e) {
                          errors.add(e);
                        }
                      }
                    }));
      }
      for (Thread t : threads) {
        assertThat(t.join(Duration.ofMinutes(2))).as("caller finished (no deadlock)").isTrue();
      }
      assertThat(errors).as("calls that failed").isEmpty();
      assertThat(VIOLATIONS).as("gate or E-order violations").isEmpty();
    }
  }
}
