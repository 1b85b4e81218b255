package dev.dobj.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The metrics endpoint of {@code dobj dev}: a Prometheus registry that the runtime records into
 * (with the JVM's memory, GC, threads, CPU and uptime beside it), served as the Prometheus text
 * format at {@code GET /metrics} on a loopback port of its own, by the JDK's HTTP server (one
 * dispatcher thread; a scrape is a few milliseconds). The app's port stays the Worker's alone.
 *
 * <p>Thread-safe; {@link #close()} stops the server and the registry, once.
 */
final class DevMetrics implements AutoCloseable {
  /** The default port, Prometheus's registered port for an exporter (as OpenTelemetry's). */
  static final int DEFAULT_PORT = 9464;

  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc;
  private final HttpServer server;

  private DevMetrics(PrometheusMeterRegistry registry, JvmGcMetrics gc, HttpServer server) {
    this.registry = registry;
    this.gc = gc;
    this.server = server;
  }

  /**
   * Binds {@code 127.0.0.1:port} (0 picks a free port) and serves {@code /metrics} from a new
   * registry.
   *
   * @throws CliException (exit code 1) if the port cannot be bound
   */
  static DevMetrics start(int port) throws CliException {
    HttpServer server;
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new CliException(
          CliException.FAILED,
          "Cannot serve metrics on 127.0.0.1:"
              + port
              + ": "
              + e.getMessage()
              + "; choose another port with --metrics-port, or turn metrics off with"
              + " --no-metrics");
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    server.createContext("/", exchange -> answer(exchange, registry));
    server.start();
    return new DevMetrics(registry, gc, server);
  }

  private static void answer(HttpExchange exchange, PrometheusMeterRegistry registry)
      throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      if (!path.equals("/metrics")) {
        send(exchange, 404, "Not found: " + path + "; the metrics are at /metrics\n");
      } else if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "Method " + method + " not allowed on /metrics; use GET\n");
      } else {
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
        if (method.equals("HEAD")) {
          exchange.sendResponseHeaders(200, -1);
        } else {
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        }
      }
    }
  }

  private static void send(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** The registry the runtime records into. */
  MeterRegistry registry() {
    return registry;
  }

  /** Where the metrics are served, e.g. {@code http://127.0.0.1:9464/metrics}. */
  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
  }

  /** Stops serving (at once: a scrape in flight is cut) and closes the registry. */
  @Override
  public void close() {
    server.stop(0);
    gc.close();
    registry.close();
  }
}
