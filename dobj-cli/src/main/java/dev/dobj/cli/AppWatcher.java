package dev.dobj.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Tells {@code dobj dev --watch} when files changed: for the reload, what {@link AppClasses} and
 * {@link DobjToml} read ({@code APP_DIR/dobj.toml}, every file under {@code target/classes} and
 * {@code target/dependency}); for {@code --build}, the app's sources ({@code src/main} and {@code
 * pom.xml}). Files are summed up as each one's path, size and modification time.
 *
 * <p>{@link #poll} is called every half second or so. It reports a change once the files differ
 * from those last taken and stayed the same since the previous poll, so a build that is still
 * writing classes is not loaded half-way. Polling rather than file-system events: a build may
 * delete and recreate {@code target/} (what {@code mvn clean} does), which event watches do not
 * survive, and an app's files are few enough to list twice a second.
 *
 * <p>Not thread-safe: one thread polls.
 */
final class AppWatcher {
  private final Path appDir;
  private final List<String> files;
  private final List<String> trees;
  private List<String> loaded;
  private List<String> previous;

  private AppWatcher(Path appDir, List<String> files, List<String> trees) {
    this.appDir = appDir;
    this.files = files;
    this.trees = trees;
    this.loaded = snapshot();
    this.previous = loaded;
  }

  /** Watches what {@code appDir}'s app loads, taking it as it is now as loaded. */
  static AppWatcher of(Path appDir) {
    return new AppWatcher(
        appDir, List.of(DobjToml.FILE_NAME), List.of("target/classes", "target/dependency"));
  }

  /** Watches the sources of {@code appDir}'s app ({@code pom.xml}, {@code src/main}). */
  static AppWatcher sources(Path appDir) {
    return new AppWatcher(appDir, List.of("pom.xml"), List.of("src/main"));
  }

  /**
   * Whether the app changed since it was last loaded and its files are settled (the same as at the
   * previous poll). Once it returns true, the files it saw count as loaded: it returns true again
   * only after another change, also when that load failed (the next change retries).
   */
  boolean poll() {
    List<String> now = snapshot();
    boolean settled = now.equals(previous);
    previous = now;
    if (settled && !now.equals(loaded)) {
      loaded = now;
      return true;
    }
    return false;
  }

  /** What the watched files are now: one entry per file, in a stable order. */
  private List<String> snapshot() {
    List<String> entries = new ArrayList<>();
    for (String file : files) {
      add(entries, appDir.resolve(file));
    }
    for (String dir : trees) {
      Path root = appDir.resolve(dir);
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(root)) {
        files.sorted().forEach(p -> add(entries, p));
      } catch (UncheckedIOException e) {
        if (!(e.getCause() instanceof NoSuchFileException)) {
          throw e;
        }
        entries.add(dir + " (changing)"); // a build deleted files while they were listed
      } catch (NoSuchFileException e) {
        entries.add(dir + " (changing)");
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot list " + root, e);
      }
    }
    return entries;
  }

  private static void add(List<String> entries, Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      if (a.isRegularFile()) {
        entries.add(file + " " + a.size() + " " + a.lastModifiedTime().to(TimeUnit.NANOSECONDS));
      }
    } catch (NoSuchFileException e) {
      // absent (no dobj.toml), or deleted while listed: what is not there is not part of the app
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the attributes of " + file, e);
    }
  }
}
