package dev.dobj.rpc.codec;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The JSON side of the codec: one Jackson {@link JsonFactory} (streaming only) configured for
 * untrusted input, and the size accounting of encoded messages. Thread-safe and immutable.
 *
 * <p>The parser refuses duplicate property names, nesting deeper than {@link Budget#MAX_DEPTH},
 * strings and documents over the message limit, and numbers over {@link #MAX_NUMBER_DIGITS} digits
 * (the cost of parsing a huge number grows faster than its length).
 */
final class Wire {
  static final int MAX_NUMBER_DIGITS = 100_000;

  /** Writes one message. */
  interface Writing {
    void write(JsonGenerator out) throws IOException;
  }

  /** Reads one message, leaving the parser on its last token. */
  interface Reading<T> {
    T read(JsonParser in) throws IOException;
  }

  private final JsonFactory json;
  private final int limit;

  Wire(int limit) {
    this.limit = limit;
    this.json =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(Budget.MAX_DEPTH)
                    .maxStringLength(limit)
                    .maxDocumentLength(limit)
                    .maxNumberLength(MAX_NUMBER_DIGITS)
                    .build())
            .streamWriteConstraints(
                StreamWriteConstraints.builder().maxNestingDepth(Budget.MAX_DEPTH).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();
  }

  int limit() {
    return limit;
  }

  /**
   * Encodes one message.
   *
   * @throws IllegalArgumentException with Cloudflare's message if the encoding is over the limit
   * @throws ValueException if a value does not fit its plan
   * @throws IOException if Jackson refuses to write (e.g. an unpaired surrogate, nesting too deep)
   */
  byte[] encode(Writing writing) throws IOException {
    BoundedOutput bytes = new BoundedOutput(limit);
    try (JsonGenerator out = json.createGenerator(bytes, JsonEncoding.UTF8)) {
      writing.write(out);
    }
    return bytes.toByteArray();
  }

  /**
   * Decodes one message: exactly one JSON value, then the end of the input.
   *
   * @throws ValueException if the input does not fit the plan, or is over the limit
   * @throws IOException (a {@link JsonProcessingException}) if the input is not JSON
   */
  <T> T decode(byte[] bytes, Reading<T> reading) throws IOException {
    if (bytes.length > limit) {
      throw new ValueException(Budget.tooLarge(limit, bytes.length).getMessage());
    }
    try (JsonParser in = json.createParser(bytes)) {
      if (in.nextToken() == null) {
        throw new ValueException("the message is empty");
      }
      T value = reading.read(in);
      if (in.nextToken() != null) {
        throw new ValueException("unexpected content after the value" + location(in));
      }
      return value;
    }
  }

  /** A Jackson failure in words for the person on call, without Jackson's source excerpt. */
  static String describe(IOException e) {
    if (e instanceof JsonProcessingException jpe) {
      JsonLocation at = jpe.getLocation();
      String where = at == null || at.getByteOffset() < 0 ? "" : " at byte " + at.getByteOffset();
      return jpe.getOriginalMessage() + where;
    }
    return String.valueOf(e.getMessage());
  }

  /** The current token in words, e.g. "a JSON string". */
  static String describeToken(JsonParser in) {
    JsonToken token = in.currentToken();
    if (token == null) {
      return "the end of the input";
    }
    return switch (token) {
      case START_OBJECT -> "a JSON object";
      case END_OBJECT -> "the end of an object";
      case START_ARRAY -> "a JSON array";
      case END_ARRAY -> "the end of an array";
      case FIELD_NAME -> "a property name";
      case VALUE_STRING -> "a JSON string";
      case VALUE_NUMBER_INT -> "a JSON integer";
      case VALUE_NUMBER_FLOAT -> "a JSON decimal number";
      case VALUE_TRUE, VALUE_FALSE -> "a JSON boolean";
      case VALUE_NULL -> "null";
      default -> token.name();
    };
  }

  /** " at byte N" for the parser's current token, or empty. */
  static String location(JsonParser in) {
    JsonLocation at = in.currentTokenLocation();
    return at == null || at.getByteOffset() < 0 ? "" : " at byte " + at.getByteOffset();
  }

  /** Quotes a name from the input for a message, cut to a readable length. */
  static String quote(String name) {
    return "\"" + (name.length() > 100 ? name.substring(0, 100) + "..." : name) + "\"";
  }

  /**
   * Collects up to {@code limit} bytes and counts all of them, so an oversized message is measured
   * exactly without being held in memory.
   */
  private static final class BoundedOutput extends OutputStream {
    private final int limit;
    private byte[] buffer = new byte[256];
    private int count;
    private long total;

    BoundedOutput(int limit) {
      this.limit = limit;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      total += len;
      if (total > limit) {
        return;
      }
      if (count + len > buffer.length) {
        buffer = Arrays.copyOf(buffer, Math.max(count + len, Math.min(limit, buffer.length * 2)));
      }
      System.arraycopy(b, off, buffer, count, len);
      count += len;
    }

    byte[] toByteArray() {
      if (total > limit) {
        throw Budget.tooLarge(limit, total);
      }
      return Arrays.copyOf(buffer, count);
    }
  }
}
