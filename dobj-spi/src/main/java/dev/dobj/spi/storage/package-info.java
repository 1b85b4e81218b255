/**
 * Storage engines: where an object's KV data, SQL database and alarm are kept durably. The runtime
 * keeps a write-back cache per activation and hands the engine one {@link
 * dev.dobj.spi.storage.WriteBatch} per group commit; the engine makes it durable atomically.
 * Imports the API and {@code dev.dobj.spi} only.
 */
package dev.dobj.spi.storage;
