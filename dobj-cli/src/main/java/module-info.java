/** The {@code dobj} command: the composition root. Runs on the class path; exports nothing. */
module dev.dobj.cli {
  requires dev.dobj.runtime;
  requires dev.dobj.http;
  requires dev.dobj.sqlite;
  requires info.picocli;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.toml;
  requires micrometer.core;
  requires micrometer.registry.prometheus;
  // sun.misc.Signal: SIGINT and SIGTERM are handled, not left to shutdown hooks (SignalShutdown).
  requires jdk.unsupported;
  // The loopback endpoints of dobj dev: metrics (DevMetrics) and admin (dobj objects, dobj
  // storage, whose client is java.net.http).
  requires jdk.httpserver;
  requires java.net.http;

  // picocli sets the annotated fields of the commands.
  opens dev.dobj.cli to
      info.picocli;
}
