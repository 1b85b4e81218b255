/**
 * The storage an object sees ({@code ctx.storage()}): KV with a decoded-value cache, SQL with
 * dobj's refusals, transactions, alarms, and the output gate over the engine's durability. Imports
 * the API, the storage SPI, the codec, {@code internal.gate} and {@code internal.metrics}; never
 * the activation.
 *
 * <p>Invariants owned here: every write of a turn lands in the store's open write transaction and
 * is committed as one batch when the turn ends or waits outside storage; a message leaves only
 * after the batch written before it is durable; a failed commit fails the held messages and reports
 * the failure so the object is reset.
 */
package dev.dobj.runtime.internal.storage;
