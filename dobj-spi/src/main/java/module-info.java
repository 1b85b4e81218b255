/**
 * The service-provider interfaces a runtime deployment plugs into: storage, placement, transport.
 */
module dev.dobj.spi {
  requires transitive dev.dobj.api;

  exports dev.dobj.spi;
  exports dev.dobj.spi.storage;
  exports dev.dobj.spi.placement;
  exports dev.dobj.spi.transport;
  exports dev.dobj.spi.websocket;
}
