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
 * Tells {@code dobj dev --watch} when the app changed: what {@link AppClasses} and {@link DobjToml}
 * read ({@code APP_DIR/dobj.toml}, every file under {@code target/classes} and {@code
 * target/dependency}), summed up as each file's path, size and modification time.
 *
 * <p>{@link #poll} is called every half second or so. It reports a change once the files differ
 * from those last loaded and stayed the same since the previous poll, so a build that is still
 * writing classes is not loaded half-way. Polling rather than file-system events: a build may
 * delete and recreate {@code target/} (what {@code mvn clean} does), which event watches do not
 * survive, and an app's classes are few enough to list twice a second.
 *
 * <p>Not thread-safe: one thread polls.
 */
final class AppWatcher {
  private final Path appDir;
  private List<String> loaded;
  private List<String> previous;

  private AppWatcher(Path appDir, List<String> loaded) {
    this.appDir = appDir;
    this.loaded = loaded;
    this.previous = loaded;
  }

  /** Watches {@code appDir}, taking its files as they are now as the loaded ones. */
  static AppWatcher of(Path appDir) {
    return new AppWatcher(appDir, snapshot(appDir));
  }

  /**
   * Whether the app changed since it was last loaded and its files are settled (the same as at the
   * previous poll). Once it returns true, the files it saw count as loaded: it returns true again
   * only after another change, also when that load failed (the next change retries).
   */
  boolean poll() {
    List<String> now = snapshot(appDir);
    boolean settled = now.equals(previous);
    previous = now;
    if (settled && !now.equals(loaded)) {
      loaded = now;
      return true;
    }
    return false;
  }

  /** What the app's files are now: one entry per file, in a stable order. */
  static List<String> snapshot(Path appDir) {
    List<String> entries = new ArrayList<>();
    add(entries, appDir.resolve(DobjToml.FILE_NAME));
    for (String dir : List.of("target/classes", "target/dependency")) {
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
