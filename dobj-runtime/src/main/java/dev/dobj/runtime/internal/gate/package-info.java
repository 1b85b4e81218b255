/**
 * Concurrency primitives of one object: the input gate (who may run a turn now) and the output gate
 * hook (what must be durable before a message leaves). Leaf package: imports the JDK only.
 *
 * <p>Invariants owned here: at most one holder of an object's gate at a time; waiters are released
 * first-in, first-out; a broken gate fails every queued and in-flight entry exactly once.
 */
package dev.dobj.runtime.internal.gate;
