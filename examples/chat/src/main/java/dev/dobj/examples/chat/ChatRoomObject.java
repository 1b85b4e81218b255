package dev.dobj.examples.chat;

import dev.dobj.DurableObject;
import dev.dobj.DurableObjectState;
import dev.dobj.Env;
import dev.dobj.fetch.Request;
import dev.dobj.fetch.Response;
import dev.dobj.fetch.WebSocket;
import dev.dobj.fetch.WebSocketAutoResponse;
import dev.dobj.fetch.WebSocketMessage;
import dev.dobj.storage.SqlCursor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One chat room. Members connect over WebSockets that the room accepts for hibernation, so an idle
 * room leaves memory while its members stay connected; messages are kept in the room's SQL storage,
 * so the history survives restarts.
 *
 * <p>Protocol: the client sends plain text messages; the room sends JSON events: {@code history}
 * (once, on joining), {@code message}, {@code join}, {@code leave} and {@code error}. The text
 * {@code ping} is answered {@code pong} without waking the room.
 */
public final class ChatRoomObject extends DurableObject implements ChatRoom {
  /** How many messages a joining member receives. */
  static final int HISTORY_ON_JOIN = 100;

  /** The longest message accepted, in characters. */
  static final int MAX_MESSAGE_CHARS = 2_000;

  public ChatRoomObject(DurableObjectState ctx, Env env) {
    super(ctx, env);
    ctx.storage()
        .sql()
        .exec(
            "CREATE TABLE IF NOT EXISTS messages ("
                + " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                + " user TEXT NOT NULL,"
                + " text TEXT NOT NULL,"
                + " at INTEGER NOT NULL)");
    ctx.setWebSocketAutoResponse(new WebSocketAutoResponse("ping", "pong"));
  }

  /** Accepts a member's WebSocket; the Worker has checked the user name. */
  @Override
  public Response fetch(Request request) {
    WebSocket ws = request.webSocket().orElse(null);
    if (ws == null) {
      return Response.builder(426).body("Expected a WebSocket upgrade").build();
    }
    String user = request.headers().get("x-chat-user").orElse("anonymous");
    ctx.acceptWebSocket(ws);
    ws.serializeAttachment(new Member(user));
    ws.send(Json.history(history(HISTORY_ON_JOIN).messages()));
    broadcast(Json.presence("join", user));
    return Response.webSocket(ws);
  }

  @Override
  public void webSocketMessage(WebSocket ws, WebSocketMessage message) {
    String text = message.asText().strip();
    if (text.isEmpty()) {
      return;
    }
    if (text.length() > MAX_MESSAGE_CHARS) {
      ws.send(
          Json.error(
              "A message is at most "
                  + MAX_MESSAGE_CHARS
                  + " characters; this one has "
                  + text.length()));
      return;
    }
    String user = ws.deserializeAttachment(Member.class).map(Member::user).orElse("anonymous");
    ChatMessage said = new ChatMessage(user, text, System.currentTimeMillis());
    ctx.storage()
        .sql()
        .exec(
            "INSERT INTO messages (user, text, at) VALUES (?, ?, ?)",
            said.user(),
            said.text(),
            said.at());
    // The output gate holds these sends until the insert is durable.
    broadcast(Json.message(said));
  }

  @Override
  public void webSocketClose(WebSocket ws, int code, String reason, boolean wasClean) {
    ws.deserializeAttachment(Member.class)
        .ifPresent(m -> broadcast(Json.presence("leave", m.user())));
  }

  @Override
  public History history(int limit) {
    int n = Math.max(0, Math.min(limit, 1_000));
    SqlCursor rows =
        ctx.storage()
            .sql()
            .exec(
                "SELECT user, text, at FROM"
                    + " (SELECT seq, user, text, at FROM messages ORDER BY seq DESC LIMIT ?)"
                    + " ORDER BY seq",
                n);
    List<ChatMessage> out = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      out.add(
          new ChatMessage(
              (String) row.get("user"),
              (String) row.get("text"),
              ((Number) row.get("at")).longValue()));
    }
    return new History(out);
  }

  private void broadcast(String json) {
    for (WebSocket member : ctx.getWebSockets()) {
      member.send(json);
    }
  }
}
