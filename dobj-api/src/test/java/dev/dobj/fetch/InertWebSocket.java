package dev.dobj.fetch;

import java.util.Optional;

/** A WebSocket that does nothing, for tests that only carry a socket around. */
final class InertWebSocket implements WebSocket {
  @Override
  public void send(String text) {}

  @Override
  public void send(byte[] data) {}

  @Override
  public void close(int code, String reason) {}

  @Override
  public ReadyState readyState() {
    return ReadyState.OPEN;
  }

  @Override
  public void serializeAttachment(Object value) {}

  @Override
  public <T> Optional<T> deserializeAttachment(Class<T> type) {
    return Optional.empty();
  }
}
