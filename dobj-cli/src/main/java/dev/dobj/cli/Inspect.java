package dev.dobj.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dobj.DurableObjectId;
import dev.dobj.DurableObjectNamespace;
import dev.dobj.ListIdsOptions;
import dev.dobj.runtime.DurableObjectRuntime;
import dev.dobj.runtime.ObjectInfo;
import dev.dobj.storage.ListOptions;
import dev.dobj.storage.SqlCursor;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The inspection commands ({@code dobj objects}, {@code dobj storage}) as JSON requests and
 * answers, executed against a runtime: the running server's (sent over its admin endpoint) or one
 * the CLI starts on a stopped app's data directory. Everything that touches an object runs as a
 * turn of it ({@link DurableObjectRuntime#inspectStorage}), so it is safe while the app serves.
 * Stateless.
 *
 * <p>Requests: {@code {"command":"objects","namespace":N,"limit":n?,"startAfter":id?}} and {@code
 * {"command":"storage","namespace":N,"object":id-or-name,"op":"get|put|delete|list|sql",
 * "key":k?,"value":json?,"prefix":p?,"limit":n?,"query":q?}}. Answers are JSON ({@link #run}).
 */
final class Inspect {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Inspect() {}

  /**
   * Runs {@code request} against {@code runtime}.
   *
   * @throws IllegalArgumentException for a bad request (unknown namespace, bad id, a key or value
   *     over the limits, bad SQL), with a message for the user
   */
  static JsonNode run(DurableObjectRuntime runtime, JsonNode request) {
    String command = text(request, "command");
    String namespace = text(request, "namespace");
    return switch (command) {
      case "objects" -> objects(runtime, namespace, request);
      case "storage" -> storage(runtime, namespace, request);
      default -> throw new IllegalArgumentException("unknown command " + command);
    };
  }

  private static JsonNode objects(DurableObjectRuntime runtime, String namespace, JsonNode r) {
    ListIdsOptions options = ListIdsOptions.ALL;
    if (r.hasNonNull("limit")) {
      options = options.withLimit(r.get("limit").asInt());
    }
    if (r.hasNonNull("startAfter")) {
      options = options.withStartAfter(r.get("startAfter").asText());
    }
    ArrayNode out = NODES.arrayNode();
    for (ObjectInfo o : runtime.objects(namespace, options)) {
      ObjectNode row = out.addObject();
      row.put("id", o.id().toString());
      row.put("name", o.id().name().orElse(null));
      row.put("storageBytes", o.storageBytes());
      row.put("alarm", o.alarm().map(Object::toString).orElse(null));
    }
    return out;
  }

  private static JsonNode storage(DurableObjectRuntime runtime, String namespace, JsonNode r) {
    String object = text(r, "object");
    String op = text(r, "op");
    DurableObjectNamespace<?> ns = runtime.env().namespace(namespace, Runnable.class);
    DurableObjectId id =
        object.matches("[0-9a-fA-F]{64}") ? ns.idFromString(object) : ns.idFromName(object);
    return runtime.inspectStorage(
        namespace,
        id,
        s ->
            switch (op) {
              case "get" -> {
                String key = text(r, "key");
                ObjectNode out = NODES.objectNode().put("key", key);
                out.set("value", s.get(key).map(Inspect::parse).orElse(null));
                yield out;
              }
              case "put" -> {
                String key = text(r, "key");
                JsonNode value = r.get("value");
                if (value == null || value.isNull()) {
                  throw new IllegalArgumentException(
                      "put needs a JSON value other than null (delete the key instead)");
                }
                s.put(key, value.toString());
                yield NODES.objectNode().put("key", key).put("written", true);
              }
              case "delete" -> {
                String key = text(r, "key");
                yield NODES.objectNode().put("key", key).put("existed", s.delete(key));
              }
              case "list" -> {
                ListOptions options = ListOptions.ALL;
                if (r.hasNonNull("prefix")) {
                  options = options.withPrefix(r.get("prefix").asText());
                }
                if (r.hasNonNull("limit")) {
                  options = options.withLimit(r.get("limit").asInt());
                }
                ArrayNode out = NODES.arrayNode();
                for (Map.Entry<String, String> e : s.list(options).entrySet()) {
                  out.addObject().put("key", e.getKey()).set("value", parse(e.getValue()));
                }
                yield out;
              }
              case "sql" -> sql(s.sql(text(r, "query")));
              default ->
                  throw new IllegalArgumentException(
                      "unknown storage operation " + op + "; use get, put, delete, list or sql");
            });
  }

  private static JsonNode sql(SqlCursor cursor) {
    ObjectNode out = NODES.objectNode();
    List<String> columns = cursor.columnNames();
    ArrayNode rows = NODES.arrayNode();
    var raw = cursor.raw();
    while (raw.hasNext()) {
      ArrayNode row = rows.addArray();
      for (Optional<Object> cell : raw.next()) {
        Object v = cell.orElse(null);
        if (v instanceof byte[] b) {
          row.add(Base64.getEncoder().encodeToString(b));
        } else {
          row.addPOJO(v);
        }
      }
    }
    ArrayNode names = out.putArray("columns");
    columns.forEach(names::add);
    out.set("rows", rows);
    out.put("rowsRead", cursor.rowsRead());
    out.put("rowsWritten", cursor.rowsWritten());
    return out;
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      return NODES.textNode(json); // not JSON: shown as the text it is
    }
  }

  private static String text(JsonNode request, String field) {
    JsonNode n = request.get(field);
    if (n == null || !n.isTextual()) {
      throw new IllegalArgumentException("the request lacks \"" + field + "\"");
    }
    return n.asText();
  }
}
