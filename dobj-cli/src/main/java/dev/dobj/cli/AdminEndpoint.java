package dev.dobj.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.dobj.runtime.DurableObjectRuntime;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The loopback admin endpoint of {@code dobj dev}: {@code POST /inspect} with an {@link Inspect}
 * request, answered with {@code {"result":...}} or {@code {"error":"..."}}. Its port and a random
 * token (required in the {@code X-Dobj-Token} header) are in {@code <data>/dobj.admin}, which only
 * the user who can read the data directory can read; {@code dobj objects} and {@code dobj storage}
 * find a running server there. Closed with the server; the file stays (a stale one is harmless: the
 * CLI only uses it while the data directory is locked).
 */
final class AdminEndpoint implements AutoCloseable {
  static final String FILE_NAME = "dobj.admin";
  static final String TOKEN_HEADER = "X-Dobj-Token";

  private final HttpServer server;
  private final ExecutorService threads;

  private AdminEndpoint(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  /**
   * Listens on a free loopback port and records it, with a new token, in the data directory. Each
   * request inspects the runtime {@code runtime} gives then (the version being served; null while
   * none can be served).
   */
  static AdminEndpoint start(Supplier<DurableObjectRuntime> runtime, Path dataDir) {
    byte[] secret = new byte[24];
    new SecureRandom().nextBytes(secret);
    String token = HexFormat.of().formatHex(secret);
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open the admin endpoint on the loopback address", e);
    }
    ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(threads);
    server.createContext("/inspect", exchange -> handle(exchange, runtime, token));
    server.start();
    AdminEndpoint endpoint = new AdminEndpoint(server, threads);
    try {
      ObjectNode file = Inspect.JSON.createObjectNode();
      file.put("port", server.getAddress().getPort());
      file.put("token", token);
      Files.writeString(dataDir.resolve(FILE_NAME), file.toString() + "\n");
    } catch (IOException e) {
      endpoint.close();
      throw new UncheckedIOException("Cannot write " + dataDir.resolve(FILE_NAME), e);
    }
    return endpoint;
  }

  private static void handle(
      HttpExchange exchange, Supplier<DurableObjectRuntime> runtimes, String token)
      throws IOException {
    try (exchange) {
      String given = exchange.getRequestHeaders().getFirst(TOKEN_HEADER);
      if (!"POST".equals(exchange.getRequestMethod())
          || given == null
          || !MessageDigest.isEqual(
              given.getBytes(StandardCharsets.US_ASCII),
              token.getBytes(StandardCharsets.US_ASCII))) {
        exchange.sendResponseHeaders(403, -1);
        return;
      }
      ObjectNode answer = Inspect.JSON.createObjectNode();
      int status = 200;
      try {
        JsonNode request = Inspect.JSON.readTree(exchange.getRequestBody());
        DurableObjectRuntime runtime = runtimes.get();
        if (runtime == null) {
          throw new IllegalStateException(
              "dobj dev serves no version of the app: it failed to reload");
        }
        answer.set("result", Inspect.run(runtime, request));
      } catch (RuntimeException e) {
        status = 400;
        answer.put("error", e.getMessage() == null ? e.toString() : e.getMessage());
      }
      byte[] body = answer.toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.close();
  }
}
