package dev.dobj.spi.storage;

/** What a completed commit survives. */
public enum Durability {
  /** The commit is fsync'd: it survives power loss and kernel crashes. */
  FSYNC,
  /** The commit is in the operating system's page cache: it survives a crash of the process. */
  OS
}
