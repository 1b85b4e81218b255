/**
 * The embedded storage engine: one SQLite database per Durable Object ({@link
 * dev.dobj.sqlite.SqliteStorageEngine}). Imports the SPI, sqlite-jdbc, {@code java.sql} and SLF4J.
 *
 * <p>Invariants this package owns: an object's KV entries, SQL tables, alarm and name live in its
 * own database file, so one SQLite transaction commits them together; the engine alone checkpoints
 * the WAL (auto-checkpoint is off) and, in {@code FSYNC} durability, fsyncs it on a few platform
 * threads (the committer) so that one fsync covers every batch committed before it; an object
 * without state has no file; the per-namespace alarm index never misses an alarm that may be
 * durable in an object; at most the configured number of connections is open (plus connections that
 * are in the middle of a write transaction).
 */
package dev.dobj.sqlite;
