package dev.dobj.fetch;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The body of a {@link Request} or {@link Response}: either bytes held in memory, which can be read
 * any number of times ({@linkplain #replayable() replayable}), or a one-shot stream, so that a
 * large body can pass through without being held in memory.
 *
 * <p>A stream body can be read once, by {@link #stream()}, {@link #bytes()}, {@link #text()} or
 * {@link #buffered(long)}; a second read fails with {@link IllegalStateException}, as reading a
 * used body does in Fetch. To read a stream body more than once, call {@link #buffered(long)} first
 * and keep the result. Whoever reads a stream body with {@link #stream()} closes the stream; the
 * other reading methods close it themselves.
 *
 * <p>Thread-safe: exactly one caller obtains the stream of a stream body, even under races. Two
 * bodies are equal only if they are the same instance.
 */
public final class Body {
  private static final Body EMPTY = new Body(new byte[0], null, OptionalLong.of(0));

  /** The largest array the JVM reliably allocates. */
  private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

  /** The content of a replayable body, never exposed; null for a stream body. */
  private final byte[] bytes;

  /** The stream of a stream body; null for a replayable body. */
  private final InputStream stream;

  private final OptionalLong length;

  /** Set when the stream of a stream body has been handed out. */
  private final AtomicBoolean consumed = new AtomicBoolean();

  private Body(byte[] bytes, InputStream stream, OptionalLong length) {
    this.bytes = bytes;
    this.stream = stream;
    this.length = length;
  }

  /** The empty body: replayable, length 0. */
  public static Body empty() {
    return EMPTY;
  }

  /**
   * A replayable body holding a copy of {@code bytes}.
   *
   * @throws NullPointerException if {@code bytes} is null
   */
  public static Body of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    return bytes.length == 0 ? EMPTY : new Body(bytes.clone(), null, OptionalLong.of(bytes.length));
  }

  /**
   * A replayable body holding {@code text} encoded as UTF-8.
   *
   * @throws NullPointerException if {@code text} is null
   */
  public static Body of(String text) {
    Objects.requireNonNull(text, "text");
    return ofOwned(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A one-shot body read from {@code in}. {@code length} is the number of bytes the stream will
   * give, when known (an HTTP layer sends it as {@code content-length}); it is trusted, not checked
   * against the stream.
   *
   * @throws IllegalArgumentException if {@code length} is negative
   * @throws NullPointerException if either argument is null
   */
  public static Body ofStream(InputStream in, OptionalLong length) {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(length, "length");
    if (length.isPresent() && length.getAsLong() < 0) {
      throw new IllegalArgumentException(
          "Body.ofStream length must be empty (unknown) or at least 0, got " + length.getAsLong());
    }
    return new Body(null, in, length);
  }

  /** A replayable body over {@code bytes}, which the caller hands over and no longer touches. */
  static Body ofOwned(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new Body(bytes, null, OptionalLong.of(bytes.length));
  }

  /**
   * The content as a stream. For a replayable body, a fresh stream over the bytes on each call; for
   * a stream body, the stream itself, once. The caller should close the returned stream.
   *
   * @throws IllegalStateException if this is a stream body that was already read
   */
  public InputStream stream() {
    if (bytes != null) {
      return new ByteArrayInputStream(bytes);
    }
    if (!consumed.compareAndSet(false, true)) {
      throw new IllegalStateException(
          "body already consumed: a stream body can be read only once; call buffered(maxBytes)"
              + " before the first read to read it more than once");
    }
    return stream;
  }

  /**
   * All the content, in a new array. Reads (and closes) the stream of a stream body, which holds
   * the whole body in memory: prefer {@link #buffered(long)} to set a limit.
   *
   * @throws IllegalStateException if this is a stream body that was already read
   * @throws UncheckedIOException if reading the stream fails
   */
  public byte[] bytes() {
    if (bytes != null) {
      return bytes.clone();
    }
    try (InputStream in = stream()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to read the request or response body", e);
    }
  }

  /**
   * All the content decoded as UTF-8 (malformed input is replaced with U+FFFD, as Fetch's {@code
   * text()} does). Reads the stream of a stream body, like {@link #bytes()}.
   *
   * @throws IllegalStateException if this is a stream body that was already read
   * @throws UncheckedIOException if reading the stream fails
   */
  public String text() {
    return new String(bytes != null ? bytes : bytes(), StandardCharsets.UTF_8);
  }

  /**
   * The number of bytes: exact for a replayable body; as declared to {@link #ofStream} for a stream
   * body, or empty if unknown.
   */
  public OptionalLong length() {
    return length;
  }

  /** Whether the content is held in memory and can be read any number of times. */
  public boolean replayable() {
    return bytes != null;
  }

  /**
   * Whether the body is known to have no bytes: a replayable body of length 0, or a stream body
   * declared with length 0. A stream body of unknown length is not empty.
   */
  public boolean isEmpty() {
    return length.isPresent() && length.getAsLong() == 0;
  }

  /**
   * This body as a replayable body of at most {@code maxBytes} bytes. A replayable body within the
   * limit is returned as is. A stream body is read into memory (and its stream closed); the stream
   * is then consumed, so keep and use the returned body. A stream body whose declared length is
   * over the limit is refused before anything is read.
   *
   * @param maxBytes the most bytes to hold in memory, at least 0
   * @throws IllegalArgumentException if {@code maxBytes} is negative, or the body is larger than
   *     {@code maxBytes}; the message gives both sizes
   * @throws IllegalStateException if this is a stream body that was already read
   * @throws UncheckedIOException if reading the stream fails
   */
  public Body buffered(long maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException(
          "Body.buffered maxBytes must be at least 0, got " + maxBytes);
    }
    if (length.isPresent() && length.getAsLong() > maxBytes) {
      throw tooLarge(Long.toString(length.getAsLong()), maxBytes);
    }
    if (bytes != null) {
      return this;
    }
    int limit = (int) Math.min(maxBytes, MAX_ARRAY_LENGTH - 1);
    byte[] read;
    try (InputStream in = stream()) {
      // One byte past the limit tells "exactly at the limit" from "over it".
      read = in.readNBytes(limit + 1);
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to read the request or response body", e);
    }
    if (read.length > limit) {
      if (limit < maxBytes) {
        throw new IllegalArgumentException(
            "Body of at least "
                + read.length
                + " bytes does not fit in a byte array, so buffered("
                + maxBytes
                + ") cannot hold it; read the body as a stream");
      }
      throw tooLarge("at least " + read.length, maxBytes);
    }
    return ofOwned(read);
  }

  private static IllegalArgumentException tooLarge(String size, long maxBytes) {
    return new IllegalArgumentException(
        "Body of "
            + size
            + " bytes is larger than the limit of "
            + maxBytes
            + " bytes given to buffered(maxBytes); raise the limit or read the body as a stream");
  }

  /**
   * A description for logs, without the content, e.g. {@code Body[12 bytes]} or {@code Body[stream,
   * unknown length]}.
   */
  @Override
  public String toString() {
    String size = length.isPresent() ? length.getAsLong() + " bytes" : "unknown length";
    return bytes != null ? "Body[" + size + "]" : "Body[stream, " + size + "]";
  }
}
