package dev.dobj.examples.ratelimiter;

import dev.dobj.Env;
import dev.dobj.Worker;
import dev.dobj.fetch.Request;
import dev.dobj.fetch.Response;
import java.time.InstantSource;
import java.util.Objects;

/**
 * The rate limiter example's entry point. Routes, all answering JSON:
 *
 * <ul>
 *   <li>{@code GET /limit/<key>}: takes one token from the bucket of {@code <key>}; 200 {@code
 *       {"key":"<key>","allowed":true,"remaining":n}} when it had one, otherwise 429 with a {@code
 *       retry-after} header (whole seconds, rounded up) and {@code
 *       {"key":"<key>","allowed":false,"remaining":0,"retryAfterMillis":ms}};
 *   <li>{@code GET /status/<key>}: the bucket without taking, {@code
 *       {"key":"<key>","tokens":n,"capacity":c,"nextRefillMillis":t}} ({@code null} when full);
 *   <li>a key that is empty or longer than {@value #MAX_KEY_LENGTH} characters: 400 {@code
 *       {"error":"..."}} naming the key and the limit;
 *   <li>any other path (also a key with a {@code /}): 404 {@code {"error":"not found"}}; a method
 *       other than GET or HEAD on a route: 405.
 * </ul>
 *
 * <p>Keys are taken from the decoded path ({@code /limit/a%20b} limits {@code "a b"}). A HEAD runs
 * the route as a GET does, so {@code HEAD /limit/a} takes a token.
 *
 * <p>The Worker stamps each take with its clock, because objects have none (see {@link
 * RateLimiter}); the clock must be the runtime's, so that the alarms the objects set fall due when
 * the Worker's time says. That is the wall clock under {@code dobj dev}.
 */
public final class RateLimiterWorker implements Worker {
  /** The binding of the rate limiter objects, as in {@code dobj.toml}. */
  public static final String BINDING = "RATE_LIMITER";

  /** The longest key, in characters (Unicode code points). */
  public static final int MAX_KEY_LENGTH = 256;

  private static final String LIMIT_PREFIX = "/limit/";
  private static final String STATUS_PREFIX = "/status/";

  private final InstantSource clock;

  /** Called by dobj; a Worker needs a public no-argument constructor. Uses the wall clock. */
  public RateLimiterWorker() {
    this(InstantSource.system());
  }

  /** A Worker on {@code clock}, which must be the runtime's (a {@code ManualClock} in tests). */
  public RateLimiterWorker(InstantSource clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Response fetch(Request request, Env env) {
    String path = request.url().getPath();
    if (path.startsWith(LIMIT_PREFIX)) {
      String key = path.substring(LIMIT_PREFIX.length());
      return route(request, key, () -> limit(env, key));
    }
    if (path.startsWith(STATUS_PREFIX)) {
      String key = path.substring(STATUS_PREFIX.length());
      return route(request, key, () -> status(env, key));
    }
    return notFound();
  }

  private Response limit(Env env, String key) {
    Decision decision = limiter(env, key).take(1, clock.millis());
    if (decision.allowed()) {
      return Response.json(decision.toJson(key));
    }
    long seconds = Math.ceilDiv(decision.retryAfterMillis(), 1000);
    return json(429, decision.toJson(key)).toBuilder()
        .header("retry-after", Long.toString(seconds))
        .build();
  }

  private static Response status(Env env, String key) {
    return Response.json(limiter(env, key).status().toJson(key));
  }

  private static RateLimiter limiter(Env env, String key) {
    return env.namespace(BINDING, RateLimiter.class).getByName(key).call();
  }

  private interface Route {
    Response answer();
  }

  /** Checks the key and the method, then answers with {@code route}. */
  private static Response route(Request request, String key, Route route) {
    if (key.indexOf('/') >= 0) {
      return notFound();
    }
    int length = key.codePointCount(0, key.length());
    if (length == 0 || length > MAX_KEY_LENGTH) {
      return error(
          400,
          "The key "
              + Json.string(key)
              + " has "
              + length
              + " characters; a key has 1 to "
              + MAX_KEY_LENGTH);
    }
    return switch (request.method()) {
      case "GET", "HEAD" -> route.answer();
      default -> error(405, "method not allowed").toBuilder().header("allow", "GET, HEAD").build();
    };
  }

  private static Response notFound() {
    return error(404, "not found");
  }

  private static Response error(int status, String message) {
    return json(status, "{\"error\":" + Json.string(message) + "}");
  }

  private static Response json(int status, String json) {
    return Response.builder(status).header("content-type", "application/json").body(json).build();
  }
}
