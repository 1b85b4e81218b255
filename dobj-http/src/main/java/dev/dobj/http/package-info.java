/**
 * The HTTP edge: {@link dev.dobj.http.HttpFront} accepts HTTP/1.1 connections, turns each request
 * into a {@link dev.dobj.fetch.Request}, calls the application's {@link dev.dobj.Worker}, and
 * writes its {@link dev.dobj.fetch.Response} back. Imports the API, Jetty 12 core ({@code
 * org.eclipse.jetty.*}, nowhere else in dobj) and SLF4J; no Jetty type appears in the public
 * surface.
 *
 * <p>Invariants it owns:
 *
 * <ul>
 *   <li>Bodies stream both ways: a request body reaches the Worker as an {@link
 *       java.io.InputStream} over the connection, and a stream response body is copied to the
 *       connection as it is read; neither is held in memory whole.
 *   <li>Every Worker call runs on its own virtual thread, so a Worker may block.
 *   <li>Limits answer with their status before the Worker is involved where possible: a declared
 *       body over the limit is 413 without calling the Worker, a streamed one fails the Worker's
 *       read and is answered 413; request headers over the limit are 431; a malformed request is
 *       400.
 *   <li>A Worker failure is a 500 with the body {@code Internal Server Error}; the cause goes to
 *       the log, never to the client.
 * </ul>
 */
package dev.dobj.http;
