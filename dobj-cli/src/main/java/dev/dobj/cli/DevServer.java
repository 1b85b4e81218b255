package dev.dobj.cli;

import dev.dobj.Worker;
import dev.dobj.http.HttpFront;
import dev.dobj.runtime.DurableObjectRuntime;
import dev.dobj.sqlite.SqliteStorageEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;

/**
 * An app being served by {@code dobj dev}: its Durable Objects in a runtime of this JVM, their
 * storage in a {@link SqliteStorageEngine} on the data directory, its Worker behind an {@link
 * HttpFront}. The composition root of the local server.
 *
 * <p>{@link #close()} stops in the reverse order of start: HTTP first (no new connections; requests
 * in flight get {@link #STOP_GRACE_PERIOD} to finish, and those still running then are aborted),
 * then the runtime (live objects are reset, so a turn still running fails with a reset error and
 * its open batch is rolled back instead of written to closed storage; the runtime then closes the
 * storage engine, which lands the commits already handed to it), then the data directory's lock,
 * then the app's class loader, then the metrics endpoint ({@link DevMetrics}), if on. A request
 * answered 200 had its writes committed before the answer left (the output gate), so nothing
 * acknowledged is lost; a request cut by the stop may or may not have written. Thread-safe to close
 * from another thread than the one that started it.
 *
 * <p><b>Reloading</b> ({@code dobj dev --watch}): a server started reloadable serves through an
 * {@link AppSwitch}, and {@link #reload} swaps in a new version of the app (its classes, Worker,
 * bindings and vars) while the port, the metrics and the data directory's lock stay: new requests
 * wait, those in flight get {@link #RELOAD_GRACE_PERIOD} to finish, the old runtime closes (its
 * objects are reset, their sockets closed, its storage closed), and a new runtime opens the same
 * data directory, so the objects keep their storage. A version that cannot be loaded is refused and
 * the previous one keeps serving.
 */
final class DevServer implements AutoCloseable {
  /** How long {@link #close()} lets HTTP requests in flight finish. */
  static final Duration STOP_GRACE_PERIOD = HttpFront.DEFAULT_STOP_GRACE_PERIOD;

  /**
   * How long {@link #close()} may take in all before the process gives up on it: the grace period,
   * then closing the runtime and storage, which takes milliseconds unless a turn is stuck inside a
   * storage call (a SQL query that never ends holds its database) or the disk hangs.
   */
  static final Duration STOP_LIMIT = STOP_GRACE_PERIOD.plusSeconds(10);

  /** How long {@link #reload} lets requests in flight on the old version finish. */
  static final Duration RELOAD_GRACE_PERIOD = Duration.ofSeconds(5);

  private final DataDirectoryLock dataLock;
  private final AppSwitch apps;
  private final boolean reloadable;
  private final HttpFront front;
  private final AdminEndpoint admin;
  // null: metrics off
  private final DevMetrics metrics;
  // Serializes reload and close.
  private final Object lifecycle = new Object();
  // @GuardedBy("lifecycle")
  private boolean closed;

  private DevServer(
      DataDirectoryLock dataLock,
      AppSwitch apps,
      boolean reloadable,
      HttpFront front,
      AdminEndpoint admin,
      DevMetrics metrics) {
    this.dataLock = dataLock;
    this.apps = apps;
    this.reloadable = reloadable;
    this.front = front;
    this.admin = admin;
    this.metrics = metrics;
  }

  /**
   * Loads the app's classes, locks the data directory (creating it if missing), builds the runtime
   * with its bindings, vars and storage, and starts serving.
   *
   * @throws ConfigException if a class named in the configuration is missing or unfit
   * @throws CliException (exit code 1) if the port cannot be bound, the Worker cannot be made, or
   *     the data directory cannot be created or is in use by another server
   */
  static DevServer start(AppConfig config, AppClasses classes) throws CliException {
    return start(config, classes, null, false);
  }

  /**
   * As {@link #start(AppConfig, AppClasses)}, with the runtime recording into {@code metrics} (if
   * not null), which the server then owns: it closes it last, also when the start fails. With
   * {@code reloadable}, {@link #reload} may swap in new versions of the app.
   */
  static DevServer start(
      AppConfig config, AppClasses classes, DevMetrics metrics, boolean reloadable)
      throws CliException {
    try {
      return startWith(config, classes, metrics, reloadable);
    } catch (CliException | RuntimeException e) {
      if (metrics != null) {
        metrics.close();
      }
      throw e;
    }
  }

  private static DevServer startWith(
      AppConfig config, AppClasses classes, DevMetrics metrics, boolean reloadable)
      throws CliException {
    // Threads started from here (Jetty's, and through them the runtime's) inherit the app's loader
    // as their context class loader, which libraries inside the app may rely on.
    Thread current = Thread.currentThread();
    ClassLoader previous = current.getContextClassLoader();
    current.setContextClassLoader(classes.loader());
    try {
      return start(config, classes, classes.worker(config), metrics, reloadable);
    } finally {
      current.setContextClassLoader(previous);
    }
  }

  private static DevServer start(
      AppConfig config, AppClasses classes, Worker worker, DevMetrics metrics, boolean reloadable)
      throws CliException {
    DurableObjectRuntime.Builder builder = runtimeBuilder(config, classes, metrics);
    AppConfig.Settings settings = config.settings();
    // Configuration errors are found before anything is opened; from here on, a failure closes
    // what was opened, in reverse order (the runtime, once built, closes the storage engine).
    DataDirectoryLock dataLock = DataDirectoryLock.acquire(settings.dataDir());
    DurableObjectRuntime runtime;
    try {
      runtime = open(builder, settings);
    } catch (CliException | RuntimeException e) {
      closeQuietly(dataLock, e);
      throw e;
    }
    AppSwitch apps = new AppSwitch(new AppSwitch.Version(config, classes, worker, runtime));
    try {
      HttpFront front =
          HttpFront.builder(reloadable ? apps : worker, runtime.env())
              .host(settings.host())
              .port(settings.port())
              .stopGracePeriod(STOP_GRACE_PERIOD)
              .start();
      AdminEndpoint admin;
      try {
        admin = AdminEndpoint.start(() -> apps.current().runtime(), settings.dataDir());
      } catch (UncheckedIOException e) {
        front.close();
        throw e;
      }
      return new DevServer(dataLock, apps, reloadable, front, admin, metrics);
    } catch (UncheckedIOException | IllegalStateException e) {
      CliException failure =
          new CliException(
              CliException.FAILED,
              e.getMessage()
                  + (e instanceof UncheckedIOException
                      ? "; is another dobj dev running? Choose another port with --port"
                      : ""));
      runtime.close();
      closeQuietly(dataLock, failure);
      throw failure;
    }
  }

  /** A runtime builder with the app's bindings and vars (its classes checked), without storage. */
  private static DurableObjectRuntime.Builder runtimeBuilder(
      AppConfig config, AppClasses classes, DevMetrics metrics) throws ConfigException {
    DurableObjectRuntime.Builder builder = DurableObjectRuntime.builder();
    if (metrics != null) {
      builder.meterRegistry(metrics.registry());
    }
    try {
      for (AppConfig.Binding binding : config.bindings()) {
        builder.bind(binding.name(), classes.objectClass(config, binding), binding.uniqueKey());
      }
      config.vars().forEach(builder::var);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
    return builder;
  }

  /** Opens the storage engine on the data directory and builds the runtime on it. */
  private static DurableObjectRuntime open(
      DurableObjectRuntime.Builder builder, AppConfig.Settings settings) throws CliException {
    SqliteStorageEngine storage = storage(settings);
    try {
      return builder.storage(storage).build();
    } catch (IllegalArgumentException e) {
      storage.close();
      throw new ConfigException(e.getMessage());
    } catch (RuntimeException e) {
      storage.close();
      throw e;
    }
  }

  private static SqliteStorageEngine storage(AppConfig.Settings settings) throws CliException {
    try {
      return settings.openStorage(settings.dataDir());
    } catch (UncheckedIOException e) {
      throw new CliException(
          CliException.FAILED,
          e.getMessage() + "; choose another data directory with --data or [dobj] data_dir");
    }
  }

  private static void closeQuietly(DataDirectoryLock lock, Exception failure) {
    try {
      lock.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * Swaps in a new version of the app: its classes (which this server then owns, also when the
   * reload fails), its Worker, bindings and vars. The settings of {@code dobj.toml}'s {@code
   * [dobj]} table (port, host, data directory, durability, metrics, history) stay as the server
   * started: they apply at the next start.
   *
   * <p>New requests wait while the versions change; requests in flight get {@link
   * #RELOAD_GRACE_PERIOD} to finish, then the old runtime closes (a turn still running fails with a
   * reset error; the objects' sockets close) and a runtime of the new version opens the same data
   * directory. If the new version cannot be loaded (a class is missing or unfit, the Worker's
   * constructor throws, the runtime refuses a binding), nothing is swapped and the previous version
   * keeps serving; if it cannot open after the old one closed, the previous version is opened
   * again.
   *
   * @return false if the server is closed (nothing was loaded)
   * @throws CliException why the new version was refused ({@link ConfigException} for the
   *     configuration or a class named in it)
   * @throws IllegalStateException if the server was not started reloadable
   */
  boolean reload(AppConfig requested, AppClasses classes) throws CliException {
    try {
      boolean reloaded = reloadOwning(requested, classes);
      if (!reloaded) {
        classes.closeQuietly(null);
      }
      return reloaded;
    } catch (CliException | RuntimeException e) {
      classes.closeQuietly(e);
      throw e;
    }
  }

  private boolean reloadOwning(AppConfig requested, AppClasses classes) throws CliException {
    synchronized (lifecycle) {
      if (!reloadable) {
        throw new IllegalStateException("This dobj dev server was not started to reload");
      }
      if (closed) {
        return false;
      }
      AppSwitch.Version old = apps.current();
      AppConfig.Settings settings = old.config().settings();
      AppConfig config =
          new AppConfig(
              requested.name(),
              requested.main(),
              requested.mainLine(),
              requested.bindings(),
              requested.vars(),
              settings);
      Thread thread = Thread.currentThread();
      ClassLoader previous = thread.getContextClassLoader();
      thread.setContextClassLoader(classes.loader());
      try {
        Worker worker = classes.worker(config);
        DurableObjectRuntime.Builder builder = runtimeBuilder(config, classes, metrics);
        // A version that failed to open again has no runtime to close.
        Runnable closeOld = old.runtime() == null ? () -> {} : old.runtime()::close;
        apps.pause(RELOAD_GRACE_PERIOD, closeOld);
        try {
          closeOld.run();
          DurableObjectRuntime runtime;
          try {
            runtime = open(builder, settings);
          } catch (CliException | RuntimeException e) {
            reopen(old, e);
            throw e;
          }
          apps.set(new AppSwitch.Version(config, classes, worker, runtime));
        } finally {
          apps.resume();
        }
      } finally {
        thread.setContextClassLoader(previous);
      }
      old.classes().closeQuietly(null);
      return true;
    }
  }

  /** After a new version failed to open: serves {@code old} again on a new runtime. */
  private void reopen(AppSwitch.Version old, Exception failure) {
    Thread thread = Thread.currentThread();
    thread.setContextClassLoader(old.classes().loader());
    try {
      DurableObjectRuntime runtime =
          open(runtimeBuilder(old.config(), old.classes(), metrics), old.config().settings());
      apps.set(new AppSwitch.Version(old.config(), old.classes(), old.worker(), runtime));
    } catch (CliException | RuntimeException e) {
      failure.addSuppressed(e);
      apps.set(AppSwitch.Version.failed(old, failure));
    }
  }

  /** The configuration of the version being served (its settings are those it started with). */
  AppConfig config() {
    return apps.current().config();
  }

  /** Where the metrics are served, if they are on. */
  java.util.Optional<URI> metricsUrl() {
    return java.util.Optional.ofNullable(metrics).map(DevMetrics::url);
  }

  /** The base URL the app is served on, e.g. {@code http://127.0.0.1:8787/}. */
  URI url() {
    return front.url();
  }

  /**
   * Stops HTTP (in-flight requests finish, or are aborted after {@link #STOP_GRACE_PERIOD}), closes
   * the runtime and with it the storage, releases the data directory and the app's classes.
   */
  @Override
  public void close() {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
    }
    AppSwitch.Version app = apps.current();
    try {
      admin.close();
      front.close();
    } finally {
      try {
        if (app.runtime() != null) {
          app.runtime().close();
        }
      } finally {
        try {
          dataLock.close();
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot release the lock of the data directory", e);
        } finally {
          try {
            app.classes().close();
          } catch (IOException e) {
            throw new UncheckedIOException("Cannot close the app's class loader", e);
          } finally {
            if (metrics != null) {
              metrics.close();
            }
          }
        }
      }
    }
  }
}
