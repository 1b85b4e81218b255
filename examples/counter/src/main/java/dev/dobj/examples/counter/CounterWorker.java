package dev.dobj.examples.counter;

import dev.dobj.Env;
import dev.dobj.Worker;
import dev.dobj.fetch.Request;
import dev.dobj.fetch.Response;

/**
 * The counter example's entry point. Routes, all answering JSON:
 *
 * <ul>
 *   <li>{@code GET /plain}: {@code {"value":42}}, with no object involved (the cost of the HTTP
 *       path alone);
 *   <li>{@code GET /noop/<name>}: {@code {"name":"<name>","value":42}}, from an RPC call to the
 *       counter object {@code <name>} that touches no storage;
 *   <li>any other path: 404 {@code {"error":"not found"}}; a method other than GET or HEAD on a
 *       route: 405.
 * </ul>
 *
 * <p>Names are taken from the decoded path ({@code /noop/a%20b} is the object {@code "a b"}).
 */
public final class CounterWorker implements Worker {
  /** The binding of the counter objects, as in {@code dobj.toml}. */
  public static final String BINDING = "COUNTER";

  private static final String NOOP_PREFIX = "/noop/";

  /** Called by dobj; a Worker needs a public no-argument constructor. */
  public CounterWorker() {}

  @Override
  public Response fetch(Request request, Env env) {
    String path = request.url().getPath();
    if (path.equals("/plain")) {
      return getOnly(request, () -> Response.json("{\"value\":42}"));
    }
    if (path.startsWith(NOOP_PREFIX)) {
      String name = path.substring(NOOP_PREFIX.length());
      if (!name.isEmpty() && name.indexOf('/') < 0) {
        return getOnly(
            request,
            () ->
                Response.json(
                    env.namespace(BINDING, Counter.class).getByName(name).call().noop().toJson()));
      }
    }
    return error(404, "not found");
  }

  private interface Route {
    Response answer();
  }

  private static Response getOnly(Request request, Route route) {
    return switch (request.method()) {
      case "GET", "HEAD" -> route.answer();
      default -> error(405, "method not allowed").toBuilder().header("allow", "GET, HEAD").build();
    };
  }

  private static Response error(int status, String message) {
    return Response.builder(status)
        .header("content-type", "application/json")
        .body("{\"error\":" + Json.string(message) + "}")
        .build();
  }
}
