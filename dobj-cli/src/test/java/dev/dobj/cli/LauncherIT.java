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
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's class data sharing options with a real java and the packaged {@code dobj-cli.jar}:
 * the first run writes the archive as it exits, the next one loads dobj's classes from it, and
 * neither prints anything of it.
 */
class LauncherIT {
  @Test
  void theFirstRunWritesTheArchive_andTheNextLoadsDobjsClassesFromIt(@TempDir Path dir)
      throws Exception {
    Path jar = LauncherTest.ROOT.resolve("dobj-cli/target/dobj-cli.jar");
    Path lib = LauncherTest.ROOT.resolve("dobj-cli/target/lib");
    assertThat(jar).as("packaged before the integration tests").exists();
    String java = ProcessHandle.current().info().command().orElseThrow();
    String home = Path.of(java).getParent().getParent().toString();

    List<String> options = LauncherTest.cdsOptions(home, jar, lib, dir, "dev");
    Path archive = Path.of(options.get(1).substring("-XX:SharedArchiveFile=".length()));
    assertThat(archive).doesNotExist();

    assertThat(run(java, options, jar)).isEqualTo("dobj " + version(jar) + "\n");
    assertThat(archive).as("written as the first run exited").exists();

    List<String> logging = new ArrayList<>(LauncherTest.cdsOptions(home, jar, lib, dir, "dev"));
    assertThat(logging).isEqualTo(options);
    logging.add("-Xlog:class+load=info:file=" + dir.resolve("classes.log"));
    assertThat(run(java, logging, jar)).isEqualTo("dobj " + version(jar) + "\n");
    List<String> fromArchive =
        Files.readAllLines(dir.resolve("classes.log")).stream()
            .filter(line -> line.contains("source: shared objects file (top)"))
            .toList();
    assertThat(fromArchive).anyMatch(line -> line.contains(" dev.dobj.cli.Main "));
  }

  /** {@code java OPTIONS -cp JAR dev.dobj.cli.Main --version}: its output (stdout and stderr). */
  private static String run(String java, List<String> options, Path jar)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
    command.addAll(options);
    command.addAll(List.of("-cp", jar.toString(), Main.class.getName(), "--version"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("exit, output: %s", out).isZero();
    return out;
  }

  /** The version {@code --version} prints: the jar's manifest's. */
  private static String version(Path jar) throws IOException {
    try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
      return file.getManifest().getMainAttributes().getValue("Implementation-Version");
    }
  }
}
