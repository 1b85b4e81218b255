package dev.dobj.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dobj.NamespaceKey;
import dev.dobj.spi.ObjectAddress;
import dev.dobj.spi.storage.Durability;
import dev.dobj.spi.storage.FencingToken;
import dev.dobj.spi.storage.ObjectStore;
import dev.dobj.spi.storage.SqlResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ObjectStore#interrupt()} stops a statement that would never end, from another thread. */
class InterruptTest {
  private static final ObjectAddress ADDRESS =
      new ObjectAddress("stuck", NamespaceKey.of("stuck").idFromName("a"));
  private static final Duration WAIT = Duration.ofSeconds(30);
  // Counts the rows of a recursive CTE without an end: the first step never returns by itself.
  private static final String ENDLESS_READ =
      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";
  private static final String ENDLESS_WRITE =
      "INSERT INTO t WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c";

  @TempDir Path dataDir;
  private SqliteStorageEngine engine;
  private ObjectStore store;

  @BeforeEach
  void open() {
    engine = SqliteStorageEngine.builder(dataDir).durability(Durability.FSYNC).build();
    store = engine.open(ADDRESS, FencingToken.SINGLE_NODE);
    store.execute("CREATE TABLE t (x INTEGER)");
    store.put("k", new byte[] {1});
    assertThat(store.durable(store.commit())).succeedsWithin(WAIT);
  }

  @AfterEach
  void close() {
    store.close();
    engine.close();
  }

  /**
   * Runs {@code sql} on another thread and interrupts the store until the call ends (an interrupt
   * that lands before SQLite counts the statement as running is a no-op, so it is repeated).
   */
  private Throwable runAndInterrupt(String sql) throws InterruptedException {
    CompletableFuture<SqlResult> call =
        CompletableFuture.supplyAsync(() -> store.execute(sql), Thread::startVirtualThread);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      store.interrupt();
      try {
        call.get(20, TimeUnit.MILLISECONDS);
        throw new AssertionError("the endless statement returned: " + sql);
      } catch (TimeoutException stillRunning) {
        // interrupt again
      } catch (ExecutionException e) {
        return e.getCause();
      }
    }
    throw new AssertionError("the statement was not interrupted within " + WAIT);
  }

  @Test
  void anEndlessRead_failsWithIllegalState_theOpenBatchIsRolledBack_andTheStoreStaysUsable()
      throws InterruptedException {
    store.put("k", new byte[] {2}); // in the open batch, not committed

    Throwable failure = runAndInterrupt(ENDLESS_READ);

    assertThat(failure)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(ADDRESS.toString())
        .hasMessageContaining("was interrupted; its write transaction was rolled back");
    assertThat(store.get("k")).hasValueSatisfying(v -> assertThat(v).containsExactly(1));
    store.put("k", new byte[] {3});
    store.execute("INSERT INTO t VALUES (7)");
    assertThat(store.durable(store.commit())).succeedsWithin(WAIT);
    assertThat(store.execute("SELECT x FROM t").rows()).containsExactly(new Object[] {7L});
  }

  @Test
  void anEndlessWrite_isStopped_andNoneOfItsRowsStay() throws InterruptedException {
    Throwable failure = runAndInterrupt(ENDLESS_WRITE);

    assertThat(failure).isInstanceOf(IllegalStateException.class);
    assertThat(store.execute("SELECT count(*) FROM t").rows()).containsExactly(new Object[] {0L});
    store.execute("INSERT INTO t VALUES (1)");
    assertThat(store.durable(store.commit())).succeedsWithin(WAIT);
    store.close();
    store = engine.open(ADDRESS, FencingToken.SINGLE_NODE);
    assertThat(store.execute("SELECT count(*) FROM t").rows()).containsExactly(new Object[] {1L});
  }

  @Test
  void anInterruptWithNothingRunning_doesNothing_toTheNextStatement() {
    store.interrupt();
    store.interrupt();

    assertThat(store.execute("SELECT 40 + 2").rows()).containsExactly(new Object[] {42L});
    store.execute("INSERT INTO t VALUES (1)");
    assertThat(store.durable(store.commit())).succeedsWithin(WAIT);
  }
}
