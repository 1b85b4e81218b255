package dev.dobj.cli;

import dev.dobj.DurableObject;
import dev.dobj.Worker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds an application's classes: from {@code APP_DIR/target/classes} plus the jars in {@code
 * APP_DIR/target/dependency} (what {@code mvn package dependency:copy-dependencies} leaves), or
 * from dobj's own classpath when the app's classes are already there (tests, an IDE).
 *
 * <p>The app's loader delegates to dobj's first, so the app and dobj share one copy of the dobj
 * API. Holds no state of its own; the loader it returns is closed by whoever owns it.
 */
final class AppClasses implements AutoCloseable {
  private final Path appDir;
  private final ClassLoader loader;

  private AppClasses(Path appDir, ClassLoader loader) {
    this.appDir = appDir;
    this.loader = loader;
  }

  /** The classes of the app in {@code appDir}, on top of {@code parent} (dobj's classes). */
  static AppClasses of(Path appDir, ClassLoader parent) {
    List<URL> urls = new ArrayList<>();
    Path classes = appDir.resolve("target/classes");
    if (Files.isDirectory(classes)) {
      urls.add(url(classes));
    }
    Path dependencies = appDir.resolve("target/dependency");
    if (Files.isDirectory(dependencies)) {
      try (Stream<Path> jars = Files.list(dependencies)) {
        jars.filter(p -> p.getFileName().toString().endsWith(".jar"))
            .sorted()
            .forEach(p -> urls.add(url(p)));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot list " + dependencies, e);
      }
    }
    ClassLoader loader =
        urls.isEmpty() ? parent : new URLClassLoader("dobj-app", urls.toArray(URL[]::new), parent);
    return new AppClasses(appDir, loader);
  }

  /** The loader of the app's classes. */
  ClassLoader loader() {
    return loader;
  }

  /**
   * A new instance of the Worker class {@code main}.
   *
   * @throws ConfigException if the class is missing, is not a Worker, or lacks a public no-argument
   *     constructor
   * @throws CliException (exit code 1) if the constructor throws
   */
  Worker worker(AppConfig config) throws CliException {
    Class<?> cls = load(config.main(), "main", config);
    if (!Worker.class.isAssignableFrom(cls)) {
      throw new ConfigException(
          config.mainLine(),
          "main = \""
              + config.main()
              + "\" is not a Worker: the class must implement "
              + Worker.class.getName());
    }
    try {
      return (Worker) cls.getConstructor().newInstance();
    } catch (NoSuchMethodException | IllegalAccessException | InstantiationException e) {
      throw new ConfigException(
          config.mainLine(),
          "main = \""
              + config.main()
              + "\" cannot be constructed: a Worker needs to be a public, non-abstract class with"
              + " a public no-argument constructor");
    } catch (InvocationTargetException e) {
      throw new CliException(
          CliException.FAILED,
          "the constructor of Worker " + config.main() + " threw " + e.getCause(),
          e.getCause());
    }
  }

  /**
   * The Durable Object class of {@code binding}.
   *
   * @throws ConfigException if the class is missing or does not extend {@link DurableObject}
   */
  Class<? extends DurableObject> objectClass(AppConfig config, AppConfig.Binding binding)
      throws ConfigException {
    String name = qualified(binding.className(), config.main());
    Class<?> cls = load(name, "class_name", config, binding);
    if (!DurableObject.class.isAssignableFrom(cls)) {
      throw new ConfigException(
          binding.classNameLine(),
          "class_name = \""
              + binding.className()
              + "\" of binding "
              + binding.name()
              + " is not a Durable Object: "
              + cls.getName()
              + " must extend "
              + DurableObject.class.getName());
    }
    return cls.asSubclass(DurableObject.class);
  }

  /** A simple class name is taken to be in the package of the Worker, as wrangler's exports are. */
  static String qualified(String className, String main) {
    if (className.contains(".")) {
      return className;
    }
    int dot = main.lastIndexOf('.');
    return dot < 0 ? className : main.substring(0, dot + 1) + className;
  }

  private Class<?> load(String name, String key, AppConfig config) throws ConfigException {
    return load(name, key, config, null);
  }

  private Class<?> load(String name, String key, AppConfig config, AppConfig.Binding binding)
      throws ConfigException {
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      String value = binding == null ? config.main() : binding.className();
      throw new ConfigException(
          binding == null ? config.mainLine() : binding.classNameLine(),
          key
              + " = \""
              + value
              + "\": class "
              + name
              + (e instanceof ClassNotFoundException
                  ? " not found"
                  : " cannot be loaded (" + e + ")")
              + " in "
              + appDir.resolve("target/classes")
              + " or on dobj's classpath; build the app first (e.g. mvn package)");
    }
  }

  /** Closes the app's class loader, if it made one. */
  @Override
  public void close() throws IOException {
    if (loader instanceof URLClassLoader own) {
      own.close();
    }
  }

  /**
   * Closes the loader after {@code failure} (which gets a failure to close as suppressed), or, with
   * a null {@code failure}, ignoring one: its jars then stay open until the process exits, and
   * nothing else depends on them.
   */
  void closeQuietly(Exception failure) {
    try {
      close();
    } catch (IOException e) {
      if (failure != null) {
        failure.addSuppressed(e);
      }
    }
  }

  private static URL url(Path path) {
    try {
      return path.toAbsolutePath().toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("Cannot make a URL of " + path, e);
    }
  }
}
