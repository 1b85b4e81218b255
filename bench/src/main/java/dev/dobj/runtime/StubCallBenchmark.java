package dev.dobj.runtime;

import dev.dobj.DurableObjectStub;
import dev.dobj.runtime.BenchObjects.Counter;
import dev.dobj.runtime.BenchObjects.CounterObject;
import dev.dobj.runtime.BenchObjects.Message;
import dev.dobj.runtime.BenchObjects.Point;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Calls through a stub against a direct call on the same class.
 *
 * <ul>
 *   <li>{@code blocking*}: one caller, blocking round trips ({@code stub.call().increment()});
 *   <li>{@code pipelined*}: one caller fires {@value #BATCH} async calls to one object and waits
 *       for the last (E-order makes it the last to finish); score is per call;
 *   <li>{@code spread*}: blocking calls round-robin over {@value #OBJECTS} live objects.
 * </ul>
 *
 * <p>Run: {@code ./mvnw -q -pl bench -am package -DskipTests && java -jar
 * bench/target/benchmarks.jar StubCallBenchmark -f 1 -wi 3 -i 5 -w 2s -r 3s}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class StubCallBenchmark {
  static final int BATCH = 1000;
  static final int OBJECTS = 10_000;

  private DurableObjectRuntime runtime;
  private DurableObjectStub<Counter> stub;
  private Counter view;
  private Counter[] spread;
  private int next;
  private CounterObject direct;
  private final Point point = new Point(1, 2);
  private final Message message = new Message("hello", List.of("a", "b"), 1);

  @Setup
  public void setUp() {
    runtime =
        DurableObjectRuntime.builder()
            .bind("COUNTER", CounterObject.class)
            .maxQueuedEvents(1_000_000)
            .build();
    var ns = runtime.env().namespace("COUNTER", Counter.class);
    stub = ns.getByName("bench");
    view = stub.call();
    spread = new Counter[OBJECTS];
    for (int i = 0; i < OBJECTS; i++) {
      spread[i] = ns.getByName("o" + i).call();
      spread[i].increment();
    }
    direct = BenchObjects.direct();
  }

  @TearDown
  public void tearDown() {
    runtime.close();
  }

  @Benchmark
  public long directCall() {
    return direct.increment();
  }

  @Benchmark
  public long blockingRoundTrip() {
    return view.increment();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long directCallBatch() {
    long r = 0;
    for (int i = 0; i < BATCH; i++) {
      r = direct.addPoint(point);
    }
    return r;
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long pipelinedImmutableArgument() {
    CompletableFuture<Long> last = null;
    for (int i = 0; i < BATCH; i++) {
      last = stub.callAsync(c -> c.addPoint(point));
    }
    return last.join();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long pipelinedCopiedRecordArgument() {
    CompletableFuture<Long> last = null;
    for (int i = 0; i < BATCH; i++) {
      last = stub.callAsync(c -> c.addMessage(message));
    }
    return last.join();
  }

  @Benchmark
  public long spreadOver10000Objects() {
    Counter c = spread[next];
    next = next + 1 == OBJECTS ? 0 : next + 1;
    return c.increment();
  }
}
