package dev.dobj.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dobj.DurableObject;
import dev.dobj.DurableObjectState;
import dev.dobj.Env;
import dev.dobj.Worker;
import dev.dobj.fetch.Body;
import dev.dobj.fetch.Request;
import dev.dobj.fetch.Response;
import dev.dobj.runtime.DurableObjectRuntime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HttpFront over real sockets on 127.0.0.1: what a client sends reaches the Worker intact, what the
 * Worker answers reaches the client intact, bodies stream, and the limits answer with their status.
 */
class HttpFrontIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private DurableObjectRuntime runtime;
  private final List<HttpFront> fronts = new ArrayList<>();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(WAIT).build();

  @BeforeEach
  void startRuntime() {
    runtime = DurableObjectRuntime.builder().bind("ECHO", EchoObject.class).build();
  }

  @AfterEach
  void stopEverything() {
    // The client first: a keep-alive connection it holds would make close() wait for it.
    client.close();
    fronts.forEach(HttpFront::close);
    runtime.close();
  }

  // ---- round trip ---------------------------------------------------------------------------

  @Test
  void roundTrip_carriesMethodPathQueryHeadersAndBody_bothWays() throws Exception {
    AtomicReference<Request> seen = new AtomicReference<>();
    AtomicReference<String> seenBody = new AtomicReference<>();
    HttpFront front =
        start(
            (request, env) -> {
              seen.set(request);
              seenBody.set(request.text());
              return Response.builder(201)
                  .header("content-type", "text/plain;charset=UTF-8")
                  .header("x-reply", "yes")
                  .addHeader("set-cookie", "a=1")
                  .addHeader("set-cookie", "b=2")
                  .body("echo: " + seenBody.get())
                  .build();
            });

    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(front.url().resolve("/a/b%20c?x=1&y=%2F"))
                .method("PUT", BodyPublishers.ofString("hello, wörld"))
                .header("x-one", "1")
                .header("X-Multi", "first")
                .header("X-Multi", "second")
                .timeout(WAIT)
                .build(),
            BodyHandlers.ofString());

    Request request = seen.get();
    assertThat(request.method()).isEqualTo("PUT");
    assertThat(request.url())
        .isEqualTo(URI.create("http://127.0.0.1:" + front.port() + "/a/b%20c?x=1&y=%2F"));
    assertThat(request.url().getPath()).isEqualTo("/a/b c");
    assertThat(request.headers().get("x-one")).contains("1");
    assertThat(request.headers().getAll("x-multi")).containsExactly("first", "second");
    assertThat(request.headers().get("host")).contains("127.0.0.1:" + front.port());
    assertThat(request.headers().get("content-length"))
        .contains(String.valueOf("hello, wörld".getBytes(StandardCharsets.UTF_8).length));
    assertThat(seenBody.get()).isEqualTo("hello, wörld");

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.body()).isEqualTo("echo: hello, wörld");
    assertThat(response.headers().firstValue("x-reply")).contains("yes");
    assertThat(response.headers().allValues("set-cookie")).containsExactly("a=1", "b=2");
    assertThat(response.headers().firstValue("content-type")).contains("text/plain;charset=UTF-8");
    assertThat(response.headers().firstValue("content-length")).contains("19");
    assertThat(response.headers().firstValue("server")).isEmpty();
  }

  @Test
  void getWithoutBody_reachesTheWorkerWithAnEmptyBody() throws Exception {
    AtomicReference<Body> seen = new AtomicReference<>();
    HttpFront front =
        start(
            (request, env) -> {
              seen.set(request.body());
              return Response.ok("ok");
            });

    HttpResponse<String> response = get(front, "/");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(seen.get().isEmpty()).isTrue();
  }

  @Test
  void worker_runsOnAVirtualThread() throws Exception {
    HttpFront front =
        start((request, env) -> Response.ok(String.valueOf(Thread.currentThread().isVirtual())));

    assertThat(get(front, "/").body()).isEqualTo("true");
  }

  @Test
  void worker_reachesADurableObjectThroughItsStub() throws Exception {
    HttpFront front =
        start(
            (request, env) ->
                env.namespace("ECHO", Echo.class)
                    .getByName(request.url().getPath().substring(1))
                    .fetch(request));

    HttpResponse<String> response = get(front, "/alice?q=1");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .isEqualTo("object alice saw GET http://127.0.0.1:" + front.port() + "/alice?q=1");
  }

  // ---- streaming ----------------------------------------------------------------------------

  @Test
  void largeRequestBody_streamsToTheWorker_whileTheClientIsStillSending() throws Exception {
    long size = 50L * 1024 * 1024;
    CountDownLatch workerSawBytes = new CountDownLatch(1);
    HttpFront front =
        start(
            b -> b.maxRequestBodyBytes(64L * 1024 * 1024),
            (request, env) -> {
              long total = 0;
              byte[] buffer = new byte[64 * 1024];
              try (InputStream in = request.body().stream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                  total += n;
                  workerSawBytes.countDown();
                }
              }
              return Response.ok(Long.toString(total));
            });

    // The client stops after 1 MiB until the Worker has seen bytes: a server that buffered the
    // whole body before calling the Worker would never get there.
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(front.url().resolve("/upload"))
                .POST(
                    BodyPublishers.ofInputStream(
                        () -> new GeneratedStream(size, 1024 * 1024, workerSawBytes)))
                .timeout(Duration.ofSeconds(60))
                .build(),
            BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(Long.toString(size));
  }

  @Test
  void largeResponseBody_streamsToTheClient_whileTheWorkerIsStillProducing() throws Exception {
    long size = 50L * 1024 * 1024;
    CountDownLatch clientSawBytes = new CountDownLatch(1);
    HttpFront front =
        start(
            (request, env) ->
                Response.builder(200)
                    .header("content-type", "application/octet-stream")
                    .body(
                        Body.ofStream(
                            new GeneratedStream(size, 1024 * 1024, clientSawBytes),
                            OptionalLong.empty()))
                    .build());

    HttpResponse<InputStream> response =
        client.send(
            HttpRequest.newBuilder(front.url().resolve("/download"))
                .timeout(Duration.ofSeconds(60))
                .build(),
            BodyHandlers.ofInputStream());

    long total = 0;
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = response.body()) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        total += n;
        clientSawBytes.countDown();
      }
    }
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-length")).isEmpty();
    assertThat(total).isEqualTo(size);
  }

  @Test
  void streamResponseOfKnownLength_isSentWithContentLength() throws Exception {
    byte[] data = "0123456789".getBytes(StandardCharsets.US_ASCII);
    HttpFront front =
        start(
            (request, env) ->
                Response.builder(200)
                    .body(
                        Body.ofStream(
                            new java.io.ByteArrayInputStream(data), OptionalLong.of(data.length)))
                    .build());

    HttpResponse<String> response = get(front, "/");

    assertThat(response.headers().firstValue("content-length")).contains("10");
    assertThat(response.body()).isEqualTo("0123456789");
  }

  // ---- limits -------------------------------------------------------------------------------

  @Test
  void requestBodyOverTheLimit_withDeclaredLength_is413_andTheWorkerIsNotCalled() throws Exception {
    AtomicBoolean called = new AtomicBoolean();
    HttpFront front =
        start(
            b -> b.maxRequestBodyBytes(1024),
            (request, env) -> {
              called.set(true);
              return Response.ok("ok");
            });

    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(front.url().resolve("/"))
                .POST(BodyPublishers.ofByteArray(new byte[1025]))
                .timeout(WAIT)
                .build(),
            BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).contains("over the limit of 1024 bytes");
    assertThat(called).isFalse();
  }

  @Test
  void requestBodyAtTheLimit_isAccepted() throws Exception {
    HttpFront front =
        start(
            b -> b.maxRequestBodyBytes(1024),
            (request, env) -> Response.ok(String.valueOf(request.bytes().length)));

    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(front.url().resolve("/"))
                .POST(BodyPublishers.ofByteArray(new byte[1024]))
                .timeout(WAIT)
                .build(),
            BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("1024");
  }

  @Test
  void chunkedRequestBodyOverTheLimit_failsTheWorkersRead_andIs413() throws Exception {
    AtomicReference<Throwable> readFailure = new AtomicReference<>();
    HttpFront front =
        start(
            b -> b.maxRequestBodyBytes(1024),
            (request, env) -> {
              try {
                return Response.ok(String.valueOf(request.bytes().length));
              } catch (RuntimeException e) {
                readFailure.set(e);
                throw e;
              }
            });

    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(front.url().resolve("/"))
                .POST(
                    BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(new byte[4096])))
                .timeout(WAIT)
                .build(),
            BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(readFailure.get())
        .hasRootCauseMessage(
            "Request body is over the limit of 1024 bytes (413 Content Too Large)");
  }

  @Test
  void requestHeadersOverTheLimit_are431() throws Exception {
    HttpFront front = start(b -> b.maxRequestHeaderBytes(4096), (request, env) -> ok());

    String reply =
        exchange(
            front, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(8192) + "\r\n\r\n");

    assertThat(statusLine(reply)).startsWith("HTTP/1.1 431 ");
    assertThat(reply)
        .contains("Content-Type: text/plain;charset=UTF-8")
        .endsWith("\r\n\r\nRequest Header Fields Too Large");
  }

  @Test
  void garbageRequestLine_is400() throws Exception {
    HttpFront front = start((request, env) -> ok());

    String reply = exchange(front, "THIS IS NOT HTTP\r\n\r\n");

    assertThat(statusLine(reply)).startsWith("HTTP/1.1 400 ");
    assertThat(reply).contains("\r\n\r\nBad Request").doesNotContain("<html");
  }

  @Test
  void aQueryThatJavaNetUriRefuses_is400_namingTheUrl_beforeTheWorker() throws Exception {
    AtomicBoolean called = new AtomicBoolean();
    HttpFront front = startRecordingCalls(called);

    // Jetty takes "|" and a bad escape in a query; java.net.URI (RFC 2396) takes neither.
    for (String query : java.util.List.of("q=a|b", "q=%zz")) {
      String reply =
          exchange(
              front,
              "GET /p?" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

      assertThat(statusLine(reply)).as(query).startsWith("HTTP/1.1 400 ");
      assertThat(reply)
          .as(query)
          .contains("Bad Request: Invalid request URL \"http://127.0.0.1/p?" + query + "\"");
    }
    assertThat(called).isFalse();
  }

  @Test
  void getWithABody_is400_beforeTheWorker() throws Exception {
    AtomicBoolean called = new AtomicBoolean();
    HttpFront front = startRecordingCalls(called);

    String reply =
        exchange(
            front,
            "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc");

    assertThat(statusLine(reply)).startsWith("HTTP/1.1 400 ");
    assertThat(reply).contains("GET or HEAD method cannot have a body");
    assertThat(called).isFalse();
  }

  @Test
  void silentConnection_isClosedAfterTheIdleTimeout() throws Exception {
    HttpFront front = start(b -> b.idleTimeout(Duration.ofMillis(200)), (request, env) -> ok());

    try (Socket socket = connect(front)) {
      socket
          .getOutputStream()
          .write("GET / HTTP/1.1\r\nHost: 127".getBytes(StandardCharsets.US_ASCII));
      // Jetty may answer 408 before closing; either way the connection ends well before WAIT.
      byte[] rest = socket.getInputStream().readAllBytes();
      assertThat(new String(rest, StandardCharsets.ISO_8859_1)).doesNotContain("200 OK");
    }
  }

  // ---- failures -----------------------------------------------------------------------------

  @Test
  void workerException_is500_withAShortBody_andTheCauseIsLoggedNotSent() throws Exception {
    HttpFront front =
        start(
            (request, env) -> {
              throw new IllegalStateException("secret detail of the failure");
            });

    String[] log = new String[1];
    HttpResponse<String> response =
        captureStandardError(log, () -> get(front, "/boom?token=hidden"));

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).isEqualTo("Internal Server Error");
    assertThat(response.headers().firstValue("content-type")).contains("text/plain;charset=UTF-8");
    assertThat(log[0])
        .contains("failed on GET /boom; answered 500")
        .contains("secret detail of the failure")
        .doesNotContain("token=hidden");
  }

  @Test
  void workerReturningNull_is500() throws Exception {
    HttpFront front = start((request, env) -> null);

    String[] log = new String[1];
    HttpResponse<String> response = captureStandardError(log, () -> get(front, "/"));

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).isEqualTo("Internal Server Error");
    assertThat(log[0]).contains("fetch returned null");
  }

  // ---- binding and lifecycle ----------------------------------------------------------------

  @Test
  void bindsToLoopbackByDefault() throws Exception {
    HttpFront front = start((request, env) -> ok());

    assertThat(front.host()).isEqualTo("127.0.0.1");
    assertThat(front.url()).isEqualTo(URI.create("http://127.0.0.1:" + front.port() + "/"));
    assertThat(get(front, "/").statusCode()).isEqualTo(200);
    Optional<InetAddress> external = nonLoopbackAddress();
    if (external.isPresent()) {
      try (Socket socket = new Socket()) {
        assertThatThrownBy(
                () ->
                    socket.connect(
                        new InetSocketAddress(external.get(), front.port()), (int) WAIT.toMillis()))
            .isInstanceOf(ConnectException.class);
      }
    }
  }

  @Test
  void portInUse_failsStart_namingTheAddress() {
    HttpFront first = start((request, env) -> ok());

    assertThatThrownBy(
            () ->
                HttpFront.builder((request, env) -> ok(), runtime.env()).port(first.port()).start())
        .isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessageStartingWith("Cannot listen on 127.0.0.1:" + first.port() + ": ");
  }

  @Test
  void close_refusesNewConnections_andLetsTheRequestInFlightFinish() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    HttpFront front =
        start(
            (request, env) -> {
              entered.countDown();
              await(release, "the test to release the request in flight");
              return Response.ok("finished");
            });
    int port = front.port();

    CompletableFuture<HttpResponse<String>> inFlight =
        client.sendAsync(
            HttpRequest.newBuilder(front.url()).timeout(WAIT).build(), BodyHandlers.ofString());
    await(entered, "the request to reach the Worker");
    CompletableFuture<Void> closing = CompletableFuture.runAsync(front::close);

    awaitRefused(port);
    assertThat(closing).isNotDone();
    release.countDown();
    assertThat(inFlight.get(WAIT.toSeconds(), TimeUnit.SECONDS).body()).isEqualTo("finished");
    closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void close_abortsARequestStillRunningAfterTheGracePeriod_andReturns() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    HttpFront front =
        start(
            b -> b.stopGracePeriod(Duration.ofMillis(100)),
            (request, env) -> {
              entered.countDown();
              await(release, "the test to release the stuck request");
              return Response.ok("too late");
            });
    int port = front.port();
    try {
      CompletableFuture<HttpResponse<String>> stuck =
          client.sendAsync(
              HttpRequest.newBuilder(front.url()).timeout(WAIT).build(), BodyHandlers.ofString());
      await(entered, "the request to reach the Worker");

      CompletableFuture.runAsync(front::close).get(WAIT.toSeconds(), TimeUnit.SECONDS);

      awaitRefused(port);
      assertThat(stuck)
          .failsWithin(WAIT)
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .withCauseInstanceOf(IOException.class);
    } finally {
      release.countDown();
    }
  }

  @Test
  void builder_refusesBadSettings() {
    HttpFront.Builder b = HttpFront.builder((request, env) -> ok(), runtime.env());

    assertThatThrownBy(() -> b.port(70000))
        .hasMessage("HttpFront port must be between 0 and 65535, got 70000");
    assertThatThrownBy(() -> b.maxRequestBodyBytes(-1))
        .hasMessage("HttpFront maxRequestBodyBytes must be at least 0, got -1");
    assertThatThrownBy(() -> b.idleTimeout(Duration.ZERO))
        .hasMessage("HttpFront idleTimeout must be positive, got PT0S");
    assertThatThrownBy(() -> b.host(" ")).hasMessage("HttpFront host must not be blank");
  }

  // ---- fixtures -----------------------------------------------------------------------------

  /** The RPC face of {@link EchoObject}; it has no RPC methods, only fetch. */
  public interface Echo {}

  /** Answers every fetch with its name and what it saw. */
  public static final class EchoObject extends DurableObject {
    public EchoObject(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }

    @Override
    public Response fetch(Request request) {
      return Response.ok(
          "object "
              + ctx.id().name().orElse("?")
              + " saw "
              + request.method()
              + " "
              + request.url());
    }
  }

  /**
   * {@code size} bytes of a repeating pattern; after {@code pauseAt} bytes it waits for {@code
   * resume} before giving more, which proves the other side received bytes before all were made.
   */
  private static final class GeneratedStream extends InputStream {
    private final long size;
    private final long pauseAt;
    private final CountDownLatch resume;
    private long position;

    GeneratedStream(long size, long pauseAt, CountDownLatch resume) {
      this.size = size;
      this.pauseAt = pauseAt;
      this.resume = resume;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (position >= size) {
        return -1;
      }
      if (position >= pauseAt && resume.getCount() > 0) {
        try {
          if (!resume.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IOException(
                "timed out after "
                    + position
                    + " bytes waiting for the other side to see bytes:"
                    + " the body is not streamed");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
      long limit = position < pauseAt ? pauseAt : size;
      int n = (int) Math.min(length, limit - position);
      for (int i = 0; i < n; i++) {
        buffer[offset + i] = (byte) ((position + i) % 251);
      }
      position += n;
      return n;
    }
  }

  /** A front whose Worker answers 200 and records that it was called. */
  private HttpFront startRecordingCalls(AtomicBoolean called) {
    return start(
        (request, env) -> {
          called.set(true);
          return ok();
        });
  }

  private HttpFront start(Worker worker) {
    return start(b -> {}, worker);
  }

  private HttpFront start(Consumer<HttpFront.Builder> settings, Worker worker) {
    HttpFront.Builder builder = HttpFront.builder(worker, runtime.env());
    settings.accept(builder);
    HttpFront front = builder.start();
    fronts.add(front);
    return front;
  }

  private static Response ok() {
    return Response.ok("ok");
  }

  private HttpResponse<String> get(HttpFront front, String pathAndQuery) throws Exception {
    return client.send(
        HttpRequest.newBuilder(front.url().resolve(pathAndQuery)).timeout(WAIT).build(),
        BodyHandlers.ofString());
  }

  private static Socket connect(HttpFront front) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", front.port()), (int) WAIT.toMillis());
    socket.setSoTimeout((int) WAIT.toMillis());
    return socket;
  }

  /** Sends {@code raw} and reads until the server closes the connection or goes quiet. */
  private static String exchange(HttpFront front, String raw) throws IOException {
    try (Socket socket = connect(front)) {
      OutputStream out = socket.getOutputStream();
      out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      ByteArrayOutputStream reply = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n = socket.getInputStream().read(buffer);
            n >= 0;
            n = socket.getInputStream().read(buffer)) {
          reply.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException e) {
        if (reply.size() == 0) {
          throw new AssertionError("no reply within " + WAIT + " to " + raw.lines().findFirst());
        }
      } catch (java.net.SocketException e) {
        // A reset after the reply (the server closed with unread input) ends the exchange.
        if (reply.size() == 0) {
          throw e;
        }
      }
      return reply.toString(StandardCharsets.ISO_8859_1);
    }
  }

  private static String statusLine(String reply) {
    return reply.lines().findFirst().orElse("");
  }

  private static void awaitRefused(int port) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      } catch (IOException refused) {
        return;
      }
      Thread.onSpinWait();
    }
    throw new AssertionError(
        "port " + port + " still accepts connections " + WAIT + " after close()");
  }

  private static void await(CountDownLatch latch, String what) {
    try {
      if (!latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
        throw new AssertionError("timed out after " + WAIT + " waiting for " + what);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for " + what, e);
    }
  }

  private interface Call<T> {
    T run() throws Exception;
  }

  /** Runs {@code call} with System.err captured into {@code log[0]} (slf4j-simple writes there). */
  private static <T> T captureStandardError(String[] log, Call<T> call) throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      return call.run();
    } finally {
      System.setErr(original);
      log[0] = captured.toString(StandardCharsets.UTF_8);
    }
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback()) {
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (address instanceof Inet4Address) {
            return Optional.of(address);
          }
        }
      }
    }
    return Optional.empty();
  }
}
