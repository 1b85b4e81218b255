/**
 * How an edge hands WebSocket connections to the runtime: the edge makes an {@link
 * dev.dobj.spi.websocket.EdgeWebSocket} for each upgrade request and reports what arrives on the
 * connection; the runtime owns it once an object accepts it (hibernation API).
 */
package dev.dobj.spi.websocket;
