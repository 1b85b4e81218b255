package dev.dobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AppWatcher}: a change of dobj.toml, a class or a dependency jar is reported once its files
 * stopped changing between two polls, and once only; files elsewhere do not count.
 */
class AppWatcherTest {
  @TempDir Path app;

  @Test
  void aChange_isReportedOnceItSettled_andOnce() throws Exception {
    Path classes = Files.createDirectories(app.resolve("target/classes/a"));
    Files.writeString(app.resolve(DobjToml.FILE_NAME), "name = \"x\"\n");
    Path worker = Files.writeString(classes.resolve("W.class"), "1");
    AppWatcher watcher = AppWatcher.of(app);
    assertThat(watcher.poll()).as("nothing changed").isFalse();

    Files.writeString(worker, "22");
    assertThat(watcher.poll()).as("changed since the last poll: not settled").isFalse();
    assertThat(watcher.poll()).as("settled").isTrue();
    assertThat(watcher.poll()).as("reported once").isFalse();

    Files.writeString(classes.resolve("New.class"), "n");
    assertThat(watcher.poll()).isFalse();
    Files.writeString(classes.resolve("Other.class"), "o"); // the build still writes
    assertThat(watcher.poll()).isFalse();
    assertThat(watcher.poll()).isTrue();
  }

  @Test
  void dobjToml_dependencies_andADeletedTarget_count_otherFilesDoNot() throws Exception {
    Files.createDirectories(app.resolve("target/classes"));
    Path toml = Files.writeString(app.resolve(DobjToml.FILE_NAME), "name = \"x\"\n");
    AppWatcher watcher = AppWatcher.of(app);

    Files.writeString(app.resolve("README.md"), "docs");
    Files.createDirectories(app.resolve("src/main/java"));
    Files.writeString(app.resolve("src/main/java/W.java"), "class W {}");
    Files.createDirectories(app.resolve("target/test-classes"));
    Files.writeString(app.resolve("target/test-classes/T.class"), "t");
    assertThat(watcher.poll()).isFalse();
    assertThat(watcher.poll()).as("only what the app loads counts").isFalse();

    Files.setLastModifiedTime(toml, FileTime.fromMillis(1_000_000));
    watcher.poll();
    assertThat(watcher.poll()).as("dobj.toml touched").isTrue();

    Files.createDirectories(app.resolve("target/dependency"));
    Files.writeString(app.resolve("target/dependency/lib.jar"), "jar");
    watcher.poll();
    assertThat(watcher.poll()).as("a dependency jar").isTrue();

    Files.delete(app.resolve("target/dependency/lib.jar"));
    Files.delete(app.resolve("target/dependency"));
    Files.delete(app.resolve("target/classes"));
    watcher.poll();
    assertThat(watcher.poll()).as("target/ cleaned").isTrue();
  }
}
