/** The dobj runtime: hosts Durable Objects in this JVM. */
module dev.dobj.runtime {
  requires transitive dev.dobj.api;
  requires transitive dev.dobj.spi;
  requires dev.dobj.rpc;
  requires org.slf4j;
  requires transitive micrometer.core;

  exports dev.dobj.runtime;
  exports dev.dobj.runtime.time;
}
