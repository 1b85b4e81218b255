/**
 * HTTP and WebSocket values shaped like the Fetch standard, as Cloudflare Workers use them: {@link
 * dev.dobj.fetch.Request}, {@link dev.dobj.fetch.Response}, {@link dev.dobj.fetch.Headers}, {@link
 * dev.dobj.fetch.Body}, and the {@link dev.dobj.fetch.WebSocket} an object accepts.
 *
 * <p>These types know nothing about any HTTP server: the HTTP layer ({@code dobj-http}) converts to
 * and from them, and {@code stub.fetch} carries them between objects. The package imports the JDK
 * only.
 *
 * <p>Invariants it owns:
 *
 * <ul>
 *   <li>Values are immutable and checked when built; no {@code null} goes in or comes out (absence
 *       is {@link java.util.Optional}); caller misuse is an {@link IllegalArgumentException} that
 *       names the bad value and the rule. Where Fetch has a rule (GET or HEAD without a body,
 *       status 200-599, no body with 204), these types apply it with Fetch's wording.
 *   <li>Header names are HTTP tokens, stored lower-case; values never contain CR, LF or NUL, so a
 *       header can always be written to the wire as is.
 *   <li>The only mutable state is a stream body's "consumed" flag: a stream body is read at most
 *       once, by exactly one caller; byte bodies can be read any number of times.
 *   <li>A 101 response exists only as the answer to a WebSocket upgrade and always carries its
 *       socket.
 * </ul>
 */
package dev.dobj.fetch;
