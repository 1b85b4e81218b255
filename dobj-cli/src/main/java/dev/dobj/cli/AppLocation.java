package dev.dobj.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options every inspection command shares (a picocli mixin): which app and data directory to
 * look into, and whether to print JSON.
 */
final class AppLocation {
  @Option(
      names = "--app",
      paramLabel = "DIR",
      defaultValue = ".",
      description = "The app's folder, holding dobj.toml (default: the current folder).")
  private Path appDir;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "The data directory (default: as dobj dev: [dobj] data_dir, else APP/.dobj).")
  private Path dataDir;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  private boolean json;

  /** Runs {@code request} against the app: through its running server, or in process. */
  JsonNode run(ObjectNode request) throws CliException {
    return InspectClient.run(appDir, Optional.ofNullable(dataDir), request);
  }

  /** Whether the answer is printed as JSON. */
  boolean json() {
    return json;
  }
}
