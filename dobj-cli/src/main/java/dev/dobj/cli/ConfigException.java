package dev.dobj.cli;

import java.util.OptionalInt;

/**
 * A broken rule of {@code dobj.toml}; the message starts with the file and, when known, the line:
 * {@code dobj.toml line 7: unknown key "class" in [[durable_objects.bindings]]; expected name,
 * class_name, unique_key}. Exit code 2.
 */
final class ConfigException extends CliException {
  private final OptionalInt line;

  ConfigException(OptionalInt line, String message) {
    super(
        USAGE,
        DobjToml.FILE_NAME + (line.isPresent() ? " line " + line.getAsInt() : "") + ": " + message);
    this.line = line;
  }

  ConfigException(String message) {
    this(OptionalInt.empty(), message);
  }

  /** The line of the offending key, when known. */
  OptionalInt line() {
    return line;
  }
}
