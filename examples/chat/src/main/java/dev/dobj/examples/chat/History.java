package dev.dobj.examples.chat;

import java.util.List;

/** A room's recent messages, oldest first. */
public record History(List<ChatMessage> messages) {
  public History {
    messages = List.copyOf(messages);
  }
}
