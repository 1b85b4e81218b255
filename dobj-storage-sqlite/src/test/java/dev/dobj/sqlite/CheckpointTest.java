package dev.dobj.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dobj.NamespaceKey;
import dev.dobj.spi.ObjectAddress;
import dev.dobj.spi.storage.Durability;
import dev.dobj.spi.storage.FencingToken;
import dev.dobj.spi.storage.ObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The engine owns the WAL checkpoints: SQLite never checkpoints by itself. */
class CheckpointTest {
  private static final String NAMESPACE = "checkpoints";
  private static final ObjectAddress ADDRESS =
      new ObjectAddress(NAMESPACE, NamespaceKey.of(NAMESPACE).idFromName("a"));
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dataDir;
  private final RecordingHooks hooks = new RecordingHooks();
  private SqliteStorageEngine engine;

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
  }

  private SqliteStorageEngine start(Durability durability, long checkpointBytes) {
    engine =
        SqliteStorageEngine.builder(dataDir)
            .durability(durability)
            .checkpointBytes(checkpointBytes)
            .hooks(hooks)
            .build();
    return engine;
  }

  private Path file() {
    return dataDir.resolve(NAMESPACE).resolve(ADDRESS.id() + ".sqlite");
  }

  private Path wal() {
    return dataDir.resolve(NAMESPACE).resolve(ADDRESS.id() + ".sqlite-wal");
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void aWalPastTheThreshold_isCheckpointedAndTruncated_andTheDataSurvive(Durability durability)
      throws Exception {
    start(durability, 64 * 1024);
    try (ObjectStore s = engine.open(ADDRESS, FencingToken.SINGLE_NODE)) {
      s.execute("CREATE TABLE t (b)");
      assertThat(s.durable(s.commit())).succeedsWithin(WAIT);
      for (int i = 0; i < 4; i++) {
        s.execute("INSERT INTO t VALUES (?)", new byte[50_000]);
      }
      assertThat(s.durable(s.commit())).succeedsWithin(WAIT);
      hooks.awaitCheckpointOf(file());
      // the checkpoint ran on the committer while this test held no lock; nothing wrote since
      assertThat(Files.size(wal())).as("WAL after the checkpoint").isZero();
      assertThat(Files.size(file())).as("database after the checkpoint").isGreaterThan(200_000);
    }
    engine.close();
    start(durability, 64 * 1024);
    try (ObjectStore s = engine.open(ADDRESS, FencingToken.SINGLE_NODE)) {
      assertThat(s.execute("SELECT count(*), sum(length(b)) FROM t").rows().get(0))
          .containsExactly(4L, 200_000L);
    }
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void belowTheThreshold_theWalJustGrows_becauseSqliteNeverCheckpointsByItself(
      Durability durability) throws Exception {
    start(durability, Long.MAX_VALUE);
    try (ObjectStore s = engine.open(ADDRESS, FencingToken.SINGLE_NODE)) {
      s.execute("CREATE TABLE t (b)");
      assertThat(s.durable(s.commit())).as("the batch that creates the file").succeedsWithin(WAIT);
      // SQLite's own auto-checkpoint would run at 1000 pages (about 4 MB of WAL).
      for (int i = 0; i < 60; i++) {
        s.execute("INSERT INTO t VALUES (?)", new byte[100_000]);
        assertThat(s.durable(s.commit())).succeedsWithin(WAIT);
      }
      assertThat(Files.size(wal())).isGreaterThan(6_000_000);
      assertThat(Files.size(file())).isLessThan(100_000);
      assertThat(hooks.checkpoints).isEmpty();
    }
  }
}
