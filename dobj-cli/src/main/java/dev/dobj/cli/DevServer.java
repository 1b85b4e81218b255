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

  private final AppClasses classes;
  private final DataDirectoryLock dataLock;
  private final DurableObjectRuntime runtime;
  private final HttpFront front;
  private final AdminEndpoint admin;
  // null: metrics off
  private final DevMetrics metrics;

  private DevServer(
      AppClasses classes,
      DataDirectoryLock dataLock,
      DurableObjectRuntime runtime,
      HttpFront front,
      AdminEndpoint admin,
      DevMetrics metrics) {
    this.admin = admin;
    this.metrics = metrics;
    this.classes = classes;
    this.dataLock = dataLock;
    this.runtime = runtime;
    this.front = front;
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
    return start(config, classes, null);
  }

  /**
   * As {@link #start(AppConfig, AppClasses)}, with the runtime recording into {@code metrics} (if
   * not null), which the server then owns: it closes it last, also when the start fails.
   */
  static DevServer start(AppConfig config, AppClasses classes, DevMetrics metrics)
      throws CliException {
    try {
      return startWith(config, classes, metrics);
    } catch (CliException | RuntimeException e) {
      if (metrics != null) {
        metrics.close();
      }
      throw e;
    }
  }

  private static DevServer startWith(AppConfig config, AppClasses classes, DevMetrics metrics)
      throws CliException {
    // Threads started from here (Jetty's, and through them the runtime's) inherit the app's loader
    // as their context class loader, which libraries inside the app may rely on.
    Thread current = Thread.currentThread();
    ClassLoader previous = current.getContextClassLoader();
    current.setContextClassLoader(classes.loader());
    try {
      return start(config, classes, classes.worker(config), metrics);
    } finally {
      current.setContextClassLoader(previous);
    }
  }

  private static DevServer start(
      AppConfig config, AppClasses classes, Worker worker, DevMetrics metrics) throws CliException {
    DurableObjectRuntime.Builder builder = DurableObjectRuntime.builder();
    if (metrics != null) {
      builder.meterRegistry(metrics.registry());
    }
    for (AppConfig.Binding binding : config.bindings()) {
      builder.bind(binding.name(), classes.objectClass(config, binding), binding.uniqueKey());
    }
    config.vars().forEach(builder::var);
    AppConfig.Settings settings = config.settings();
    // Configuration errors are found before anything is opened; from here on, a failure closes
    // what was opened, in reverse order (the runtime, once built, closes the storage engine).
    DataDirectoryLock dataLock = DataDirectoryLock.acquire(settings.dataDir());
    SqliteStorageEngine storage;
    try {
      storage = storage(settings);
    } catch (CliException e) {
      closeQuietly(dataLock, e);
      throw e;
    }
    DurableObjectRuntime runtime;
    try {
      runtime = builder.storage(storage).build();
    } catch (IllegalArgumentException e) {
      ConfigException failure = new ConfigException(e.getMessage());
      storage.close();
      closeQuietly(dataLock, failure);
      throw failure;
    } catch (RuntimeException e) {
      storage.close();
      closeQuietly(dataLock, e);
      throw e;
    }
    try {
      HttpFront front =
          HttpFront.builder(worker, runtime.env())
              .host(settings.host())
              .port(settings.port())
              .stopGracePeriod(STOP_GRACE_PERIOD)
              .start();
      AdminEndpoint admin;
      try {
        admin = AdminEndpoint.start(runtime, settings.dataDir());
      } catch (UncheckedIOException e) {
        front.close();
        throw e;
      }
      return new DevServer(classes, dataLock, runtime, front, admin, metrics);
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
    try {
      admin.close();
      front.close();
    } finally {
      try {
        runtime.close();
      } finally {
        try {
          dataLock.close();
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot release the lock of the data directory", e);
        } finally {
          try {
            classes.close();
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
