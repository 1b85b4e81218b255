package dev.dobj.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.toml.TomlReadFeature;
import dev.dobj.spi.storage.Durability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads an application's {@code dobj.toml}, shaped like wrangler's:
 *
 * <pre>{@code
 * name = "counter"
 * main = "dev.dobj.examples.counter.CounterWorker"   # the Worker class
 *
 * [[durable_objects.bindings]]
 * name = "COUNTER"                # env.namespace("COUNTER", ...)
 * class_name = "CounterObject"    # simple name in main's package, or fully qualified
 * unique_key = "counter-v1"       # optional; default: the binding name
 *
 * [vars]
 * GREETING = "hello"              # strings only
 *
 * [dobj]                          # dobj's own settings, all optional
 * port = 8787
 * host = "127.0.0.1"
 * data_dir = "./.dobj"            # relative to the app directory
 * durability = "fsync"            # or "os"
 * metrics_port = 9464             # the Prometheus endpoint (--metrics-port)
 * commit_log = true               # false: fsync each object's WAL instead of one shared log
 * history_days = 7                # point-in-time recovery window (bookmarks); 0: no history
 * }</pre>
 *
 * <p>Strict: an unknown key, a value of the wrong type or a missing required key is a {@link
 * ConfigException} whose message names the key and its line, e.g. {@code dobj.toml line 7: unknown
 * key "class" in [[durable_objects.bindings]]; expected name, class_name, unique_key}.
 */
final class DobjToml {
  /** The configuration file in an app directory. */
  static final String FILE_NAME = "dobj.toml";

  private static final TomlMapper MAPPER =
      TomlMapper.builder().enable(TomlReadFeature.PARSE_JAVA_TIME).build();

  private static final String TOP = "at the top level";
  private static final String DURABLE_OBJECTS = "in [durable_objects]";
  private static final String BINDINGS = "in [[durable_objects.bindings]]";
  private static final String VARS = "in [vars]";
  private static final String DOBJ = "in [dobj]";

  private DobjToml() {}

  /**
   * Reads and checks {@code appDir/dobj.toml}.
   *
   * @throws CliException (exit code 2) if the file is missing or unreadable
   * @throws ConfigException if the file is not valid TOML or breaks a rule above
   */
  static AppConfig read(Path appDir) throws CliException {
    Path file = appDir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      throw new CliException(
          CliException.USAGE,
          "no "
              + FILE_NAME
              + " in "
              + appDir
              + "; APP_DIR must be an app's folder, holding its "
              + FILE_NAME);
    }
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new CliException(CliException.USAGE, "cannot read " + file + ": " + e.getMessage());
    }
    return parse(text, appDir);
  }

  /**
   * Checks {@code text}, the content of {@code appDir/dobj.toml}.
   *
   * @throws ConfigException if it is not valid TOML or breaks a rule above
   */
  static AppConfig parse(String text, Path appDir) throws ConfigException {
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (JacksonException e) {
      JsonLocation at = e.getLocation();
      OptionalInt line =
          at != null && at.getLineNr() > 0 ? OptionalInt.of(at.getLineNr()) : OptionalInt.empty();
      throw new ConfigException(line, "not valid TOML: " + e.getOriginalMessage());
    }
    return new Checker(TomlLines.of(text), appDir).check(root);
  }

  /** Walks the tree, checking each key against the rules; fails on the first broken one. */
  private static final class Checker {
    private final TomlLines lines;
    private final Path appDir;

    Checker(TomlLines lines, Path appDir) {
      this.lines = lines;
      this.appDir = appDir;
    }

    AppConfig check(JsonNode root) throws ConfigException {
      List<Object> top = List.of();
      if (root == null || !root.isObject()) {
        throw new ConfigException("the document must be a TOML table of keys");
      }
      onlyKeys(root, top, TOP, "name", "main", "durable_objects", "vars", "dobj");
      String name =
          requiredString(root, top, "name", TOP, "the app's name, e.g. name = \"counter\"");
      String main =
          requiredString(
              root, top, "main", TOP, "the Worker class, e.g. main = \"com.example.MyWorker\"");
      return new AppConfig(
          name,
          main,
          lines.line(List.of("main")),
          bindings(root.get("durable_objects")),
          vars(root.get("vars")),
          settings(root.get("dobj")));
    }

    private List<AppConfig.Binding> bindings(JsonNode node) throws ConfigException {
      List<AppConfig.Binding> bindings = new ArrayList<>();
      if (node == null) {
        return bindings;
      }
      List<Object> path = List.of("durable_objects");
      table(node, path, "durable_objects", TOP);
      onlyKeys(node, path, DURABLE_OBJECTS, "bindings");
      JsonNode array = node.get("bindings");
      if (array == null) {
        return bindings;
      }
      List<Object> arrayPath = List.of("durable_objects", "bindings");
      if (!array.isArray()) {
        throw typeError(arrayPath, "bindings", DURABLE_OBJECTS, "an array of tables", array);
      }
      Set<String> names = new HashSet<>();
      for (int i = 0; i < array.size(); i++) {
        JsonNode entry = array.get(i);
        List<Object> at = List.of("durable_objects", "bindings", i);
        if (!entry.isObject()) {
          throw new ConfigException(
              line(at), "each entry of durable_objects.bindings must be a table, got " + a(entry));
        }
        onlyKeys(entry, at, BINDINGS, "name", "class_name", "unique_key");
        String name = requiredString(entry, at, "name", BINDINGS, "e.g. name = \"COUNTER\"");
        if (!names.add(name)) {
          throw new ConfigException(
              line(child(at, "name")),
              "binding \"" + name + "\" is defined twice in [[durable_objects.bindings]]");
        }
        String className =
            requiredString(
                entry, at, "class_name", BINDINGS, "the Durable Object class, e.g. \"Counter\"");
        String uniqueKey = optionalString(entry, at, "unique_key", BINDINGS).orElse(name);
        bindings.add(
            new AppConfig.Binding(name, className, uniqueKey, line(child(at, "class_name"))));
      }
      return bindings;
    }

    private Map<String, String> vars(JsonNode node) throws ConfigException {
      Map<String, String> vars = new LinkedHashMap<>();
      if (node == null) {
        return vars;
      }
      List<Object> path = List.of("vars");
      table(node, path, "vars", TOP);
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (!e.getValue().isTextual()) {
          throw typeError(child(path, e.getKey()), e.getKey(), VARS, "a string", e.getValue());
        }
        vars.put(e.getKey(), e.getValue().textValue());
      }
      return vars;
    }

    private AppConfig.Settings settings(JsonNode node) throws ConfigException {
      int port = AppConfig.DEFAULT_PORT;
      String host = AppConfig.DEFAULT_HOST;
      String dataDir = AppConfig.DEFAULT_DATA_DIR;
      Durability durability = Durability.FSYNC;
      OptionalInt metricsPort = OptionalInt.empty();
      boolean commitLog = true;
      int historyDays = AppConfig.DEFAULT_HISTORY_DAYS;
      if (node != null) {
        List<Object> path = List.of("dobj");
        table(node, path, "dobj", TOP);
        onlyKeys(
            node,
            path,
            DOBJ,
            "port",
            "host",
            "data_dir",
            "durability",
            "metrics_port",
            "commit_log",
            "history_days");
        OptionalInt p = port(node, path, "port");
        if (p.isPresent()) {
          port = p.getAsInt();
        }
        metricsPort = port(node, path, "metrics_port");
        host = nonBlank(node, path, "host", DOBJ).orElse(host);
        dataDir = nonBlank(node, path, "data_dir", DOBJ).orElse(dataDir);
        Optional<String> d = optionalString(node, path, "durability", DOBJ);
        if (d.isPresent()) {
          durability = durability(d.get(), child(path, "durability"));
        }
        JsonNode log = node.get("commit_log");
        if (log != null) {
          if (!log.isBoolean()) {
            throw typeError(child(path, "commit_log"), "commit_log", DOBJ, "a boolean", log);
          }
          commitLog = log.booleanValue();
        }
        JsonNode days = node.get("history_days");
        if (days != null) {
          if (!days.canConvertToInt() || !days.isIntegralNumber() || days.intValue() < 0) {
            throw typeError(
                child(path, "history_days"),
                "history_days",
                DOBJ,
                "a whole number of days, 0 or more",
                days);
          }
          historyDays = days.intValue();
        }
      }
      return new AppConfig.Settings(
          port,
          host,
          appDir.resolve(dataDir).normalize(),
          durability,
          metricsPort,
          commitLog,
          historyDays);
    }

    /** The port under {@code key} of {@code [dobj]}, if set: an integer from 0 to 65535. */
    private OptionalInt port(JsonNode node, List<Object> path, String key) throws ConfigException {
      JsonNode value = node.get(key);
      if (value == null) {
        return OptionalInt.empty();
      }
      if (!value.isIntegralNumber()) {
        throw typeError(child(path, key), key, DOBJ, "an integer", value);
      }
      if (!value.canConvertToInt() || value.intValue() < 0 || value.intValue() > 65535) {
        throw new ConfigException(
            line(child(path, key)),
            "key \"" + key + "\" " + DOBJ + " must be between 0 and 65535, got " + value.asText());
      }
      return OptionalInt.of(value.intValue());
    }

    private Durability durability(String value, List<Object> at) throws ConfigException {
      return AppConfig.durability(value)
          .orElseThrow(
              () ->
                  new ConfigException(
                      line(at),
                      "key \"durability\" "
                          + DOBJ
                          + " must be \"fsync\" or \"os\", got \""
                          + value
                          + "\""));
    }

    private void onlyKeys(JsonNode table, List<Object> path, String where, String... allowed)
        throws ConfigException {
      List<String> expected = List.of(allowed);
      for (Map.Entry<String, JsonNode> property : table.properties()) {
        String key = property.getKey();
        if (!expected.contains(key)) {
          throw new ConfigException(
              line(child(path, key)),
              "unknown key \"" + key + "\" " + where + "; expected " + String.join(", ", expected));
        }
      }
    }

    private void table(JsonNode node, List<Object> path, String key, String where)
        throws ConfigException {
      if (!node.isObject()) {
        throw typeError(path, key, where, "a table", node);
      }
    }

    private String requiredString(
        JsonNode table, List<Object> path, String key, String where, String hint)
        throws ConfigException {
      Optional<String> value = optionalString(table, path, key, where);
      if (value.isEmpty()) {
        throw new ConfigException(
            line(path), "missing key \"" + key + "\" " + where + " (" + hint + ")");
      }
      if (value.get().isBlank()) {
        throw new ConfigException(
            line(child(path, key)), "key \"" + key + "\" " + where + " must not be blank");
      }
      return value.get();
    }

    private Optional<String> nonBlank(JsonNode table, List<Object> path, String key, String where)
        throws ConfigException {
      Optional<String> value = optionalString(table, path, key, where);
      if (value.isPresent() && value.get().isBlank()) {
        throw new ConfigException(
            line(child(path, key)), "key \"" + key + "\" " + where + " must not be blank");
      }
      return value;
    }

    private Optional<String> optionalString(
        JsonNode table, List<Object> path, String key, String where) throws ConfigException {
      JsonNode value = table.get(key);
      if (value == null) {
        return Optional.empty();
      }
      if (!value.isTextual()) {
        throw typeError(child(path, key), key, where, "a string", value);
      }
      return Optional.of(value.textValue());
    }

    private ConfigException typeError(
        List<Object> at, String key, String where, String expected, JsonNode actual) {
      return new ConfigException(
          line(at), "key \"" + key + "\" " + where + " must be " + expected + ", got " + a(actual));
    }

    private OptionalInt line(List<Object> path) {
      // The top level has no line of its own.
      return path.isEmpty() ? OptionalInt.empty() : lines.line(path);
    }

    private static List<Object> child(List<Object> path, Object key) {
      List<Object> child = new ArrayList<>(path);
      child.add(key);
      return List.copyOf(child);
    }

    /** What a value is, with its article, e.g. "an integer (8787)". */
    private static String a(JsonNode node) {
      if (node.isTextual()) {
        return "a string (\"" + node.textValue() + "\")";
      }
      if (node.isIntegralNumber()) {
        return "an integer (" + node.asText() + ")";
      }
      if (node.isNumber()) {
        return "a float (" + node.asText() + ")";
      }
      if (node.isBoolean()) {
        return "a boolean (" + node.asText() + ")";
      }
      if (node.isArray()) {
        return "an array";
      }
      if (node.isObject()) {
        return "a table";
      }
      if (node.isPojo()) {
        return "a date or time";
      }
      return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
  }
}
