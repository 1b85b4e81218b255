package dev.dobj.fetch;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * An HTTP request, shaped like the Fetch standard's {@code Request}: what a Durable Object's {@code
 * fetch} handler receives and what {@code stub.fetch} sends.
 *
 * <p>Rules, checked when the request is built:
 *
 * <ul>
 *   <li>The method is an HTTP token, upper-cased ({@code "patch"} becomes {@code "PATCH"}); the
 *       default is {@code GET}. {@code CONNECT}, {@code TRACE} and {@code TRACK} are refused, as
 *       Fetch refuses them.
 *   <li>The URL is absolute, with an authority (host) and the scheme {@code http}, {@code https},
 *       {@code ws} or {@code wss}.
 *   <li>A {@code GET} or {@code HEAD} request has no body (Fetch's rule); a stream body of unknown
 *       length counts as a body.
 * </ul>
 *
 * <p>A request is immutable except for its body: a stream body can be read once (see {@link Body}).
 * Requests are not equal to one another unless they are the same instance. {@link #toString()}
 * shows the method and URL only, never headers or body.
 */
public final class Request {
  private static final Set<String> FORBIDDEN_METHODS = Set.of("CONNECT", "TRACE", "TRACK");

  private final String method;
  private final URI url;
  private final Headers headers;
  private final Body body;
  private final Optional<WebSocket> webSocket;

  private Request(Builder b) {
    this.method = b.method;
    this.url = b.url;
    this.headers = b.headers.build();
    this.body = b.body;
    this.webSocket = b.webSocket;
  }

  /**
   * A {@code GET} request for {@code url}, with no headers and no body.
   *
   * @throws IllegalArgumentException if {@code url} is not a valid absolute http, https, ws or wss
   *     URL
   * @throws NullPointerException if {@code url} is null
   */
  public static Request get(String url) {
    return builder("GET", url).build();
  }

  /**
   * A builder for a {@code method} request to {@code url}.
   *
   * @throws IllegalArgumentException if {@code method} is not an allowed HTTP token, or {@code url}
   *     is not a valid absolute http, https, ws or wss URL
   * @throws NullPointerException if either argument is null
   */
  public static Builder builder(String method, String url) {
    return new Builder().method(method).url(url);
  }

  /**
   * A builder for a {@code method} request to {@code url}.
   *
   * @throws IllegalArgumentException if {@code method} is not an allowed HTTP token, or {@code url}
   *     is not absolute with an authority and the scheme http, https, ws or wss
   * @throws NullPointerException if either argument is null
   */
  public static Builder builder(String method, URI url) {
    return new Builder().method(method).url(url);
  }

  /**
   * A builder that starts with this request's method, URL, headers, body and WebSocket. The body is
   * shared, not copied: a stream body can still be read only once, through either request.
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.method = method;
    b.url = url;
    b.headers = headers.toBuilder();
    b.body = body;
    b.webSocket = webSocket;
    return b;
  }

  /** The method, upper-case, e.g. {@code GET}. */
  public String method() {
    return method;
  }

  /** The absolute URL. */
  public URI url() {
    return url;
  }

  /** The headers. */
  public Headers headers() {
    return headers;
  }

  /** The body; {@link Body#empty()} when there is none. */
  public Body body() {
    return body;
  }

  /**
   * The whole body, as {@link Body#bytes()}.
   *
   * @throws IllegalStateException if the body is a stream that was already read
   * @throws UncheckedIOException if reading the stream fails
   */
  public byte[] bytes() {
    return body.bytes();
  }

  /**
   * The whole body decoded as UTF-8, as {@link Body#text()}.
   *
   * @throws IllegalStateException if the body is a stream that was already read
   * @throws UncheckedIOException if reading the stream fails
   */
  public String text() {
    return body.text();
  }

  /**
   * The server side of the WebSocket, if this is an upgrade request. The HTTP layer sets it; the
   * object accepts it with {@code ctx.acceptWebSocket(ws)} and answers with {@link
   * Response#webSocket(WebSocket)}.
   */
  public Optional<WebSocket> webSocket() {
    return webSocket;
  }

  /** The method and URL, e.g. {@code Request[GET https://example.com/a]}. */
  @Override
  public String toString() {
    return "Request[" + method + " " + url + "]";
  }

  private static String checkMethod(String method) {
    Objects.requireNonNull(method, "method");
    if (!Headers.isToken(method)) {
      throw new IllegalArgumentException(
          "Invalid request method \""
              + method
              + "\": a method must be a non-empty HTTP token (RFC 9110: ASCII letters, digits and"
              + " !#$%&'*+-.^_`|~)");
    }
    String upper = method.toUpperCase(Locale.ROOT);
    if (FORBIDDEN_METHODS.contains(upper)) {
      throw new IllegalArgumentException(
          "Request method " + upper + " is not supported: Fetch forbids CONNECT, TRACE and TRACK");
    }
    return upper;
  }

  private static URI parseUrl(String url) {
    Objects.requireNonNull(url, "url");
    try {
      return new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "Invalid request URL \"" + url + "\": " + e.getMessage(), e);
    }
  }

  private static URI checkUrl(URI url) {
    Objects.requireNonNull(url, "url");
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    boolean supported =
        switch (scheme) {
          case "http", "https", "ws", "wss" -> true;
          default -> false;
        };
    if (!supported || url.isOpaque() || url.getRawAuthority() == null) {
      throw new IllegalArgumentException(
          "Invalid request URL \""
              + url
              + "\": a request URL must be absolute, with a host and the scheme http, https, ws"
              + " or wss");
    }
    return url;
  }

  /**
   * A mutable builder of {@link Request}. Every setter checks its argument at once; {@link
   * #build()} checks the rules that involve several parts. Not thread-safe.
   */
  public static final class Builder {
    private String method = "GET";
    private URI url;
    private Headers.Builder headers = Headers.builder();
    private Body body = Body.empty();
    private Optional<WebSocket> webSocket = Optional.empty();

    private Builder() {}

    /**
     * Sets the method; it is upper-cased.
     *
     * @return this builder
     * @throws IllegalArgumentException if {@code method} is not an HTTP token, or is {@code
     *     CONNECT}, {@code TRACE} or {@code TRACK}
     * @throws NullPointerException if {@code method} is null
     */
    public Builder method(String method) {
      this.method = checkMethod(method);
      return this;
    }

    /**
     * Sets the URL.
     *
     * @return this builder
     * @throws IllegalArgumentException if {@code url} is not a valid absolute http, https, ws or
     *     wss URL
     * @throws NullPointerException if {@code url} is null
     */
    public Builder url(String url) {
      this.url = checkUrl(parseUrl(url));
      return this;
    }

    /**
     * Sets the URL.
     *
     * @return this builder
     * @throws IllegalArgumentException if {@code url} is not absolute with an authority and the
     *     scheme http, https, ws or wss
     * @throws NullPointerException if {@code url} is null
     */
    public Builder url(URI url) {
      this.url = checkUrl(url);
      return this;
    }

    /**
     * Sets header {@code name} to the single value {@code value}, replacing any values it had.
     *
     * @return this builder
     * @throws IllegalArgumentException if the name or value is invalid (see {@link Headers})
     * @throws NullPointerException if either argument is null
     */
    public Builder header(String name, String value) {
      headers.set(name, value);
      return this;
    }

    /**
     * Adds {@code value} after any values header {@code name} already has.
     *
     * @return this builder
     * @throws IllegalArgumentException if the name or value is invalid (see {@link Headers})
     * @throws NullPointerException if either argument is null
     */
    public Builder addHeader(String name, String value) {
      headers.add(name, value);
      return this;
    }

    /**
     * Replaces all headers with {@code headers}.
     *
     * @return this builder
     * @throws NullPointerException if {@code headers} is null
     */
    public Builder headers(Headers headers) {
      this.headers = Objects.requireNonNull(headers, "headers").toBuilder();
      return this;
    }

    /**
     * Sets the body to {@code text} encoded as UTF-8. Headers are not touched: set {@code
     * content-type} yourself if the receiver needs it.
     *
     * @return this builder
     * @throws NullPointerException if {@code text} is null
     */
    public Builder body(String text) {
      this.body = Body.of(text);
      return this;
    }

    /**
     * Sets the body to a copy of {@code bytes}.
     *
     * @return this builder
     * @throws NullPointerException if {@code bytes} is null
     */
    public Builder body(byte[] bytes) {
      this.body = Body.of(bytes);
      return this;
    }

    /**
     * Sets the body to a one-shot stream of unknown length.
     *
     * @return this builder
     * @throws NullPointerException if {@code in} is null
     */
    public Builder body(InputStream in) {
      this.body = Body.ofStream(in, OptionalLong.empty());
      return this;
    }

    /**
     * Sets the body.
     *
     * @return this builder
     * @throws NullPointerException if {@code body} is null
     */
    public Builder body(Body body) {
      this.body = Objects.requireNonNull(body, "body");
      return this;
    }

    /**
     * Sets the server side of the WebSocket of an upgrade request. Called by the HTTP layer.
     *
     * @return this builder
     * @throws NullPointerException if {@code webSocket} is null
     */
    public Builder webSocket(WebSocket webSocket) {
      this.webSocket = Optional.of(Objects.requireNonNull(webSocket, "webSocket"));
      return this;
    }

    /**
     * The request.
     *
     * @throws IllegalArgumentException if the method is {@code GET} or {@code HEAD} and the body is
     *     not {@linkplain Body#isEmpty() empty}
     */
    public Request build() {
      if ((method.equals("GET") || method.equals("HEAD")) && !body.isEmpty()) {
        throw new IllegalArgumentException(
            "Request with a GET or HEAD method cannot have a body. (got "
                + method
                + " "
                + url
                + " with "
                + body
                + "; use another method, or leave the body empty)");
      }
      return new Request(this);
    }
  }
}
