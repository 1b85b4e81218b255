package dev.dobj.runtime;

import dev.dobj.DurableObjectStub;
import dev.dobj.runtime.BenchObjects.Counter;
import dev.dobj.runtime.BenchObjects.CounterObject;
import dev.dobj.runtime.BenchObjects.Point;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of the runtime's meters on the per-call path: the stub calls of {@link
 * StubCallBenchmark} on a runtime built without a registry ({@code metrics=off}) and with a
 * Prometheus registry ({@code metrics=prometheus}, what {@code dobj dev} uses).
 *
 * <p>Run: {@code ./mvnw -q -pl bench -am package -DskipTests && java -jar
 * bench/target/benchmarks.jar StubCallMetricsBenchmark -f 1 -wi 3 -i 5 -w 2s -r 3s}. The MDC the
 * runtime sets per turn costs what the SLF4J provider's MDC costs: slf4j-simple's is a no-op; add
 * {@code -jvmArgsAppend -Dslf4j.provider=dev.dobj.runtime.BasicMdcLogging} to measure with a real
 * (map-backed) MDC.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class StubCallMetricsBenchmark {
  static final int BATCH = 1000;

  @Param({"off", "prometheus"})
  public String metrics;

  private PrometheusMeterRegistry registry;
  private DurableObjectRuntime runtime;
  private DurableObjectStub<Counter> stub;
  private Counter view;
  private final Point point = new Point(1, 2);

  @Setup
  public void setUp() {
    DurableObjectRuntime.Builder b =
        DurableObjectRuntime.builder()
            .bind("COUNTER", CounterObject.class)
            .maxQueuedEvents(1_000_000);
    if (metrics.equals("prometheus")) {
      registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      b.meterRegistry(registry);
    }
    runtime = b.build();
    stub = runtime.env().namespace("COUNTER", Counter.class).getByName("bench");
    view = stub.call();
  }

  @TearDown
  public void tearDown() {
    runtime.close();
    if (registry != null) {
      if (!registry.scrape().contains("dobj_calls_total")) {
        throw new AssertionError("the registry recorded no calls");
      }
      registry.close();
    }
  }

  @Benchmark
  public long blockingRoundTrip() {
    return view.increment();
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
}
