package dev.dobj.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpURI;

/**
 * Turns the URL of a request Jetty parsed into the {@link URI} of a {@code dobj-api} request.
 *
 * <p>A server sees few origins ({@code scheme://host:port}) and many paths, and parsing a whole URL
 * with {@link URI} costs most in its authority. So the origin is parsed once and kept (at most
 * {@link #MAX_ORIGINS}, forgotten all at once past that, since the Host header is the client's to
 * choose), and each request parses only its path and query and resolves them against it. An
 * absolute path resolves to itself (RFC 3986 section 5.2.2), so the result equals {@code new
 * URI(url.asString())}; anything else (no origin, a path that is not plain absolute, user info, a
 * fragment, a part {@code URI} refuses) takes the whole-URL parse, with its errors.
 *
 * <p>Thread-safe.
 */
final class RequestUrls {
  /** How many origins are kept before the cache starts over. */
  static final int MAX_ORIGINS = 64;

  private final ConcurrentHashMap<String, URI> origins = new ConcurrentHashMap<>();

  /**
   * The URI of {@code url}, or null when only parsing the whole URL ({@link
   * dev.dobj.fetch.Request#builder(String, String)}) can tell, or refuse it.
   */
  URI toUri(HttpURI url) {
    String pathQuery = url.getPathQuery();
    String host = url.getHost();
    if (url.getScheme() == null
        || host == null
        || host.isEmpty()
        || pathQuery == null
        || pathQuery.isEmpty()
        || pathQuery.charAt(0) != '/'
        || pathQuery.startsWith("//") // would parse as an authority
        || url.getUser() != null
        || url.getFragment() != null) {
      return null;
    }
    // The origin as Jetty writes the whole URL (a scheme's default port left out, for one)
    String whole = url.asString();
    if (!whole.endsWith(pathQuery)) {
      return null;
    }
    try {
      URI origin = origin(whole.substring(0, whole.length() - pathQuery.length()));
      if (origin == null) {
        return null;
      }
      // Starting with one "/" (checked above), it has neither a scheme nor an authority.
      return origin.resolve(new URI(pathQuery));
    } catch (URISyntaxException e) {
      return null; // the whole-URL parse reports it
    }
  }

  private URI origin(String key) throws URISyntaxException {
    URI origin = origins.get(key);
    if (origin != null) {
      return origin;
    }
    URI parsed = new URI(key);
    if (parsed.getRawAuthority() == null
        || parsed.getRawUserInfo() != null
        || !parsed.getRawPath().isEmpty()
        || parsed.getRawQuery() != null
        || parsed.getRawFragment() != null) {
      return null;
    }
    if (origins.size() >= MAX_ORIGINS) {
      origins.clear();
    }
    origins.put(key, parsed);
    return parsed;
  }

  /** How many origins are kept now (for tests). */
  int size() {
    return origins.size();
  }
}
