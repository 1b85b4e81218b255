/**
 * The RPC value codec of dobj: copies the arguments and results of calls on Durable Object stubs by
 * value, in process and on the wire. Uses Jackson's streaming API only; no data binding.
 */
module dev.dobj.rpc {
  requires transitive dev.dobj.api;
  requires com.fasterxml.jackson.core;

  exports dev.dobj.rpc.codec;
}
