package dev.dobj.sqlite;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Points where tests observe or disturb the engine: no-op by default, never a mock. Called on the
 * committer's threads.
 */
interface EngineHooks {
  /** No hooks. */
  EngineHooks NONE = new EngineHooks() {};

  /**
   * Called before each fsync of {@code file} (a database, its {@code -wal} file or a directory);
   * may block (to hold a sync in flight) or throw (to fail it).
   */
  default void beforeFsync(Path file) throws IOException {}

  /** Called after a WAL checkpoint of {@code file} completed. */
  default void checkpointed(Path file) {}
}
