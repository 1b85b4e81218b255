/**
 * Storage engines: where an object's KV data, SQL database and alarm are kept durably. Imports the
 * API and {@code dev.dobj.spi} only.
 *
 * <p>The model is one transactional store per object (one SQLite database on a single node). An
 * activation writes into the store's open write transaction as its turns run (reads see those
 * writes at once), ends the transaction with {@link dev.dobj.spi.storage.ObjectStore#commit()} when
 * a turn ends, and waits for {@link dev.dobj.spi.storage.ObjectStore#durable(long)} before anything
 * leaves the object (the output gate). Committing is fast; making a batch durable (fsync on one
 * node, shipping WAL frames to PostgreSQL in a cluster) happens in the background and covers every
 * batch committed before it (group commit).
 */
package dev.dobj.spi.storage;
