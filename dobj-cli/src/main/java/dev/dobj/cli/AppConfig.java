package dev.dobj.cli;

import dev.dobj.spi.storage.Durability;
import dev.dobj.sqlite.SqliteStorageEngine;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An application's {@code dobj.toml}, checked: what {@code dobj dev} serves and how.
 *
 * @param name the application's name ({@code name})
 * @param main the Worker class ({@code main}), a fully qualified class name
 * @param mainLine the line of {@code main}, for errors found when the class is loaded
 * @param bindings the Durable Object namespaces ({@code [[durable_objects.bindings]]}), in file
 *     order, names unique
 * @param vars the plain variables ({@code [vars]}), in file order
 * @param settings dobj's own settings ({@code [dobj]}), defaults filled in
 */
record AppConfig(
    String name,
    String main,
    OptionalInt mainLine,
    List<Binding> bindings,
    Map<String, String> vars,
    Settings settings) {

  /** The default port of {@code dobj dev}, as wrangler's. */
  static final int DEFAULT_PORT = 8787;

  /** The default host: loopback only. */
  static final String DEFAULT_HOST = "127.0.0.1";

  /** The default data directory, relative to the app directory. */
  static final String DEFAULT_DATA_DIR = "./.dobj";

  /** The spelling of {@code durability} in {@code dobj.toml} and on the command line. */
  static String durabilityName(Durability durability) {
    return durability.name().toLowerCase(Locale.ROOT);
  }

  /** The durability spelled {@code name} ({@code fsync} or {@code os}); empty for anything else. */
  static Optional<Durability> durability(String name) {
    for (Durability d : Durability.values()) {
      if (durabilityName(d).equals(name)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  AppConfig {
    bindings = List.copyOf(bindings);
    vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
  }

  /**
   * One {@code [[durable_objects.bindings]]} entry.
   *
   * @param name the binding name, as {@code env.namespace(name, ...)} uses it
   * @param className the Durable Object class: fully qualified, or a simple name in the package of
   *     {@code main} (as wrangler's {@code class_name} names an export of the main module)
   * @param uniqueKey the key the namespace's ids derive from; the binding name unless given
   * @param classNameLine the line of {@code class_name}, for errors found when the class is loaded
   */
  record Binding(String name, String className, String uniqueKey, OptionalInt classNameLine) {}

  /**
   * The {@code [dobj]} table.
   *
   * @param port the port to listen on (0 picks a free one)
   * @param host the host or address to listen on
   * @param dataDir where objects' storage lives, resolved against the app directory
   * @param durability what a commit must survive before the output gate lets its results out:
   *     {@code fsync} (power loss) or {@code os} (a crash of the process)
   * @param metricsPort the port of the metrics endpoint, if the file sets one (0 picks a free one)
   */
  /**
   * dobj's own settings ({@code [dobj]}).
   *
   * @param commitLog whether {@code fsync} durability goes through the shared commit log (one fsync
   *     covers the batches of every object) rather than an fsync of each object's WAL
   * @param historyDays how many days each object's history is kept for point-in-time recovery
   *     (bookmarks); 0 keeps none
   */
  record Settings(
      int port,
      String host,
      Path dataDir,
      Durability durability,
      OptionalInt metricsPort,
      boolean commitLog,
      int historyDays) {
    /** The storage engine these settings ask for, on {@code dataDir}. */
    SqliteStorageEngine openStorage(Path dataDir) {
      return SqliteStorageEngine.builder(dataDir)
          .durability(durability)
          .commitLog(commitLog)
          .historyRetention(java.time.Duration.ofDays(historyDays))
          .build();
    }
  }

  /** Days of history kept by default (SPEC: at least 7). */
  static final int DEFAULT_HISTORY_DAYS = 7;
}
