package dev.dobj.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dobj objects NAMESPACE [--app DIR] [--data DIR] [--limit N] [--start-after ID] [--json]}:
 * the objects of a namespace that have storage, ordered by id, with names, storage sizes and
 * pending alarms; through the running server if one serves the data directory.
 */
@Command(
    name = "objects",
    mixinStandardHelpOptions = true,
    description = {
      "List the objects of a namespace that have storage: id, name, storage size, pending alarm.",
      "Asks the running dobj dev of the data directory if there is one; else opens it itself."
    })
final class ObjectsCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "NAMESPACE", description = "The binding name.")
  private String namespace;

  @Mixin private AppLocation app;

  @Option(names = "--limit", paramLabel = "N", description = "At most N objects.")
  private Integer limit;

  @Option(names = "--start-after", paramLabel = "ID", description = "Start after this id.")
  private String startAfter;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() throws CliException {
    ObjectNode request = Inspect.JSON.createObjectNode();
    request.put("command", "objects").put("namespace", namespace);
    if (limit != null) {
      request.put("limit", limit);
    }
    if (startAfter != null) {
      request.put("startAfter", startAfter);
    }
    JsonNode result = app.run(request);
    PrintWriter out = spec.commandLine().getOut();
    if (app.json()) {
      out.println(result.toString());
    } else {
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode o : result) {
        rows.add(
            List.of(
                o.get("id").asText(),
                InspectOutput.cell(o.get("name")),
                o.get("storageBytes").asText(),
                InspectOutput.cell(o.get("alarm"))));
      }
      InspectOutput.table(out, List.of("ID", "NAME", "STORAGE_BYTES", "ALARM"), rows);
    }
    out.flush();
    return 0;
  }
}
