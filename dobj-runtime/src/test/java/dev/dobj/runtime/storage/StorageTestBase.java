package dev.dobj.runtime.storage;

import dev.dobj.DurableObjectNamespace;
import dev.dobj.runtime.DurableObjectRuntime;
import dev.dobj.runtime.storage.StoreFixtures.Store;
import dev.dobj.runtime.testing.Awaits;
import dev.dobj.runtime.time.ManualClock;
import dev.dobj.spi.storage.Durability;
import dev.dobj.spi.storage.StorageEngine;
import dev.dobj.sqlite.SqliteStorageEngine;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runtime with the SQLite engine on a fresh data directory, both on one manual clock (the
 * runtime's timers and alarms, the engine's history).
 */
abstract class StorageTestBase {
  @TempDir Path dataDir;
  protected final ManualClock clock = new ManualClock();
  protected final String probeName = UUID.randomUUID().toString();
  protected DurableObjectRuntime runtime;
  protected Function<StorageEngine, StorageEngine> wrapEngine = e -> e;
  protected Consumer<DurableObjectRuntime.Builder> tweak = b -> {};

  @BeforeEach
  void startRuntime() {
    runtime = build();
  }

  protected Durability durability() {
    return Durability.FSYNC;
  }

  protected DurableObjectRuntime build() {
    DurableObjectRuntime.Builder b =
        DurableObjectRuntime.builder()
            .clock(clock)
            .var("probe", probeName)
            .storage(
                wrapEngine.apply(
                    SqliteStorageEngine.builder(dataDir)
                        .durability(durability())
                        .clock(clock)
                        .build()))
            .bind("STORE", StoreFixtures.StoreObject.class, "store-key")
            .bind("NOALARM", StoreFixtures.NoAlarmObject.class, "no-alarm-key");
    tweak.accept(b);
    return b.build();
  }

  /** Closes the runtime (and its engine) and starts a new one on the same data directory. */
  protected void restart() {
    runtime.close();
    runtime = build();
  }

  @AfterEach
  void stopRuntime() {
    if (runtime != null) {
      runtime.close();
    }
    StoreFixtures.LOGS.remove(probeName);
  }

  /** Waits until no object of {@code binding} runs or waits (before moving the manual clock). */
  protected void awaitIdle(String binding) {
    Awaits.until(() -> runtime.busyObjects(binding) == 0, "objects of " + binding + " to be idle");
  }

  protected DurableObjectNamespace<Store> stores() {
    return runtime.env().namespace("STORE", Store.class);
  }

  protected Store store(String name) {
    return stores().getByName(name).call();
  }

  protected List<String> log() {
    return StoreFixtures.LOGS.computeIfAbsent(
        probeName, k -> new java.util.concurrent.CopyOnWriteArrayList<>());
  }
}
