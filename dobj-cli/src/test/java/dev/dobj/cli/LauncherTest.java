package dev.dobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Functions of the repository's launcher ({@code ./dobj}), each run by a real bash: {@code
 * app_dir_of} finds the APP_DIR of {@code dobj dev} among the command's arguments (to build that
 * app first), against every option of {@code dev} that takes a value; {@code cds_options} picks the
 * class data sharing archive and removes a stale one. {@code LauncherIT} runs java with them.
 */
class LauncherTest {
  /** The counter example's folder, set by the pom; the repository is two levels up. */
  static final Path ROOT =
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

  @Test
  void cdsOptions_writeTheArchiveOnlyForDev_andUseItForOtherCommandsOnceItExists(@TempDir Path dir)
      throws Exception {
    Path jar = Files.writeString(dir.resolve("dobj-cli.jar"), "jar");
    Path lib = Files.createDirectories(dir.resolve("lib"));
    Files.writeString(lib.resolve("a.jar"), "a");
    String home = "/opt/jdk-25";

    List<String> dev = cdsOptions(home, jar, lib, dir, "dev");
    assertThat(dev).hasSize(4);
    assertThat(dev.get(0)).isEqualTo("-XX:+AutoCreateSharedArchive");
    assertThat(dev.get(1)).startsWith("-XX:SharedArchiveFile=" + dir + "/dobj-cli-cds-");
    assertThat(dev.subList(2, 4)).containsExactly("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    Path archive = Path.of(dev.get(1).substring("-XX:SharedArchiveFile=".length()));
    assertThat(cdsOptions(home, jar, lib, dir, "storage")).as("no archive yet").isEmpty();

    Files.writeString(archive, "archive");
    Files.setLastModifiedTime(jar, FileTime.fromMillis(1_000_000));
    Files.setLastModifiedTime(lib.resolve("a.jar"), FileTime.fromMillis(1_000_000));
    assertThat(cdsOptions(home, jar, lib, dir, "storage")).isEqualTo(dev.subList(1, 4));
    assertThat(cdsOptions(home, jar, lib, dir, "dev")).isEqualTo(dev);
    assertThat(archive).exists();
    assertThat(cdsOptions("/opt/jdk-21", jar, lib, dir, "dev").get(1))
        .as("one archive per JDK")
        .isNotEqualTo(dev.get(1));
  }

  @Test
  void cdsOptions_removeAnArchiveOlderThanTheJarOrALibrary(@TempDir Path dir) throws Exception {
    Path jar = Files.writeString(dir.resolve("dobj-cli.jar"), "jar");
    Path lib = Files.createDirectories(dir.resolve("lib"));
    Path library = Files.writeString(lib.resolve("a.jar"), "a");
    String home = "/opt/jdk-25";
    Path archive =
        Path.of(
            cdsOptions(home, jar, lib, dir, "dev")
                .get(1)
                .substring("-XX:SharedArchiveFile=".length()));

    for (Path changed : List.of(jar, library)) {
      Files.writeString(archive, "archive");
      Files.setLastModifiedTime(archive, FileTime.fromMillis(2_000_000));
      Files.setLastModifiedTime(jar, FileTime.fromMillis(1_000_000));
      Files.setLastModifiedTime(library, FileTime.fromMillis(1_000_000));
      Files.setLastModifiedTime(changed, FileTime.fromMillis(3_000_000));
      assertThat(cdsOptions(home, jar, lib, dir, "objects"))
          .as("after %s changed", changed)
          .isEmpty();
      assertThat(archive).as("after %s changed", changed).doesNotExist();
    }
  }

  @Test
  void watchBuild_isAddedForDevWatchOfAnAppOfTheRepository_unlessOneIsGiven() throws Exception {
    String root = "/work/it's here";
    List<String> added =
        runIn(root, "watch_build_of", "examples/chat", "dev", "examples/chat", "--watch")
            .lines()
            .toList();
    assertThat(added)
        .containsExactly(
            "--build",
            "cd '/work/it'\\''s here' && ./mvnw -q -B -Dmaven.test.skip=true"
                + " -Dspotless.check.skip=true compile -pl examples/chat -am");
    Process sh =
        new ProcessBuilder("sh", "-c", added.get(1).replace("./mvnw", "pwd; true"))
            .redirectErrorStream(true)
            .start();
    assertThat(sh.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .as("sh reads the quoted folder back")
        .contains("can't cd")
        .contains("/work/it's here");

    assertThat(runIn(root, "watch_build_of", "", "dev", "/elsewhere", "--watch")).isEmpty();
    assertThat(runIn(root, "watch_build_of", "examples/chat", "dev", "examples/chat")).isEmpty();
    assertThat(runIn(root, "watch_build_of", "examples/chat", "storage", "--watch")).isEmpty();
    assertThat(
            runIn(
                root,
                "watch_build_of",
                "examples/chat",
                "dev",
                "examples/chat",
                "--watch",
                "--build",
                "make"))
        .isEmpty();
    assertThat(
            runIn(root, "watch_build_of", "examples/chat", "dev", "--watch", "--build=make", "."))
        .isEmpty();
  }

  /** Runs the launcher's {@code app_dir_of} on {@code args}; its output without the newline. */
  private static String appDirOf(String... args) throws IOException, InterruptedException {
    return run("app_dir_of", args).strip();
  }

  /** The launcher's {@code cds_options}: its output lines. */
  static List<String> cdsOptions(String javaHome, Path jar, Path lib, Path dir, String command)
      throws IOException, InterruptedException {
    return run("cds_options", javaHome, jar.toString(), lib.toString(), dir.toString(), command)
        .lines()
        .toList();
  }

  /** Runs the launcher's function {@code name} on {@code args} in bash; its output. */
  private static String run(String name, String... args) throws IOException, InterruptedException {
    return runIn(ROOT.toString(), name, args);
  }

  /** As {@link #run(String, String...)}, with the launcher's {@code root} set to {@code root}. */
  private static String runIn(String root, String name, String... args)
      throws IOException, InterruptedException {
    String launcher = Files.readString(ROOT.resolve("dobj"), StandardCharsets.UTF_8);
    int start = launcher.indexOf("\n" + name + "() {\n");
    int end = launcher.indexOf("\n}\n", start);
    assertThat(start).as(name + " in ./dobj").isPositive();
    String function = launcher.substring(start + 1, end + 3);
    List<String> command =
        new ArrayList<>(List.of("bash", "-c", function + name + " \"$@\"", "launcher"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("root", root);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("exit of %s, output: %s", name, out).isZero();
    return out;
  }
}
