package dev.dobj.fetch;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** One WebSocket message: text or binary. */
public sealed interface WebSocketMessage {
  /** A text message. */
  record Text(String text) implements WebSocketMessage {
    public Text {
      Objects.requireNonNull(text, "text");
    }

    @Override
    public String asText() {
      return text;
    }
  }

  /** A binary message; the array is copied in and out. */
  record Binary(byte[] data) implements WebSocketMessage {
    public Binary {
      data = data.clone();
    }

    @Override
    public byte[] data() {
      return data.clone();
    }

    @Override
    public String asText() {
      return new String(data, StandardCharsets.UTF_8);
    }
  }

  /** The message as text (binary messages decoded as UTF-8). */
  String asText();
}
