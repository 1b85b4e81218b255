package dev.dobj.examples.chat;

import dev.dobj.DurableObjectNamespace;
import dev.dobj.Env;
import dev.dobj.Worker;
import dev.dobj.fetch.Request;
import dev.dobj.fetch.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The chat app's Worker.
 *
 * <ul>
 *   <li>{@code GET /}: the chat page ({@code /?room=lobby&user=alice} joins at once).
 *   <li>{@code GET /room/<room>/ws?user=<name>}: a WebSocket upgrade, forwarded to the room.
 *   <li>{@code GET /room/<room>/history}: the last 100 messages as JSON.
 * </ul>
 *
 * Room names are 1-64 letters, digits, {@code -} or {@code _}; user names 1-32 characters.
 */
public final class ChatWorker implements Worker {
  private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  static final int MAX_USER_CHARS = 32;

  private final byte[] page;

  public ChatWorker() {
    try (InputStream in = ChatWorker.class.getResourceAsStream("index.html")) {
      if (in == null) {
        throw new IllegalStateException("index.html is missing from the chat example's classes");
      }
      page = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the chat page", e);
    }
  }

  @Override
  public Response fetch(Request request, Env env) {
    String path = request.url().getRawPath();
    if (!request.method().equals("GET")) {
      return text(405, "Only GET is served");
    }
    if (path.equals("/")) {
      return Response.builder(200)
          .header("content-type", "text/html;charset=UTF-8")
          .body(page)
          .build();
    }
    String[] parts = path.split("/");
    // "/room/<room>/<what>" splits into "", "room", room, what
    if (parts.length != 4 || !parts[1].equals("room")) {
      return text(404, "Not found: " + path);
    }
    String room = parts[2];
    if (!ROOM.matcher(room).matches()) {
      return text(400, "Bad room name \"" + room + "\": use 1-64 letters, digits, '-' or '_'");
    }
    DurableObjectNamespace<ChatRoom> rooms = env.namespace("ROOMS", ChatRoom.class);
    return switch (parts[3]) {
      case "ws" -> join(request, rooms, room);
      case "history" ->
          Response.builder(200)
              .header("content-type", "application/json")
              .body(Json.history(rooms.getByName(room).call().history(100).messages()))
              .build();
      default -> text(404, "Not found: " + path);
    };
  }

  private static Response join(
      Request request, DurableObjectNamespace<ChatRoom> rooms, String room) {
    if (request.webSocket().isEmpty()) {
      return text(426, "Expected a WebSocket upgrade");
    }
    String user = queryParam(request, "user");
    if (user == null || user.isBlank()) {
      return text(400, "Missing user: connect to /room/" + room + "/ws?user=<name>");
    }
    user = user.strip();
    if (user.length() > MAX_USER_CHARS || user.chars().anyMatch(Character::isISOControl)) {
      return text(
          400,
          "Bad user name: at most "
              + MAX_USER_CHARS
              + " characters without control characters, got "
              + user.length());
    }
    Request forwarded = request.toBuilder().header("x-chat-user", user).build();
    return rooms.getByName(room).fetch(forwarded);
  }

  private static String queryParam(Request request, String name) {
    String query = request.url().getRawQuery();
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (key.equals(name)) {
        return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static Response text(int status, String text) {
    return Response.builder(status)
        .header("content-type", "text/plain;charset=UTF-8")
        .body(text)
        .build();
  }
}
