package dev.dobj.fetch;

import java.util.Objects;

/**
 * A fixed request message and the fixed response the runtime sends for it without waking the object
 * (for example a ping/pong keep-alive).
 *
 * @param request the exact text message to answer
 * @param response the text sent back
 */
public record WebSocketAutoResponse(String request, String response) {
  public WebSocketAutoResponse {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(response, "response");
  }
}
