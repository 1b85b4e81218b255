package dev.dobj.runtime.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dobj.DurableObjectException;
import dev.dobj.DurableObjectStub;
import dev.dobj.runtime.storage.StoreFixtures.Store;
import dev.dobj.spi.storage.ObjectStore;
import dev.dobj.spi.storage.StorageEngine;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * SPEC section 1: a storage operation over 30 s resets the object. The runtime's sweep notices the
 * turn stuck in its storage, stops the operation in the engine and resets the object.
 */
class StorageTimeoutTest extends StorageTestBase {
  private static final String STUCK = "SELECT 'stuck'";
  private static final String ENDLESS =
      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  // The stuck statement has reached the engine; released by the engine's interrupt().
  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch interrupted = new CountDownLatch(1);
  private final AtomicInteger interrupts = new AtomicInteger();

  {
    tweak = b -> b.meterRegistry(registry);
    wrapEngine = this::stuckOn;
  }

  /**
   * The real engine, except that {@link #STUCK} blocks in the store until the store is interrupted,
   * as a statement SQLite cannot finish would (the interrupt is counted, then passed on).
   */
  private StorageEngine stuckOn(StorageEngine real) {
    return (StorageEngine)
        Proxy.newProxyInstance(
            StorageEngine.class.getClassLoader(),
            new Class<?>[] {StorageEngine.class},
            (proxy, method, args) -> {
              Object result = invoke(real, method, args);
              return method.getName().equals("open") ? stuck((ObjectStore) result) : result;
            });
  }

  private ObjectStore stuck(ObjectStore real) {
    return (ObjectStore)
        Proxy.newProxyInstance(
            ObjectStore.class.getClassLoader(),
            new Class<?>[] {ObjectStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("interrupt")) {
                interrupts.incrementAndGet();
                interrupted.countDown();
              } else if (method.getName().equals("execute") && STUCK.equals(args[0])) {
                entered.countDown();
                interrupted.await();
                throw new IllegalStateException("interrupted by the test's engine");
              }
              return invoke(real, method, args);
            });
  }

  private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args)
      throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void assertResetForTheTimeout(
      CompletableFuture<?> call, DurableObjectStub<Store> stub) {
    assertThat(call)
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableThat()
        .havingCause()
        .isInstanceOfSatisfying(
            DurableObjectException.class,
            e -> {
              assertThat(e.reset()).isTrue();
              assertThat(e.getMessage())
                  .contains("a storage operation ran longer than 30 s")
                  .contains(stub.id().toString());
            });
  }

  @Test
  void aStatementStuckInTheEngine_resetsTheObjectAfter30s_stoppingIt_andFailingTheQueuedCalls()
      throws InterruptedException {
    DurableObjectStub<Store> stub = stores().getByName("a");
    stub.call().put("k", "kept");
    CompletableFuture<List<Map<String, String>>> stuckCall =
        stub.callAsync(s -> s.sql(STUCK, List.of()));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Optional<String>> queued = stub.callAsync(s -> s.get("k"));

    clock.advance(Duration.ofSeconds(29));
    assertThat(stuckCall).isNotDone();
    assertThat(queued).isNotDone();
    assertThat(interrupts).hasValue(0);

    clock.advance(Duration.ofSeconds(3)); // the sweep runs every 10 s / 7
    assertResetForTheTimeout(stuckCall, stub);
    assertResetForTheTimeout(queued, stub);
    assertThat(interrupts).hasPositiveValue();
    assertThat(
            registry
                .get("dobj.resets")
                .tag("namespace", "STORE")
                .tag("cause", "storage_timeout")
                .counter()
                .count())
        .isEqualTo(1);

    assertThat(stores().get(stub.id()).call().get("k")).contains("kept");
  }

  @Test
  void anEndlessSqliteQuery_isInterrupted_andTheObjectResets_keepingWhatWasCommitted()
      throws InterruptedException, ExecutionException {
    DurableObjectStub<Store> stub = stores().getByName("b");
    stub.call().put("k", "kept");
    CompletableFuture<List<Map<String, String>>> endless =
        stub.callAsync(s -> s.sql(ENDLESS, List.of()));

    // The time is noted when the statement reaches the engine: move the clock until it has.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!endless.isDone() && System.nanoTime() < deadline) {
      clock.advance(Duration.ofSeconds(32));
      try {
        endless.get(20, TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException notYetOrFailed) {
        // checked below
      }
    }

    assertResetForTheTimeout(endless, stub);
    Store fresh = stores().get(stub.id()).call();
    assertThat(fresh.get("k")).contains("kept");
    assertThat(fresh.sql("SELECT 40 + 2 AS answer", List.of()))
        .containsExactly(Map.of("answer", "42"));
  }

  @Test
  void theLimitIsConfigurable() throws InterruptedException {
    runtime.close();
    tweak = b -> b.meterRegistry(registry).storageOperationTimeout(Duration.ofSeconds(5));
    runtime = build();
    DurableObjectStub<Store> stub = stores().getByName("c");
    CompletableFuture<List<Map<String, String>>> stuckCall =
        stub.callAsync(s -> s.sql(STUCK, List.of()));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    clock.advance(Duration.ofSeconds(4));
    assertThat(stuckCall).isNotDone();
    clock.advance(Duration.ofSeconds(2));
    assertThat(stuckCall)
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableThat()
        .withMessageContaining("a storage operation ran longer than 5 s");
  }
}
