package dev.dobj.sqlite;

import dev.dobj.spi.storage.Durability;
import dev.dobj.spi.storage.StorageEngine;
import dev.dobj.tck.StorageEngineContract;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;

/** The storage-engine contract, under both durabilities. */
class SqliteStorageEngineTest {
  @Nested
  class WithFsyncDurability extends StorageEngineContract {
    @Override
    protected StorageEngine newEngine(Path dataDir, Durability durability) {
      return new SqliteStorageEngine(dataDir, durability);
    }

    @Override
    protected Durability durability() {
      return Durability.FSYNC;
    }
  }

  @Nested
  class WithOsDurability extends StorageEngineContract {
    @Override
    protected StorageEngine newEngine(Path dataDir, Durability durability) {
      return new SqliteStorageEngine(dataDir, durability);
    }

    @Override
    protected Durability durability() {
      return Durability.OS;
    }
  }

  /** A tiny connection bound and checkpoint threshold, so eviction and checkpoints run often. */
  @Nested
  class WithTwoConnectionsAndEagerCheckpoints extends StorageEngineContract {
    @Override
    protected StorageEngine newEngine(Path dataDir, Durability durability) {
      return SqliteStorageEngine.builder(dataDir)
          .durability(durability)
          .maxOpenConnections(2)
          .checkpointBytes(0)
          .committerThreads(2)
          .build();
    }
  }
}
