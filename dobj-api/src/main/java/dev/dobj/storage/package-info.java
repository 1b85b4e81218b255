/**
 * The private transactional storage of a Durable Object: a sorted key-value store, a SQL database
 * and one alarm, all in one atomic store per object.
 *
 * <p>Writes are visible to the object at once (read-your-writes) and committed in the background:
 * all writes of one turn commit as one atomic batch, and nothing leaves the object (RPC result,
 * HTTP response, outgoing call, WebSocket send) before every write made before it is durable. While
 * the object waits on its storage, no other event is delivered to it.
 */
package dev.dobj.storage;
