package dev.dobj.rpc.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.dobj.fetch.Body;
import dev.dobj.fetch.Headers;
import dev.dobj.fetch.Request;
import dev.dobj.fetch.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * {@link Request} and {@link Response}: immutable in process (the same instance is passed; a stream
 * body is then read by the receiver only). On the wire, an object with the method and URL (or the
 * status and status text), the headers as {@code {"name": ["value", ...]}} and the body as Base64;
 * a stream body is buffered, up to the message limit, which consumes it. A request or response
 * carrying a WebSocket cannot be encoded.
 *
 * <p>The in-process size counts the method, URL, status text, headers and the body's known length
 * (a stream body of unknown length counts as empty, since it is not read).
 */
final class HttpPlan extends Plan {
  private static final String[] REQUEST = {"method", "url", "headers", "body"};
  private static final String[] RESPONSE = {"status", "statusText", "headers", "body"};

  private final boolean request;
  private final int limit;

  HttpPlan(Class<?> type, int limit) {
    super(type);
    this.request = type == Request.class;
    this.limit = limit;
    this.immutable = true;
    this.trivial = false;
  }

  @Override
  Object copy(Object value, Budget budget) {
    long size = 40;
    Headers headers;
    Body body;
    if (request && value instanceof Request r) {
      size += r.method().length() + r.url().toString().length();
      headers = r.headers();
      body = r.body();
    } else if (!request && value instanceof Response r) {
      size += r.statusText().length();
      headers = r.headers();
      body = r.body();
    } else {
      throw mismatch(value);
    }
    for (Map.Entry<String, List<String>> e : headers.toMap().entrySet()) {
      size += e.getKey().length() + 6;
      for (String v : e.getValue()) {
        size += v.length() + 3;
      }
    }
    size += Budget.base64Size(body.length().orElse(0));
    budget.add(size);
    return value;
  }

  @Override
  void write(JsonGenerator out, Object value) throws IOException {
    Headers headers;
    Body body;
    out.writeStartObject();
    if (request && value instanceof Request r) {
      if (r.webSocket().isPresent()) {
        throw new ValueException("a Request carrying a WebSocket cannot be sent over RPC");
      }
      out.writeStringField("method", r.method());
      out.writeStringField("url", r.url().toString());
      headers = r.headers();
      body = r.body();
    } else if (!request && value instanceof Response r) {
      if (r.webSocket().isPresent()) {
        throw new ValueException("a Response carrying a WebSocket cannot be sent over RPC");
      }
      out.writeNumberField("status", r.status());
      out.writeStringField("statusText", r.statusText());
      headers = r.headers();
      body = r.body();
    } else {
      throw mismatch(value);
    }
    out.writeFieldName("headers");
    out.writeStartObject();
    for (Map.Entry<String, List<String>> e : headers.toMap().entrySet()) {
      out.writeFieldName(e.getKey());
      out.writeStartArray();
      for (String v : e.getValue()) {
        out.writeString(v);
      }
      out.writeEndArray();
    }
    out.writeEndObject();
    out.writeFieldName("body");
    out.writeBinary(bodyBytes(body));
    out.writeEndObject();
  }

  private byte[] bodyBytes(Body body) {
    try {
      if (body.replayable()) {
        return body.bytes();
      }
      return body.buffered(limit).bytes();
    } catch (IllegalArgumentException tooLarge) {
      long size = Math.max(body.length().orElse(0), limit + 1L);
      throw Budget.tooLarge(limit, size);
    } catch (IllegalStateException e) {
      throw new ValueException("the body was already read: " + e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw new ValueException("reading the body failed: " + e.getCause(), e);
    }
  }

  @Override
  Object read(JsonParser in) throws IOException {
    Object[] v = readProperties(in, request ? REQUEST : RESPONSE, this::readProperty);
    try {
      if (request) {
        return Request.builder((String) v[0], (String) v[1])
            .headers((Headers) v[2])
            .body(Body.of((byte[]) v[3]))
            .build();
      }
      return Response.builder((Integer) v[0])
          .statusText((String) v[1])
          .headers((Headers) v[2])
          .body(Body.of((byte[]) v[3]))
          .build();
    } catch (IllegalArgumentException e) {
      throw new ValueException(e.getMessage(), e);
    }
  }

  private Object readProperty(int i, JsonParser in) throws IOException {
    switch (i) {
      case 0 -> {
        if (request) {
          return readString(in, false);
        }
        if (in.currentToken() != JsonToken.VALUE_NUMBER_INT
            || in.getNumberType() != JsonParser.NumberType.INT) {
          throw unexpected(in, "an integer status");
        }
        return in.getIntValue();
      }
      case 1 -> {
        return readString(in, false);
      }
      case 2 -> {
        return readHeaders(in);
      }
      default -> {
        if (in.currentToken() != JsonToken.VALUE_STRING) {
          throw unexpected(in, "a Base64 JSON string");
        }
        return in.getBinaryValue();
      }
    }
  }

  private Headers readHeaders(JsonParser in) throws IOException {
    if (in.currentToken() != JsonToken.START_OBJECT) {
      throw unexpected(in, "a JSON object of header names to arrays of values");
    }
    Headers.Builder headers = Headers.builder();
    while (in.nextToken() == JsonToken.FIELD_NAME) {
      String name = in.currentName();
      if (in.nextToken() != JsonToken.START_ARRAY) {
        throw unexpected(in, "a JSON array of the values of header " + Wire.quote(name));
      }
      while (in.nextToken() != JsonToken.END_ARRAY) {
        String value = readString(in, false);
        try {
          headers.add(name, value);
        } catch (IllegalArgumentException e) {
          throw new ValueException(e.getMessage(), e);
        }
      }
    }
    return headers.build();
  }
}
