package dev.dobj.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dobj.NamespaceKey;
import dev.dobj.spi.ObjectAddress;
import dev.dobj.spi.storage.Durability;
import dev.dobj.spi.storage.FencingToken;
import dev.dobj.spi.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** I/O failures surface as UncheckedIOException or failed futures, and the store refuses use. */
class IoFailureTest {
  private static final String NAMESPACE = "failures";
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

  @ParameterizedTest
  @EnumSource(Durability.class)
  void aFileWhereTheNamespaceDirectoryShouldBe_failsTheFirstCommit_andTheStoreRefusesUse(
      Durability durability) throws IOException {
    Files.writeString(dataDir.resolve(NAMESPACE), "in the way");
    engine = SqliteStorageEngine.builder(dataDir).durability(durability).build();
    try (ObjectStore s = engine.open(ADDRESS, FencingToken.SINGLE_NODE)) {
      s.put("k", new byte[] {1});
      assertThat(s.get("k")).isPresent();
      assertThatThrownBy(s::commit).isInstanceOf(UncheckedIOException.class);
      assertThatThrownBy(() -> s.get("k"))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("refuses further use");
      assertThatThrownBy(() -> s.put("k", new byte[] {2})).isInstanceOf(UncheckedIOException.class);
    }
    // a new lease starts afresh from the disk: nothing was stored
    try (ObjectStore s = engine.open(ADDRESS, FencingToken.SINGLE_NODE)) {
      assertThat(s.get("k")).isEmpty();
      Files.delete(dataDir.resolve(NAMESPACE));
      s.put("k", new byte[] {3});
      assertThat(s.durable(s.commit())).succeedsWithin(WAIT);
    }
  }

  @Test
  void
      withoutTheCommitLog_aFailedWalFsync_failsTheDurableFuture_andTheStoreRefusesUse_untilOpenedAgain()
          throws IOException {
    engine =
        SqliteStorageEngine.builder(dataDir)
            .durability(Durability.FSYNC)
            .commitLog(false)
            .hooks(hooks)
            .build();
    Path wal = dataDir.resolve(NAMESPACE).resolve(ADDRESS.id() + ".sqlite-wal").toAbsolutePath();
    try (ObjectStore s = engine.open(ADDRESS, FencingToken.SINGLE_NODE)) {
      s.put("k", new byte[] {1});
      assertThat(s.durable(s.commit())).succeedsWithin(WAIT);
      hooks.failFsyncsOf(wal::equals);
      s.put("k", new byte[] {2});
      CompletableFuture<Void> durable = s.durable(s.commit());
      assertThat(durable)
          .failsWithin(WAIT)
          .withThrowableThat()
          .havingRootCause()
          .isInstanceOf(IOException.class)
          .withMessageContaining("injected fsync failure");
      assertThatThrownBy(() -> s.get("k")).isInstanceOf(UncheckedIOException.class);
      assertThatThrownBy(s::commit).isInstanceOf(UncheckedIOException.class);
    }
    hooks.failFsyncsOf(p -> false);
    try (ObjectStore s = engine.open(ADDRESS, FencingToken.SINGLE_NODE)) {
      assertThat(s.get("k")).isPresent();
      s.put("k", new byte[] {3});
      assertThat(s.durable(s.commit())).succeedsWithin(WAIT);
    }
  }
}
