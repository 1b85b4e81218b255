package dev.dobj.runtime;

import dev.dobj.DurableObjectNamespace;
import dev.dobj.runtime.BenchObjects.Counter;
import dev.dobj.runtime.BenchObjects.EmptyObject;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heap cost of an idle activation: activates {@code N} objects of an empty class (one call each),
 * lets them go idle, and divides the retained heap by {@code N}. The baseline retains the same
 * number of instances of the class built directly, so the difference is the runtime's own cost per
 * idle object. Also counts live threads (an idle object must not keep one).
 *
 * <p>Run: {@code ./mvnw -q -pl bench -am package -DskipTests && java -Xmx4g -cp
 * bench/target/benchmarks.jar dev.dobj.runtime.ActivationFootprint 100000}
 */
public final class ActivationFootprint {
  private static final Logger LOG = LoggerFactory.getLogger(ActivationFootprint.class);

  private ActivationFootprint() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    BenchObjects.CounterObject shared = BenchObjects.direct();
    long before = settledHeap(memory);
    List<Object> baseline = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      baseline.add(new EmptyObject(shared.ctx(), shared.env()));
    }
    long baselineBytes = settledHeap(memory) - before;
    baseline.clear();

    try (DurableObjectRuntime runtime =
        DurableObjectRuntime.builder().bind("EMPTY", EmptyObject.class).build()) {
      DurableObjectNamespace<Counter> ns = runtime.env().namespace("EMPTY", Counter.class);
      List<String> names = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        names.add("object-" + i);
      }
      long start = settledHeap(memory);
      for (int i = 0; i < n; i++) {
        ns.getByName(names.get(i)).call().increment();
      }
      long activated = settledHeap(memory) - start;
      int threads = Thread.activeCount();
      LOG.info(
          String.format(
              Locale.ROOT,
              "activations: %d live, heap %.1f bytes each; baseline instance %.1f bytes each;"
                  + " runtime cost %.1f bytes per idle object; platform threads alive: %d",
              runtime.liveObjects("EMPTY"),
              activated / (double) n,
              baselineBytes / (double) n,
              (activated - baselineBytes) / (double) n,
              threads));
    }
  }

  private static long settledHeap(MemoryMXBean memory) throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
