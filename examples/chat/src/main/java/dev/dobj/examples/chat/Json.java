package dev.dobj.examples.chat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/** The events a room sends to its members, as JSON (written with jackson-core). */
final class Json {
  private static final JsonFactory FACTORY = new JsonFactory();

  private Json() {}

  /** {@code {"type":"message","user":..,"text":..,"at":..}} */
  static String message(ChatMessage m) {
    return write(
        g -> {
          g.writeStringField("type", "message");
          fields(g, m);
        });
  }

  /** {@code {"type":"history","messages":[{user,text,at}...]}} */
  static String history(List<ChatMessage> messages) {
    return write(
        g -> {
          g.writeStringField("type", "history");
          g.writeArrayFieldStart("messages");
          for (ChatMessage m : messages) {
            g.writeStartObject();
            fields(g, m);
            g.writeEndObject();
          }
          g.writeEndArray();
        });
  }

  /** {@code {"type":"join"|"leave","user":..}} */
  static String presence(String type, String user) {
    return write(
        g -> {
          g.writeStringField("type", type);
          g.writeStringField("user", user);
        });
  }

  /** {@code {"type":"error","error":..}} */
  static String error(String error) {
    return write(
        g -> {
          g.writeStringField("type", "error");
          g.writeStringField("error", error);
        });
  }

  private static void fields(JsonGenerator g, ChatMessage m) throws IOException {
    g.writeStringField("user", m.user());
    g.writeStringField("text", m.text());
    g.writeNumberField("at", m.at());
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private static String write(Body body) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      body.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }
}
