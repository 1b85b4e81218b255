/**
 * The HTTP edge of dobj: serves a {@link dev.dobj.Worker} over HTTP/1.1. The only module that
 * touches the server library (Jetty 12 core).
 */
module dev.dobj.http {
  requires transitive dev.dobj.api;
  requires dev.dobj.spi;
  requires org.eclipse.jetty.server;
  requires org.eclipse.jetty.websocket.api;
  requires org.eclipse.jetty.websocket.server;
  requires org.slf4j;

  exports dev.dobj.http;
  // Jetty calls the WebSocket listener through method handles.
  exports dev.dobj.http.internal to
      org.eclipse.jetty.websocket.common;
}
