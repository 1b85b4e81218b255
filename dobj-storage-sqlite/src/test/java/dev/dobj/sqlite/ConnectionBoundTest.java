package dev.dobj.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dobj.NamespaceKey;
import dev.dobj.spi.ObjectAddress;
import dev.dobj.spi.storage.Durability;
import dev.dobj.spi.storage.FencingToken;
import dev.dobj.spi.storage.ObjectStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Many objects on disk never mean many open files. */
class ConnectionBoundTest {
  private static final String NAMESPACE = "bound";
  private static final int BOUND = 16;

  /**
   * A database file, its WAL, the engine's channel on the WAL, and the object's history (open with
   * its connection).
   */
  private static final int FILES_PER_CONNECTION = 4;

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dataDir;
  private SqliteStorageEngine engine;

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
  }

  private void start(Durability durability) {
    engine =
        SqliteStorageEngine.builder(dataDir)
            .durability(durability)
            .maxOpenConnections(BOUND)
            .build();
  }

  private static ObjectAddress address(int i) {
    return new ObjectAddress(NAMESPACE, NamespaceKey.of(NAMESPACE).idFromName("o" + i));
  }

  private void assertWithinBound() throws Exception {
    assertThat(engine.openConnections()).isLessThanOrEqualTo(BOUND);
    long log = SqliteFilesTest.openFilesUnder(dataDir.resolve(CommitLog.DIRECTORY));
    assertThat(log).as("open commit log segments").isLessThanOrEqualTo(2);
    assertThat(SqliteFilesTest.openFilesUnder(dataDir) - log)
        .isLessThanOrEqualTo((long) BOUND * FILES_PER_CONNECTION);
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void aThousandObjects_openedWrittenAndClosed_keepAtMostTheBoundOpen(Durability durability)
      throws Exception {
    start(durability);
    for (int i = 0; i < 1000; i++) {
      try (ObjectStore s = engine.open(address(i), FencingToken.SINGLE_NODE)) {
        s.put("k", new byte[] {(byte) i});
        s.execute("CREATE TABLE t (x)");
        assertThat(s.durable(s.commit())).succeedsWithin(WAIT);
      }
      assertWithinBound();
    }
    assertThat(engine.openConnections()).isEqualTo(BOUND);
    assertThat(engine.listObjects(NAMESPACE, java.util.Optional.empty(), 2000)).hasSize(1000);
    // and every object reopens with its data (most connections were closed and reopen now)
    for (int i = 0; i < 1000; i += 7) {
      byte expected = (byte) i;
      try (ObjectStore s = engine.open(address(i), FencingToken.SINGLE_NODE)) {
        assertThat(s.get("k")).hasValueSatisfying(v -> assertThat(v).containsExactly(expected));
        assertThat(s.execute("SELECT count(*) FROM t").rows()).hasSize(1);
      }
      assertWithinBound();
    }
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void leasedStoresOutsideATransaction_giveUpTheirConnection_andReopenItOnUse(Durability durability)
      throws Exception {
    start(durability);
    List<ObjectStore> stores = new ArrayList<>();
    try {
      for (int i = 0; i < 3 * BOUND; i++) {
        ObjectStore s = engine.open(address(i), FencingToken.SINGLE_NODE);
        stores.add(s);
        s.put("k", new byte[] {(byte) i});
        assertThat(s.durable(s.commit())).succeedsWithin(WAIT);
        assertWithinBound();
      }
      for (int round = 0; round < 2; round++) {
        for (int i = 0; i < stores.size(); i++) {
          assertThat(stores.get(i).get("k")).hasValueSatisfying(v -> assertThat(v).hasSize(1));
          assertWithinBound();
        }
      }
    } finally {
      stores.forEach(ObjectStore::close);
    }
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void storesInsideATransaction_keepTheirConnection_evenPastTheBound(Durability durability)
      throws Exception {
    start(durability);
    List<ObjectStore> stores = new ArrayList<>();
    try {
      for (int i = 0; i < BOUND + 4; i++) {
        ObjectStore s = engine.open(address(i), FencingToken.SINGLE_NODE);
        stores.add(s);
        s.put("k", new byte[] {1});
        assertThat(s.durable(s.commit())).succeedsWithin(WAIT);
      }
      for (ObjectStore s : stores) {
        s.put("k", new byte[] {2}); // a transaction is open on every store now
      }
      assertThat(engine.openConnections()).isEqualTo(BOUND + 4);
      for (ObjectStore s : stores) {
        assertThat(s.durable(s.commit())).succeedsWithin(WAIT);
      }
      try (ObjectStore extra = engine.open(address(999), FencingToken.SINGLE_NODE)) {
        extra.put("k", new byte[] {3});
        extra.commit();
      }
      assertThat(engine.openConnections())
          .as("a new connection closes others until the count is back within the bound")
          .isEqualTo(BOUND);
      for (ObjectStore s : stores) {
        assertThat(s.get("k")).hasValueSatisfying(v -> assertThat(v).containsExactly(2));
      }
    } finally {
      stores.forEach(ObjectStore::close);
    }
  }
}
