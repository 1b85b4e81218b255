package dev.dobj.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dobj storage NAMESPACE OBJECT get KEY | put KEY JSON | delete KEY | list | sql QUERY}:
 * reads or edits one object's storage, inside the object as a turn (through the running server if
 * one serves the data directory). {@code OBJECT} is an id (64 hex digits) or a name. Values are the
 * JSON the RPC codec stores: {@code get} prints it, {@code put} takes it.
 */
@Command(
    name = "storage",
    mixinStandardHelpOptions = true,
    description = {
      "Read or edit an object's storage: get KEY, put KEY JSON, delete KEY, list, sql QUERY.",
      "OBJECT is an id (64 hex digits) or a name. Runs inside the object as a turn, through the"
          + " running dobj dev of the data directory if there is one.",
      "put takes JSON: '\"text\"', 42, 1.5, true, or an object for a record ('{\"a\":1}')."
    })
final class StorageCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "NAMESPACE", description = "The binding name.")
  private String namespace;

  @Parameters(index = "1", paramLabel = "OBJECT", description = "An id or a name.")
  private String object;

  @Parameters(index = "2", paramLabel = "OPERATION", description = "get, put, delete, list or sql.")
  private String op;

  @Parameters(
      index = "3..*",
      arity = "0..2",
      paramLabel = "ARG",
      description = "KEY [JSON] | QUERY")
  private List<String> args = new ArrayList<>();

  @Mixin private AppLocation app;

  @Option(names = "--prefix", paramLabel = "P", description = "list: only keys starting with P.")
  private String prefix;

  @Option(names = "--limit", paramLabel = "N", description = "list: at most N entries.")
  private Integer limit;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() throws CliException {
    ObjectNode request = Inspect.JSON.createObjectNode();
    request.put("command", "storage").put("namespace", namespace).put("object", object);
    request.put("op", op);
    switch (op) {
      case "get", "delete" -> request.put("key", arg(0, "KEY"));
      case "put" -> {
        request.put("key", arg(0, "KEY"));
        String value = arg(1, "JSON");
        try {
          request.set("value", Inspect.JSON.readTree(value));
        } catch (JsonProcessingException e) {
          throw new ParameterException(
              spec.commandLine(),
              "put needs a JSON value, got " + value + " (quote a string twice: '\"text\"')");
        }
      }
      case "list" -> {
        if (prefix != null) {
          request.put("prefix", prefix);
        }
        if (limit != null) {
          request.put("limit", limit);
        }
      }
      case "sql" -> request.put("query", arg(0, "QUERY"));
      default ->
          throw new ParameterException(
              spec.commandLine(), "OPERATION must be get, put, delete, list or sql, got " + op);
    }
    JsonNode result = app.run(request);
    PrintWriter out = spec.commandLine().getOut();
    if (app.json()) {
      out.println(result.toString());
    } else {
      print(out, result);
    }
    out.flush();
    return 0;
  }

  private void print(PrintWriter out, JsonNode result) {
    switch (op) {
      case "get" -> {
        JsonNode v = result.get("value");
        out.println(v == null || v.isNull() ? "(not found)" : v.toString());
      }
      case "put" -> out.println("written " + result.get("key").asText());
      case "delete" ->
          out.println(
              (result.get("existed").asBoolean() ? "deleted " : "not found: ")
                  + result.get("key").asText());
      case "list" -> {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode e : result) {
          rows.add(List.of(e.get("key").asText(), e.get("value").toString()));
        }
        InspectOutput.table(out, List.of("KEY", "VALUE"), rows);
      }
      default -> {
        List<String> header = new ArrayList<>();
        result.get("columns").forEach(c -> header.add(c.asText()));
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode r : result.get("rows")) {
          List<String> row = new ArrayList<>();
          r.forEach(c -> row.add(InspectOutput.cell(c)));
          rows.add(row);
        }
        if (header.isEmpty()) {
          out.println(
              "rows read: "
                  + result.get("rowsRead").asLong()
                  + ", rows written: "
                  + result.get("rowsWritten").asLong());
        } else {
          InspectOutput.table(out, header, rows);
        }
      }
    }
  }

  private String arg(int i, String label) {
    if (args.size() <= i) {
      throw new ParameterException(
          spec.commandLine(), op + " needs " + label + " (see 'dobj storage --help')");
    }
    return args.get(i);
  }
}
