package dev.dobj.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dobj.spi.storage.Durability;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** dobj.toml: a good file reads as written, and every broken rule names its key and line. */
class DobjTomlTest {
  private static final Path APP = Path.of("/apps/counter");

  @Test
  void goodFile_readsAsWritten() throws Exception {
    AppConfig config =
        DobjToml.parse(
            """
            # The counter app
            name = "counter"
            main = "com.example.CounterWorker"

            [[durable_objects.bindings]]
            name = "COUNTER"
            class_name = "CounterObject"
            unique_key = "counter-v1"

            [[durable_objects.bindings]]
            name = "ROOMS"  # unique_key defaults to the binding name
            class_name = "com.example.rooms.Room"

            [vars]
            GREETING = "hello"
            "with space" = 'literal'

            [dobj]
            port = 9000
            host = "0.0.0.0"
            data_dir = "state"
            durability = "os"
            metrics_port = 9100
            commit_log = false
            history_days = 30
            """,
            APP);

    assertThat(config.name()).isEqualTo("counter");
    assertThat(config.main()).isEqualTo("com.example.CounterWorker");
    assertThat(config.mainLine()).isEqualTo(OptionalInt.of(3));
    assertThat(config.bindings())
        .containsExactly(
            new AppConfig.Binding("COUNTER", "CounterObject", "counter-v1", OptionalInt.of(7)),
            new AppConfig.Binding("ROOMS", "com.example.rooms.Room", "ROOMS", OptionalInt.of(12)));
    assertThat(config.vars())
        .containsExactly(Map.entry("GREETING", "hello"), Map.entry("with space", "literal"));
    assertThat(config.settings())
        .isEqualTo(
            new AppConfig.Settings(
                9000,
                "0.0.0.0",
                APP.resolve("state"),
                Durability.OS,
                OptionalInt.of(9100),
                false,
                30));
  }

  @Test
  void minimalFile_getsTheDefaults() throws Exception {
    AppConfig config = DobjToml.parse("name = \"a\"\nmain = \"A\"\n", APP);

    assertThat(config.bindings()).isEmpty();
    assertThat(config.vars()).isEmpty();
    assertThat(config.settings())
        .isEqualTo(
            new AppConfig.Settings(
                8787,
                "127.0.0.1",
                APP.resolve(".dobj"),
                Durability.FSYNC,
                OptionalInt.empty(),
                true,
                7));
  }

  @Test
  void inlineTables_areReadToo() throws Exception {
    AppConfig config =
        DobjToml.parse(
            """
            name = "a"
            main = "p.A"
            durable_objects = { bindings = [ { name = "X", class_name = "XObject" } ] }
            """,
            APP);

    assertThat(config.bindings())
        .containsExactly(new AppConfig.Binding("X", "XObject", "X", OptionalInt.of(3)));
  }

  static Stream<Arguments> brokenFiles() {
    String head = "name = \"counter\"\nmain = \"com.example.W\"\n";
    return Stream.of(
        Arguments.of(
            "unknown key in a binding",
            head
                + """

                [[durable_objects.bindings]]
                name = "COUNTER"
                class_name = "CounterObject"
                class = "CounterObject"
                """,
            "dobj.toml line 7: unknown key \"class\" in [[durable_objects.bindings]]; expected"
                + " name, class_name, unique_key"),
        Arguments.of(
            "unknown key in the second binding, quoted",
            head
                + """
                [[durable_objects.bindings]]
                name = "A"
                class_name = "AObject"
                [[durable_objects.bindings]]
                name = "B"
                "klass" = "BObject"
                """,
            "dobj.toml line 8: unknown key \"klass\" in [[durable_objects.bindings]]; expected"
                + " name, class_name, unique_key"),
        Arguments.of(
            "unknown key inside an inline table",
            head + "durable_objects = { bindings = [\n  { name = \"A\", class = \"X\" },\n] }\n",
            "dobj.toml line 4: unknown key \"class\" in [[durable_objects.bindings]]; expected"
                + " name, class_name, unique_key"),
        Arguments.of(
            "unknown top-level key",
            head + "compatibility_date = \"2024-01-01\"\n",
            "dobj.toml line 3: unknown key \"compatibility_date\" at the top level; expected name,"
                + " main, durable_objects, vars, dobj"),
        Arguments.of(
            "unknown key in [dobj]",
            head + "[dobj]\nport = 1\nprot = 2\n",
            "dobj.toml line 5: unknown key \"prot\" in [dobj]; expected port, host, data_dir,"
                + " durability, metrics_port, commit_log, history_days"),
        Arguments.of(
            "unknown key in [durable_objects]",
            head + "[durable_objects]\nbinding = []\n",
            "dobj.toml line 4: unknown key \"binding\" in [durable_objects]; expected bindings"),
        Arguments.of(
            "port of the wrong type",
            head + "[dobj]\nport = \"8787\"\n",
            "dobj.toml line 4: key \"port\" in [dobj] must be an integer, got a string"
                + " (\"8787\")"),
        Arguments.of(
            "port out of range",
            head + "[dobj]\nport = 70000\n",
            "dobj.toml line 4: key \"port\" in [dobj] must be between 0 and 65535, got 70000"),
        Arguments.of(
            "metrics_port of the wrong type",
            head + "[dobj]\nmetrics_port = 1.5\n",
            "dobj.toml line 4: key \"metrics_port\" in [dobj] must be an integer, got a float"
                + " (1.5)"),
        Arguments.of(
            "metrics_port out of range",
            head + "[dobj]\nport = 1\nmetrics_port = -1\n",
            "dobj.toml line 5: key \"metrics_port\" in [dobj] must be between 0 and 65535, got"
                + " -1"),
        Arguments.of(
            "durability not fsync or os",
            head + "[dobj]\n\n\ndurability = \"disk\"\n",
            "dobj.toml line 6: key \"durability\" in [dobj] must be \"fsync\" or \"os\", got"
                + " \"disk\""),
        Arguments.of(
            "commit_log not a boolean",
            head + "[dobj]\ncommit_log = \"no\"\n",
            "dobj.toml line 4: key \"commit_log\" in [dobj] must be a boolean, got a string"
                + " (\"no\")"),
        Arguments.of(
            "history_days negative",
            head + "[dobj]\nhistory_days = -1\n",
            "dobj.toml line 4: key \"history_days\" in [dobj] must be a whole number of days, 0 or"
                + " more, got an integer (-1)"),
        Arguments.of(
            "host of the wrong type",
            head + "[dobj]\nhost = 127\n",
            "dobj.toml line 4: key \"host\" in [dobj] must be a string, got an integer (127)"),
        Arguments.of(
            "data_dir blank",
            head + "[dobj]\ndata_dir = \" \"\n",
            "dobj.toml line 4: key \"data_dir\" in [dobj] must not be blank"),
        Arguments.of(
            "a var that is not a string, after a multi-line string",
            head + "[vars]\nTEXT = \"\"\"\none\ntwo\n\"\"\"\nCOUNT = 3\n",
            "dobj.toml line 8: key \"COUNT\" in [vars] must be a string, got an integer (3)"),
        Arguments.of(
            "class_name of the wrong type",
            head + "[[durable_objects.bindings]]\nname = \"A\"\nclass_name = true\n",
            "dobj.toml line 5: key \"class_name\" in [[durable_objects.bindings]] must be a"
                + " string, got a boolean (true)"),
        Arguments.of(
            "a binding without class_name",
            head
                + """
                [[durable_objects.bindings]]
                name = "A"
                class_name = "AObject"

                [[durable_objects.bindings]]
                name = "B"
                """,
            "dobj.toml line 7: missing key \"class_name\" in [[durable_objects.bindings]] (the"
                + " Durable Object class, e.g. \"Counter\")"),
        Arguments.of(
            "a binding name used twice",
            head
                + """
                [[durable_objects.bindings]]
                name = "A"
                class_name = "AObject"
                [[durable_objects.bindings]]
                name = "A"
                class_name = "Other"
                """,
            "dobj.toml line 7: binding \"A\" is defined twice in [[durable_objects.bindings]]"),
        Arguments.of(
            "durable_objects not a table",
            head + "durable_objects = \"COUNTER\"\n",
            "dobj.toml line 3: key \"durable_objects\" at the top level must be a table, got a"
                + " string (\"COUNTER\")"),
        Arguments.of(
            "main missing",
            "name = \"a\"\n",
            "dobj.toml: missing key \"main\" at the top level (the Worker class, e.g. main ="
                + " \"com.example.MyWorker\")"),
        Arguments.of(
            "name of the wrong type",
            "name = 1\nmain = \"A\"\n",
            "dobj.toml line 1: key \"name\" at the top level must be a string, got an integer"
                + " (1)"),
        Arguments.of(
            "a date where a string belongs",
            head + "[vars]\nSINCE = 2024-01-01\n",
            "dobj.toml line 4: key \"SINCE\" in [vars] must be a string, got a date or time"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenFiles")
  void brokenFile_isRefused_namingTheKeyAndLine(String what, String toml, String message) {
    assertThatThrownBy(() -> DobjToml.parse(toml, APP))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message);
  }

  @Test
  void invalidToml_namesTheLine() {
    assertThatThrownBy(() -> DobjToml.parse("name = \"a\"\nmain = \"A\"\n\nport = = 3\n", APP))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("dobj.toml line 4: not valid TOML: ");
  }

  @Test
  void missingFile_isAUsageError() {
    assertThatThrownBy(() -> DobjToml.read(Path.of("/nonexistent/app")))
        .isInstanceOf(CliException.class)
        .hasMessage(
            "no dobj.toml in /nonexistent/app; APP_DIR must be an app's folder, holding its"
                + " dobj.toml")
        .extracting(e -> ((CliException) e).exitCode())
        .isEqualTo(2);
  }

  @Test
  void tomlLines_fallBackToTheNearestEnclosingKey() {
    TomlLines lines = TomlLines.of("a = 1\n\n[t]\nb = { c = 1 }\n");

    assertThat(lines.line(List.of("t", "b", "c"))).hasValue(4);
    assertThat(lines.line(List.of("t", "missing"))).hasValue(3);
    assertThat(lines.line(List.of("nowhere"))).isEmpty();
  }
}
