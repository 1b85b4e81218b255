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
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One fsync covers every batch committed before it started. */
class GroupCommitTest {
  private static final String NAMESPACE = "group-commit";
  private static final ObjectAddress ADDRESS =
      new ObjectAddress(NAMESPACE, NamespaceKey.of(NAMESPACE).idFromName("a"));
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dataDir;
  private final RecordingHooks hooks = new RecordingHooks();
  private SqliteStorageEngine engine;

  @AfterEach
  void close() {
    hooks.release();
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void withoutTheCommitLog_commitsDuringASlowWalFsync_shareTheNextOne() throws Exception {
    engine =
        SqliteStorageEngine.builder(dataDir)
            .durability(Durability.FSYNC)
            .commitLog(false)
            .hooks(hooks)
            .build();
    Path wal = dataDir.resolve(NAMESPACE).resolve(ADDRESS.id() + ".sqlite-wal").toAbsolutePath();
    try (ObjectStore s = engine.open(ADDRESS, FencingToken.SINGLE_NODE)) {
      s.put("k", new byte[] {0});
      assertThat(s.durable(s.commit())).as("the batch that creates the file").succeedsWithin(WAIT);
      assertThat(hooks.fsyncsOf(wal)).isZero();

      hooks.holdFsyncsOf(wal::equals);
      s.put("k", new byte[] {1});
      CompletableFuture<Void> first = s.durable(s.commit());
      hooks.awaitHeld();
      List<CompletableFuture<Void>> later = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        s.put("k" + i, new byte[] {(byte) i});
        later.add(s.durable(s.commit()));
      }
      assertThat(first).as("held in its fsync").isNotDone();
      assertThat(later).noneMatch(CompletableFuture::isDone);

      hooks.release();
      assertThat(first).succeedsWithin(WAIT);
      for (CompletableFuture<Void> f : later) {
        assertThat(f).succeedsWithin(WAIT);
      }
      assertThat(hooks.fsyncsOf(wal))
          .as("fsyncs of the WAL for 101 commits: the held one, then one for the 100 behind it")
          .isEqualTo(2);
    }
  }

  @Test
  void inOsDurability_aCommitIsDurableAtOnce_withoutAnyFsync() {
    engine = SqliteStorageEngine.builder(dataDir).durability(Durability.OS).hooks(hooks).build();
    try (ObjectStore s = engine.open(ADDRESS, FencingToken.SINGLE_NODE)) {
      for (int i = 0; i < 10; i++) {
        s.put("k", new byte[] {(byte) i});
        assertThat(s.durable(s.commit())).isDone();
      }
    }
    assertThat(hooks.fsyncs).isEmpty();
  }
}
