package dev.dobj.fetch;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An HTTP response, shaped like the Fetch standard's {@code Response}: what a Durable Object's
 * {@code fetch} handler returns and what {@code stub.fetch} gives back.
 *
 * <p>Rules, checked when the response is built:
 *
 * <ul>
 *   <li>The status is between 200 and 599. The one exception is 101 Switching Protocols, the answer
 *       to a WebSocket upgrade, which only {@link #webSocket(WebSocket)} makes (and which always
 *       carries the socket).
 *   <li>A response with a null-body status (101, 204, 205, 304) has an empty body, as in Fetch.
 *   <li>The status text, when given, holds only tabs, spaces and visible characters (RFC 9110
 *       {@code reason-phrase}); by default it is the standard reason phrase of the status ("OK",
 *       "Not Found"), or empty for a status without one.
 * </ul>
 *
 * <p>A response is immutable except for its body: a stream body can be read once (see {@link
 * Body}). Responses are not equal to one another unless they are the same instance.
 */
public final class Response {
  private static final String TEXT_PLAIN = "text/plain;charset=UTF-8";
  private static final String APPLICATION_JSON = "application/json";

  private final int status;
  private final String statusText;
  private final Headers headers;
  private final Body body;
  private final Optional<WebSocket> webSocket;

  private Response(Builder b) {
    this.status = b.status;
    this.statusText = b.statusText.orElseGet(() -> reasonPhrase(b.status));
    this.headers = b.headers.build();
    this.body = b.body;
    this.webSocket = b.webSocket;
  }

  /**
   * A 200 response with {@code text} as its UTF-8 body and {@code content-type:
   * text/plain;charset=UTF-8}.
   *
   * @throws NullPointerException if {@code text} is null
   */
  public static Response ok(String text) {
    return builder(200).header("content-type", TEXT_PLAIN).body(text).build();
  }

  /**
   * A 200 response with {@code json} as its UTF-8 body and {@code content-type: application/json}.
   * The text is sent as given, not checked to be JSON.
   *
   * @throws NullPointerException if {@code json} is null
   */
  public static Response json(String json) {
    return builder(200).header("content-type", APPLICATION_JSON).body(json).build();
  }

  /**
   * A response with {@code status}, its default status text, no headers and an empty body.
   *
   * @throws IllegalArgumentException if {@code status} is not between 200 and 599
   */
  public static Response status(int status) {
    return builder(status).build();
  }

  /**
   * The 101 Switching Protocols response that completes a WebSocket upgrade, carrying the server
   * side of the socket (usually {@code request.webSocket().orElseThrow()} after {@code
   * ctx.acceptWebSocket(ws)}). Headers such as {@code sec-websocket-protocol} can be added with
   * {@code toBuilder()}.
   *
   * @throws NullPointerException if {@code ws} is null
   */
  public static Response webSocket(WebSocket ws) {
    Objects.requireNonNull(ws, "ws");
    Builder b = new Builder(101);
    b.webSocket = Optional.of(ws);
    return b.build();
  }

  /**
   * A builder for a response with {@code status}.
   *
   * @throws IllegalArgumentException if {@code status} is not between 200 and 599 (a 101 response
   *     is made with {@link #webSocket(WebSocket)})
   */
  public static Builder builder(int status) {
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException(
          "Response status must be between 200 and 599, got "
              + status
              + (status == 101
                  ? "; a 101 Switching Protocols response is made with Response.webSocket(ws)"
                  : ""));
    }
    return new Builder(status);
  }

  /**
   * A builder that starts with this response's status, status text (if it was set explicitly, the
   * same text), headers, body and WebSocket. The body is shared, not copied: a stream body can
   * still be read only once, through either response.
   */
  public Builder toBuilder() {
    Builder b = new Builder(status);
    if (!statusText.equals(reasonPhrase(status))) {
      b.statusText = Optional.of(statusText);
    }
    b.headers = headers.toBuilder();
    b.body = body;
    b.webSocket = webSocket;
    return b;
  }

  /** The status code: 101, or between 200 and 599. */
  public int status() {
    return status;
  }

  /** The status text: as set on the builder, else the standard reason phrase, else empty. */
  public String statusText() {
    return statusText;
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

  /** Whether the status is between 200 and 299. */
  public boolean ok() {
    return status >= 200 && status <= 299;
  }

  /** The server side of the WebSocket; present exactly when the status is 101. */
  public Optional<WebSocket> webSocket() {
    return webSocket;
  }

  /** The status and status text, e.g. {@code Response[404 Not Found]}. */
  @Override
  public String toString() {
    return statusText.isEmpty()
        ? "Response[" + status + "]"
        : "Response[" + status + " " + statusText + "]";
  }

  /** Whether Fetch forbids a body for {@code status}. */
  private static boolean isNullBodyStatus(int status) {
    return status == 101 || status == 204 || status == 205 || status == 304;
  }

  /** The standard reason phrase of {@code status} (RFC 9110 and IANA registry), or empty. */
  static String reasonPhrase(int status) {
    return switch (status) {
      case 101 -> "Switching Protocols";
      case 200 -> "OK";
      case 201 -> "Created";
      case 202 -> "Accepted";
      case 203 -> "Non-Authoritative Information";
      case 204 -> "No Content";
      case 205 -> "Reset Content";
      case 206 -> "Partial Content";
      case 207 -> "Multi-Status";
      case 208 -> "Already Reported";
      case 226 -> "IM Used";
      case 300 -> "Multiple Choices";
      case 301 -> "Moved Permanently";
      case 302 -> "Found";
      case 303 -> "See Other";
      case 304 -> "Not Modified";
      case 305 -> "Use Proxy";
      case 307 -> "Temporary Redirect";
      case 308 -> "Permanent Redirect";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 402 -> "Payment Required";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 406 -> "Not Acceptable";
      case 407 -> "Proxy Authentication Required";
      case 408 -> "Request Timeout";
      case 409 -> "Conflict";
      case 410 -> "Gone";
      case 411 -> "Length Required";
      case 412 -> "Precondition Failed";
      case 413 -> "Content Too Large";
      case 414 -> "URI Too Long";
      case 415 -> "Unsupported Media Type";
      case 416 -> "Range Not Satisfiable";
      case 417 -> "Expectation Failed";
      case 421 -> "Misdirected Request";
      case 422 -> "Unprocessable Content";
      case 423 -> "Locked";
      case 424 -> "Failed Dependency";
      case 425 -> "Too Early";
      case 426 -> "Upgrade Required";
      case 428 -> "Precondition Required";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 451 -> "Unavailable For Legal Reasons";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      case 505 -> "HTTP Version Not Supported";
      case 506 -> "Variant Also Negotiates";
      case 507 -> "Insufficient Storage";
      case 508 -> "Loop Detected";
      case 510 -> "Not Extended";
      case 511 -> "Network Authentication Required";
      default -> "";
    };
  }

  private static String checkStatusText(String text) {
    Objects.requireNonNull(text, "statusText");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean allowed = c == '\t' || (c >= 0x20 && c <= 0x7E) || (c >= 0x80 && c <= 0xFF);
      if (!allowed) {
        throw new IllegalArgumentException(
            String.format(
                "Invalid status text \"%s\": character U+%04X at index %d is not allowed; a status"
                    + " text holds only tabs, spaces, visible ASCII and Latin-1 characters (RFC"
                    + " 9110 reason-phrase)",
                text.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0"), (int) c, i));
      }
    }
    return text;
  }

  /**
   * A mutable builder of {@link Response}. Every setter checks its argument at once; {@link
   * #build()} checks the rules that involve several parts. Not thread-safe.
   */
  public static final class Builder {
    private final int status;
    private Optional<String> statusText = Optional.empty();
    private Headers.Builder headers = Headers.builder();
    private Body body = Body.empty();
    private Optional<WebSocket> webSocket = Optional.empty();

    private Builder(int status) {
      this.status = status;
    }

    /**
     * Sets the status text, replacing the standard reason phrase.
     *
     * @return this builder
     * @throws IllegalArgumentException if {@code statusText} holds a character other than tab,
     *     space, visible ASCII or Latin-1 (for example CR or LF)
     * @throws NullPointerException if {@code statusText} is null
     */
    public Builder statusText(String statusText) {
      this.statusText = Optional.of(checkStatusText(statusText));
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
     * content-type} yourself, or use {@link Response#ok(String)} or {@link Response#json(String)}.
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
     * The response.
     *
     * @throws IllegalArgumentException if the status is 101, 204, 205 or 304 and the body is not
     *     {@linkplain Body#isEmpty() empty}
     */
    public Response build() {
      if (isNullBodyStatus(status) && !body.isEmpty()) {
        throw new IllegalArgumentException(
            "Response with null body status (101, 204, 205, or 304) cannot have body. (got "
                + status
                + " with "
                + body
                + "; leave the body empty or use another status)");
      }
      return new Response(this);
    }
  }
}
