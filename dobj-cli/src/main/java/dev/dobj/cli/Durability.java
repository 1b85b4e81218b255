package dev.dobj.cli;

import java.util.Locale;

/**
 * How far a storage commit must get before the output gate opens (DESIGN.md section 3). Accepted
 * and validated now; storage uses it once it exists.
 */
enum Durability {
  /** Survives power loss: every commit is fsync'd. */
  FSYNC,
  /** Survives a crash of the process, not of the machine: the OS writes the data back. */
  OS;

  /** The spelling in {@code dobj.toml}: {@code fsync} or {@code os}. */
  String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
