package dev.dobj.http;

import dev.dobj.Env;
import dev.dobj.Worker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link Worker} over HTTP/1.1: every request becomes a {@link dev.dobj.fetch.Request},
 * goes to {@link Worker#fetch}, and the returned {@link dev.dobj.fetch.Response} is written back.
 *
 * <pre>{@code
 * try (HttpFront front = HttpFront.builder(worker, runtime.env()).port(8787).start()) {
 *   System.out.println("serving on " + front.url());
 *   ...
 * }
 * }</pre>
 *
 * <p>What it promises:
 *
 * <ul>
 *   <li>It listens on 127.0.0.1 unless told otherwise; port 0 picks a free port ({@link #port()}).
 *   <li>Each Worker call runs on its own virtual thread. Request and response bodies stream: the
 *       request body is an {@code InputStream} over the connection, and a stream response body is
 *       sent as it is read.
 *   <li>Limits: a request body over {@link Builder#maxRequestBodyBytes} is answered 413 (before the
 *       Worker runs when the size is declared, otherwise when the Worker reads past the limit);
 *       request headers over {@link Builder#maxRequestHeaderBytes} are answered 431; a malformed
 *       request 400; a connection that stays silent for {@link Builder#idleTimeout} is closed.
 *   <li>An exception from the Worker is answered 500 with the body {@code Internal Server Error};
 *       the cause is logged (SLF4J, logger {@code dev.dobj.http.HttpFront}), and nothing of it
 *       reaches the client.
 *   <li>WebSocket upgrades: an upgrade request carries a socket ({@link
 *       dev.dobj.fetch.Request#webSocket()}) that the Worker hands to a Durable Object through
 *       {@code stub.fetch}; the object accepts it ({@code ctx.acceptWebSocket}) and answers {@link
 *       dev.dobj.fetch.Response#webSocket}. The front then completes the upgrade, and what arrives
 *       on the socket becomes the object's {@code webSocketMessage}/{@code webSocketClose}/{@code
 *       webSocketError} events.
 *   <li>{@link #close()} stops accepting connections at once and lets requests in flight finish for
 *       up to {@link Builder#stopGracePeriod}; requests still running then are aborted (their
 *       connections closed, a warning logged), and {@code close()} returns.
 * </ul>
 *
 * <p>Thread-safe. Built and started by {@link Builder#start()}; closed once.
 */
public final class HttpFront implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpFront.class);

  /** The address it listens on by default: loopback only. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** The default limit on a request body: 32 MiB. */
  public static final long DEFAULT_MAX_REQUEST_BODY_BYTES = 32L * 1024 * 1024;

  /** The default limit on the request line and headers together: 16 KiB. */
  public static final int DEFAULT_MAX_REQUEST_HEADER_BYTES = 16 * 1024;

  /** The default time a connection may stay silent: 30 s. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

  /** The default time {@link #close()} gives requests in flight: 10 s. */
  public static final Duration DEFAULT_STOP_GRACE_PERIOD = Duration.ofSeconds(10);

  /** The default time a WebSocket may stay silent before it is closed: 1 hour. */
  public static final Duration DEFAULT_WEBSOCKET_IDLE_TIMEOUT = Duration.ofHours(1);

  /** The default limit on one WebSocket message: 1 MiB. */
  public static final int DEFAULT_MAX_WEBSOCKET_MESSAGE_BYTES = 1024 * 1024;

  private final Server server;
  private final ServerConnector connector;
  private final ExecutorService virtualThreads;
  private final String host;
  private final Duration stopGracePeriod;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** The URL while serving; {@link #url()} of a stopped connector has no port. */
  private final URI servedUrl;

  private HttpFront(
      Server server,
      ServerConnector connector,
      ExecutorService virtualThreads,
      Duration stopGracePeriod) {
    this.server = server;
    this.connector = connector;
    this.virtualThreads = virtualThreads;
    this.host = connector.getHost();
    this.stopGracePeriod = stopGracePeriod;
    this.servedUrl = url();
  }

  /**
   * A builder for a front that serves {@code worker} with {@code env} as its environment.
   *
   * @throws NullPointerException if either argument is null
   */
  public static Builder builder(Worker worker, Env env) {
    return new Builder(
        Objects.requireNonNull(worker, "worker"), Objects.requireNonNull(env, "env"));
  }

  /** The host or address it listens on, as configured (e.g. {@code 127.0.0.1}). */
  public String host() {
    return host;
  }

  /** The port it listens on; the chosen port when it was configured as 0. */
  public int port() {
    return connector.getLocalPort();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8787/}. */
  public URI url() {
    String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    return URI.create("http://" + h + ":" + port() + "/");
  }

  /**
   * Stops accepting connections, waits up to the grace period for requests in flight, aborts the
   * rest, and releases the port. Idempotent; returns once the server has stopped. Requests aborted
   * at the end of the grace period are not a failure: their clients see the connection close, and a
   * warning is logged. The Worker calls behind them are not interrupted; they end on their own.
   *
   * @throws IllegalStateException if the server fails to stop (the cause is attached)
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      server.stop();
    } catch (TimeoutException e) {
      // Jetty stops everything, then reports that the graceful wait ran out: requests were aborted.
      LOG.warn(
          "HTTP server on {}: requests still running after the {} ms grace period were aborted",
          servedUrl,
          stopGracePeriod.toMillis());
    } catch (Exception e) {
      throw new IllegalStateException("HTTP server on " + servedUrl + " failed to stop", e);
    } finally {
      virtualThreads.shutdown();
    }
  }

  @Override
  public String toString() {
    return "HttpFront[" + (server.isStarted() ? url() : "stopped") + "]";
  }

  /** How a front is configured and started. Not thread-safe; start once. */
  public static final class Builder {
    private final Worker worker;
    private final Env env;
    private String host = DEFAULT_HOST;
    private int port = 0;
    private long maxRequestBodyBytes = DEFAULT_MAX_REQUEST_BODY_BYTES;
    private int maxRequestHeaderBytes = DEFAULT_MAX_REQUEST_HEADER_BYTES;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private Duration stopGracePeriod = DEFAULT_STOP_GRACE_PERIOD;
    private Duration webSocketIdleTimeout = DEFAULT_WEBSOCKET_IDLE_TIMEOUT;
    private int maxWebSocketMessageBytes = DEFAULT_MAX_WEBSOCKET_MESSAGE_BYTES;

    private Builder(Worker worker, Env env) {
      this.worker = worker;
      this.env = env;
    }

    /**
     * The host name or address to listen on (default {@value HttpFront#DEFAULT_HOST}); {@code
     * 0.0.0.0} listens on every interface.
     *
     * @throws IllegalArgumentException if {@code host} is blank
     * @throws NullPointerException if {@code host} is null
     */
    public Builder host(String host) {
      Objects.requireNonNull(host, "host");
      if (host.isBlank()) {
        throw new IllegalArgumentException("HttpFront host must not be blank");
      }
      this.host = host;
      return this;
    }

    /**
     * The port to listen on (default 0: a free port, see {@link HttpFront#port()}).
     *
     * @throws IllegalArgumentException if not between 0 and 65535
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(
            "HttpFront port must be between 0 and 65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * The largest request body accepted, in bytes (default 32 MiB); larger ones are answered 413.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder maxRequestBodyBytes(long max) {
      if (max < 0) {
        throw new IllegalArgumentException(
            "HttpFront maxRequestBodyBytes must be at least 0, got " + max);
      }
      this.maxRequestBodyBytes = max;
      return this;
    }

    /**
     * The largest request line plus headers accepted, in bytes (default 16 KiB); larger ones are
     * answered 431.
     *
     * @throws IllegalArgumentException if below 1024
     */
    public Builder maxRequestHeaderBytes(int max) {
      if (max < 1024) {
        throw new IllegalArgumentException(
            "HttpFront maxRequestHeaderBytes must be at least 1024, got " + max);
      }
      this.maxRequestHeaderBytes = max;
      return this;
    }

    /**
     * How long a connection may stay silent, mid-request or between requests, before it is closed
     * (default 30 s).
     *
     * @throws IllegalArgumentException if not positive
     * @throws NullPointerException if {@code timeout} is null
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = positive(timeout, "idleTimeout");
      return this;
    }

    /**
     * How long an upgraded WebSocket may stay silent in both directions before it is closed
     * (default 1 hour). Hibernation does not count: a socket of an evicted object stays open.
     *
     * @throws IllegalArgumentException if not positive
     * @throws NullPointerException if {@code timeout} is null
     */
    public Builder webSocketIdleTimeout(Duration timeout) {
      this.webSocketIdleTimeout = positive(timeout, "webSocketIdleTimeout");
      return this;
    }

    /**
     * The largest WebSocket message accepted, in bytes (default 1 MiB); a larger one closes the
     * socket with code 1009 (message too big).
     *
     * @throws IllegalArgumentException if below 1024
     */
    public Builder maxWebSocketMessageBytes(int max) {
      if (max < 1024) {
        throw new IllegalArgumentException(
            "HttpFront maxWebSocketMessageBytes must be at least 1024, got " + max);
      }
      this.maxWebSocketMessageBytes = max;
      return this;
    }

    /**
     * How long {@link HttpFront#close()} waits for requests in flight (default 10 s).
     *
     * @throws IllegalArgumentException if negative
     * @throws NullPointerException if {@code grace} is null
     */
    public Builder stopGracePeriod(Duration grace) {
      Objects.requireNonNull(grace, "stopGracePeriod");
      if (grace.isNegative()) {
        throw new IllegalArgumentException(
            "HttpFront stopGracePeriod must not be negative, got " + grace);
      }
      this.stopGracePeriod = grace;
      return this;
    }

    /**
     * Binds the port and starts serving.
     *
     * @throws UncheckedIOException if the address cannot be bound (the message names it, e.g.
     *     "Address already in use")
     * @throws IllegalStateException if the server fails to start for another reason
     */
    public HttpFront start() {
      ExecutorService virtualThreads =
          // One name for all (a numbered name costs a string per request): thread dumps still
          // show the pool.
          Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("dobj-http").factory());
      // Platform threads only select and accept; every request is handled on a virtual thread.
      QueuedThreadPool pool = new QueuedThreadPool();
      pool.setName("dobj-http-io");
      pool.setVirtualThreadsExecutor(virtualThreads);

      Server server = new Server(pool);
      server.setStopTimeout(stopGracePeriod.toMillis());
      server.setErrorHandler(new PlainErrorHandler());

      HttpConfiguration config = new HttpConfiguration();
      config.setRequestHeaderSize(maxRequestHeaderBytes);
      config.setSendServerVersion(false);
      config.setSendXPoweredBy(false);

      ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
      connector.setHost(host);
      connector.setPort(port);
      connector.setIdleTimeout(idleTimeout.toMillis());
      server.addConnector(connector);
      ServerWebSocketContainer webSockets = ServerWebSocketContainer.ensure(server);
      webSockets.setIdleTimeout(webSocketIdleTimeout);
      webSockets.setMaxTextMessageSize(maxWebSocketMessageBytes);
      webSockets.setMaxBinaryMessageSize(maxWebSocketMessageBytes);
      server.setHandler(
          new GracefulHandler(new WorkerHandler(worker, env, maxRequestBodyBytes, webSockets)));

      try {
        server.start();
      } catch (IOException e) {
        stopQuietly(server, virtualThreads, e);
        throw new UncheckedIOException(
            "Cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
      } catch (Exception e) {
        stopQuietly(server, virtualThreads, e);
        throw new IllegalStateException(
            "HTTP server on " + host + ":" + port + " failed to start: " + e.getMessage(), e);
      }
      return new HttpFront(server, connector, virtualThreads, stopGracePeriod);
    }

    private static void stopQuietly(Server server, ExecutorService threads, Exception cause) {
      try {
        server.stop();
      } catch (Exception e) {
        cause.addSuppressed(e);
      } finally {
        threads.shutdown();
      }
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("HttpFront " + what + " must be positive, got " + d);
      }
      return d;
    }
  }
}
