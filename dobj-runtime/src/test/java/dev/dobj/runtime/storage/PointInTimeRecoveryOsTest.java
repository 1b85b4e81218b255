package dev.dobj.runtime.storage;

import dev.dobj.spi.storage.Durability;

/**
 * {@link PointInTimeRecoveryTest} with durability {@code OS}: without the commit log the history
 * reads each batch's frames from the WAL itself, and nothing is fsync'd.
 */
class PointInTimeRecoveryOsTest extends PointInTimeRecoveryTest {
  @Override
  protected Durability durability() {
    return Durability.OS;
  }
}
