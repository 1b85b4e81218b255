package dev.dobj.examples.counter;

import dev.dobj.Env;
import dev.dobj.Worker;
import dev.dobj.fetch.Request;
import dev.dobj.fetch.Response;
import java.util.function.Function;

/**
 * The counter example's entry point. Routes, all answering JSON:
 *
 * <ul>
 *   <li>{@code GET /plain}: {@code {"value":42}}, with no object involved (the cost of the HTTP
 *       path alone);
 *   <li>{@code GET /noop/<name>}: {@code {"name":"<name>","value":42}}, from an RPC call to the
 *       counter object {@code <name>} that touches no storage;
 *   <li>{@code GET /counter/<name>/inc} and {@code GET /counter/<name>/get}: {@code
 *       {"name":"<name>","value":n}}, the counter {@code <name>} kept with the key-value API
 *       ({@link CounterObject}), after adding one or as it is;
 *   <li>{@code GET /sqlcounter/<name>/inc} and {@code GET /sqlcounter/<name>/get}: the same, kept
 *       with the SQL API ({@link SqlCounterObject}); a separate counter from {@code
 *       /counter/<name>};
 *   <li>any other path: 404 {@code {"error":"not found"}}; a method other than GET or HEAD on a
 *       route: 405.
 * </ul>
 *
 * <p>Names are taken from the decoded path ({@code /noop/a%20b} is the object {@code "a b"}). A
 * HEAD runs the route as a GET does, so {@code HEAD /counter/a/inc} increments.
 */
public final class CounterWorker implements Worker {
  /** The binding of the key-value counter objects, as in {@code dobj.toml}. */
  public static final String BINDING = "COUNTER";

  /** The binding of the SQL counter objects, as in {@code dobj.toml}. */
  public static final String SQL_BINDING = "SQL_COUNTER";

  private static final String NOOP_PREFIX = "/noop/";
  private static final String COUNTER_PREFIX = "/counter/";
  private static final String SQL_COUNTER_PREFIX = "/sqlcounter/";

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
      if (isName(name)) {
        return getOnly(request, () -> answer(env, BINDING, name, Counter::noop));
      }
    }
    if (path.startsWith(COUNTER_PREFIX)) {
      return counter(request, env, BINDING, path.substring(COUNTER_PREFIX.length()));
    }
    if (path.startsWith(SQL_COUNTER_PREFIX)) {
      return counter(request, env, SQL_BINDING, path.substring(SQL_COUNTER_PREFIX.length()));
    }
    return notFound();
  }

  /** {@code <name>/inc} or {@code <name>/get} of the counters bound as {@code binding}. */
  private static Response counter(Request request, Env env, String binding, String rest) {
    int slash = rest.lastIndexOf('/');
    if (slash < 0) {
      return notFound();
    }
    String name = rest.substring(0, slash);
    if (!isName(name)) {
      return notFound();
    }
    return switch (rest.substring(slash + 1)) {
      case "inc" -> getOnly(request, () -> answer(env, binding, name, Counter::increment));
      case "get" -> getOnly(request, () -> answer(env, binding, name, Counter::get));
      default -> notFound();
    };
  }

  private static boolean isName(String name) {
    return !name.isEmpty() && name.indexOf('/') < 0;
  }

  private static Response answer(
      Env env, String binding, String name, Function<Counter, CounterValue> call) {
    Counter counter = env.namespace(binding, Counter.class).getByName(name).call();
    return Response.json(call.apply(counter).toJson());
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

  private static Response notFound() {
    return error(404, "not found");
  }

  private static Response error(int status, String message) {
    return Response.builder(status)
        .header("content-type", "application/json")
        .body("{\"error\":" + Json.string(message) + "}")
        .build();
  }
}
