/**
 * The HTTP edge of dobj: serves a {@link dev.dobj.Worker} over HTTP/1.1. The only module that
 * touches the server library (Jetty 12 core).
 */
module dev.dobj.http {
  requires transitive dev.dobj.api;
  requires org.eclipse.jetty.server;
  requires org.slf4j;

  exports dev.dobj.http;
}
