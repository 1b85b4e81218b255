package dev.dobj.examples.chat;

/** The RPC side of a room (the WebSocket side goes through {@code fetch}). */
public interface ChatRoom {
  /** The last {@code limit} messages, oldest first. */
  History history(int limit);
}
