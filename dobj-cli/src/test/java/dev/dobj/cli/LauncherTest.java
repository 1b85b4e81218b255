package dev.dobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The repository's launcher ({@code ./dobj}) finds the APP_DIR of {@code dobj dev} among the
 * command's arguments, to build that app first: its {@code app_dir_of} function, run by a real
 * bash, against every option of {@code dev} that takes a value.
 */
class LauncherTest {
  /** The counter example's folder, set by the pom; the repository is two levels up. */
  private static final Path ROOT =
      Path.of(System.getProperty("dobj.counterExample"))
          .toAbsolutePath()
          .normalize()
          .getParent()
          .getParent();

  @Test
  void appDir_isFoundAfterEveryOptionOfDevThatTakesAValue() throws Exception {
    List<OptionSpec> valued =
        new CommandLine(new DevCommand((command, limit, stop) -> 0))
            .getCommandSpec().options().stream().filter(o -> o.arity().max() > 0).toList();
    assertThat(valued).extracting(OptionSpec::longestName).contains("--port", "--history-days");
    for (OptionSpec option : valued) {
      String name = option.longestName();
      assertThat(appDirOf("dev", name, "7", "examples/chat"))
          .as("APP_DIR after %s 7", name)
          .isEqualTo("examples/chat");
      assertThat(appDirOf("dev", "examples/chat", name, "7"))
          .as("APP_DIR before %s 7", name)
          .isEqualTo("examples/chat");
      assertThat(appDirOf("dev", name + "=7", "examples/chat"))
          .as("APP_DIR after %s=7", name)
          .isEqualTo("examples/chat");
    }
  }

  @Test
  void appDir_isTheCurrentFolderWithoutOne_andNoneForOtherCommands() throws Exception {
    assertThat(appDirOf("dev", "--port", "9000", "--no-metrics")).isEqualTo(".");
    assertThat(appDirOf("dev")).isEqualTo(".");
    assertThat(appDirOf("storage", "COUNTER", "a", "list")).isEmpty();
    assertThat(appDirOf("--version")).isEmpty();
  }

  /** Runs the launcher's {@code app_dir_of} on {@code args}; its output without the newline. */
  private static String appDirOf(String... args) throws IOException, InterruptedException {
    String launcher = Files.readString(ROOT.resolve("dobj"), StandardCharsets.UTF_8);
    int start = launcher.indexOf("\napp_dir_of() {\n");
    int end = launcher.indexOf("\n}\n", start);
    assertThat(start).as("app_dir_of in ./dobj").isPositive();
    String function = launcher.substring(start + 1, end + 3);
    List<String> command =
        new ArrayList<>(List.of("bash", "-c", function + "app_dir_of \"$@\"", "launcher"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("exit of app_dir_of, output: %s", out).isZero();
    return out.strip();
  }
}
