package dev.dobj.cli;

import dev.dobj.Worker;
import dev.dobj.http.HttpFront;
import dev.dobj.runtime.DurableObjectRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;

/**
 * An app being served by {@code dobj dev}: its Durable Objects in a runtime of this JVM, its Worker
 * behind an {@link HttpFront}. The composition root of the local server.
 *
 * <p>{@link #close()} stops in the reverse order of start: HTTP first (no new requests, requests in
 * flight finish), then the runtime, then the app's class loader. Thread-safe to close from a
 * shutdown hook while the starting thread waits.
 */
final class DevServer implements AutoCloseable {
  private final AppClasses classes;
  private final DurableObjectRuntime runtime;
  private final HttpFront front;

  private DevServer(AppClasses classes, DurableObjectRuntime runtime, HttpFront front) {
    this.classes = classes;
    this.runtime = runtime;
    this.front = front;
  }

  /**
   * Loads the app's classes, builds the runtime with its bindings and vars, and starts serving.
   *
   * @throws ConfigException if a class named in the configuration is missing or unfit
   * @throws CliException (exit code 1) if the port cannot be bound or the Worker cannot be made
   */
  static DevServer start(AppConfig config, AppClasses classes) throws CliException {
    // Threads started from here (Jetty's, and through them the runtime's) inherit the app's loader
    // as their context class loader, which libraries inside the app may rely on.
    Thread current = Thread.currentThread();
    ClassLoader previous = current.getContextClassLoader();
    current.setContextClassLoader(classes.loader());
    try {
      return start(config, classes, classes.worker(config));
    } finally {
      current.setContextClassLoader(previous);
    }
  }

  private static DevServer start(AppConfig config, AppClasses classes, Worker worker)
      throws CliException {
    DurableObjectRuntime.Builder builder = DurableObjectRuntime.builder();
    for (AppConfig.Binding binding : config.bindings()) {
      builder.bind(binding.name(), classes.objectClass(config, binding), binding.uniqueKey());
    }
    config.vars().forEach(builder::var);
    DurableObjectRuntime runtime;
    try {
      runtime = builder.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
    AppConfig.Settings settings = config.settings();
    try {
      HttpFront front =
          HttpFront.builder(worker, runtime.env())
              .host(settings.host())
              .port(settings.port())
              .start();
      return new DevServer(classes, runtime, front);
    } catch (UncheckedIOException | IllegalStateException e) {
      runtime.close();
      throw new CliException(
          CliException.FAILED,
          e.getMessage()
              + (e instanceof UncheckedIOException
                  ? "; is another dobj dev running? Choose another port with --port"
                  : ""));
    }
  }

  /** The base URL the app is served on, e.g. {@code http://127.0.0.1:8787/}. */
  URI url() {
    return front.url();
  }

  /** Stops HTTP (in-flight requests finish), closes the runtime, releases the app's classes. */
  @Override
  public void close() {
    try {
      front.close();
    } finally {
      runtime.close();
      try {
        classes.close();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot close the app's class loader", e);
      }
    }
  }
}
