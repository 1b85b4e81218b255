package dev.dobj;

import dev.dobj.fetch.Request;
import dev.dobj.fetch.Response;

/**
 * The stateless entry point of an application: every HTTP request reaches {@link #fetch} first,
 * which may answer it or forward it to a Durable Object through a stub.
 *
 * <p>A Worker keeps no state between requests and may run many requests at once, each on its own
 * virtual thread. An implementation needs a public no-argument constructor.
 */
@FunctionalInterface
public interface Worker {
  /**
   * Handles one HTTP request.
   *
   * @throws Exception answered as 500 Internal Server Error, with the cause logged and no stack
   *     trace sent to the client
   */
  Response fetch(Request request, Env env) throws Exception;
}
