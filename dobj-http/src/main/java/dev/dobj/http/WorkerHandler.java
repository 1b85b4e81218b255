package dev.dobj.http;

import dev.dobj.Env;
import dev.dobj.Worker;
import dev.dobj.fetch.Body;
import dev.dobj.fetch.Headers;
import dev.dobj.http.internal.JettySocket;
import dev.dobj.spi.websocket.EdgeWebSocket;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge between Jetty and the Worker: converts a Jetty request into a {@link
 * dev.dobj.fetch.Request}, calls the Worker, and writes the {@link dev.dobj.fetch.Response}.
 *
 * <p>Declared {@code BLOCKING}, so Jetty calls {@link #handle} on a virtual thread of the front's
 * executor; everything here blocks on that thread and completes the callback before returning.
 * Stateless apart from its configuration: safe for any number of concurrent requests.
 */
final class WorkerHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(HttpFront.class);

  /** Response headers about the connection, which Jetty owns; a Worker's values are dropped. */
  private static final Set<String> CONNECTION_HEADERS =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "content-length");

  private static final int COPY_BUFFER_BYTES = 64 * 1024;

  private final Worker worker;
  private final Env env;
  private final long maxRequestBodyBytes;
  private final ServerWebSocketContainer webSockets;
  private final RequestUrls urls = new RequestUrls();

  WorkerHandler(
      Worker worker, Env env, long maxRequestBodyBytes, ServerWebSocketContainer webSockets) {
    super(InvocationType.BLOCKING);
    this.worker = worker;
    this.env = env;
    this.maxRequestBodyBytes = maxRequestBodyBytes;
    this.webSockets = webSockets;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    HttpFields fields = request.getHeaders();
    long declared = fields.getLongField(HttpHeader.CONTENT_LENGTH);
    if (declared > maxRequestBodyBytes) {
      writeText(response, callback, 413, tooLarge());
      return true;
    }
    CappedBodyStream bodyStream = null;
    Body body = Body.empty();
    // Without content-length or transfer-encoding, an HTTP/1.1 request has no body.
    if (declared > 0 || (declared < 0 && fields.contains(HttpHeader.TRANSFER_ENCODING))) {
      bodyStream = new CappedBodyStream(Content.Source.asInputStream(request), maxRequestBodyBytes);
      body =
          Body.ofStream(
              bodyStream, declared >= 0 ? OptionalLong.of(declared) : OptionalLong.empty());
    }

    // An upgrade request carries a WebSocket for the object to accept; the upgrade completes only
    // if the Worker answers 101 with that same, accepted socket.
    EdgeWebSocket socket =
        isWebSocketUpgrade(request)
            ? new EdgeWebSocket(
                path(request) + " from " + request.getConnectionMetaData().getRemoteSocketAddress())
            : null;
    dev.dobj.fetch.Request converted;
    try {
      converted = convert(request, body, socket);
    } catch (IllegalArgumentException e) {
      writeText(response, callback, 400, "Bad Request: " + e.getMessage());
      return true;
    }

    dev.dobj.fetch.Response answer;
    try {
      answer = worker.fetch(converted, env);
      if (answer == null) {
        throw new NullPointerException(worker.getClass().getName() + ".fetch returned null");
      }
      if (answer.webSocket().isPresent()) {
        checkUpgrade(answer, socket);
      }
    } catch (Throwable t) {
      if (socket != null) {
        socket.closed(1006, "the request failed before the upgrade", false);
      }
      if (bodyStream != null && bodyStream.overLimit()) {
        LOG.debug(
            "{} {}: request body over the limit, answered 413", method(request), path(request));
        writeText(response, callback, 413, tooLarge());
        return true;
      }
      rethrowIfFatal(t);
      LOG.error(
          "Worker {} failed on {} {}; answered 500",
          worker.getClass().getName(),
          method(request),
          path(request),
          t);
      writeText(response, callback, 500, "Internal Server Error");
      return true;
    }
    if (answer.webSocket().isPresent()) {
      upgrade(request, response, callback, answer, socket);
      return true;
    }
    if (socket != null) {
      // Answered without an upgrade: an accepted socket never opens.
      socket.closed(1006, "the Worker did not upgrade the request", false);
    }
    send(request, answer, response, callback);
    return true;
  }

  private static boolean isWebSocketUpgrade(Request request) {
    if (!"GET".equals(request.getMethod())) {
      return false;
    }
    String upgrade = request.getHeaders().get(HttpHeader.UPGRADE);
    return upgrade != null && upgrade.toLowerCase(java.util.Locale.ROOT).contains("websocket");
  }

  private void checkUpgrade(dev.dobj.fetch.Response answer, EdgeWebSocket socket) {
    if (socket == null) {
      throw new IllegalStateException(
          "The Worker answered 101 with a WebSocket, but the request was not a WebSocket upgrade");
    }
    if (answer.webSocket().get() != socket) {
      throw new IllegalStateException(
          "The Worker answered 101 with a WebSocket that is not this request's"
              + " (request.webSocket())");
    }
    if (!socket.accepted()) {
      throw new IllegalStateException(
          "The Worker answered 101 with a WebSocket nobody accepted: the Durable Object must call"
              + " ctx.acceptWebSocket(ws) before it returns Response.webSocket(ws)");
    }
  }

  private void upgrade(
      Request request,
      Response response,
      Callback callback,
      dev.dobj.fetch.Response answer,
      EdgeWebSocket socket) {
    String protocol = answer.headers().get("sec-websocket-protocol").orElse(null);
    // The exchange fails if the 101 cannot reach the client (it went away meanwhile): the socket
    // then never opens, so it is closed here, or it would stay among the object's sockets.
    Callback exchange =
        Callback.from(
            callback.getInvocationType(),
            callback::succeeded,
            failure -> {
              socket.closed(1006, "the connection failed before the WebSocket opened", false);
              callback.failed(failure);
            });
    boolean upgraded;
    try {
      upgraded =
          webSockets.upgrade(
              (upgradeRequest, upgradeResponse, upgradeCallback) -> {
                if (protocol != null) {
                  upgradeResponse.setAcceptedSubProtocol(protocol);
                }
                return new JettySocket(socket);
              },
              request,
              response,
              exchange);
    } catch (Throwable t) {
      rethrowIfFatal(t);
      socket.closed(1006, "the upgrade failed", false);
      LOG.error("WebSocket upgrade of {} {} failed", method(request), path(request), t);
      writeText(response, callback, 500, "Internal Server Error");
      return;
    }
    if (!upgraded) {
      socket.closed(1006, "the upgrade failed", false);
      writeText(response, callback, 400, "Bad Request: not a valid WebSocket upgrade request");
    }
  }

  private dev.dobj.fetch.Request convert(Request request, Body body, EdgeWebSocket socket) {
    Headers.Builder headers = Headers.builder();
    for (HttpField field : request.getHeaders()) {
      String value = field.getValue();
      headers.add(field.getName(), value == null ? "" : value);
    }
    java.net.URI url = urls.toUri(request.getHttpURI());
    dev.dobj.fetch.Request.Builder b =
        (url != null
                ? dev.dobj.fetch.Request.builder(request.getMethod(), url)
                : dev.dobj.fetch.Request.builder(
                    request.getMethod(), request.getHttpURI().asString()))
            .headers(headers.build())
            .body(body);
    if (socket != null) {
      b.webSocket(socket);
    }
    return b.build();
  }

  private void send(
      Request request, dev.dobj.fetch.Response answer, Response response, Callback callback) {
    response.setStatus(answer.status());
    HttpFields.Mutable headers = response.getHeaders();
    for (Map.Entry<String, String> header : answer.headers()) {
      if (!CONNECTION_HEADERS.contains(header.getKey())) {
        headers.add(header.getKey(), header.getValue());
      }
    }
    Body body = answer.body();
    body.length().ifPresent(n -> headers.put(HttpHeader.CONTENT_LENGTH, n));
    if (body.replayable()) {
      response.write(true, ByteBuffer.wrap(body.bytes()), callback);
      return;
    }
    // A stream body goes out as it is read: each read is written (and flushed) at once.
    try (InputStream in = body.stream()) {
      OutputStream out = Content.Sink.asOutputStream(response);
      byte[] buffer = new byte[COPY_BUFFER_BYTES];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        if (n > 0) {
          out.write(buffer, 0, n);
        }
      }
      out.close();
      callback.succeeded();
    } catch (Throwable t) {
      rethrowIfFatal(t);
      if (!response.isCommitted()) {
        LOG.error(
            "Response body of Worker {} failed on {} {}; answered 500",
            worker.getClass().getName(),
            method(request),
            path(request),
            t);
        response.reset();
        writeText(response, callback, 500, "Internal Server Error");
      } else {
        // The status line is out: the only honest signal left is an aborted connection.
        LOG.warn(
            "Response body of {} {} failed after the response started; connection aborted",
            method(request),
            path(request),
            t);
        callback.failed(t);
      }
    }
  }

  private String tooLarge() {
    return "Content Too Large: the request body is over the limit of "
        + maxRequestBodyBytes
        + " bytes";
  }

  private static void writeText(Response response, Callback callback, int status, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    HttpFields.Mutable headers = response.getHeaders();
    headers.put(HttpHeader.CONTENT_TYPE, "text/plain;charset=UTF-8");
    headers.put(HttpHeader.CONTENT_LENGTH, bytes.length);
    if (status == 413) {
      // The rest of the body is not read, so the connection cannot carry another request.
      headers.put(HttpHeader.CONNECTION, "close");
    }
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }

  /** Errors the JVM cannot recover from are not answered as a 500; Jetty aborts the request. */
  private static void rethrowIfFatal(Throwable t) {
    if (t instanceof VirtualMachineError fatal && !(t instanceof StackOverflowError)) {
      throw fatal;
    }
  }

  private static String method(Request request) {
    return request.getMethod();
  }

  /** The path without the query, which may carry secrets. */
  private static String path(Request request) {
    return request.getHttpURI().getPath();
  }
}
