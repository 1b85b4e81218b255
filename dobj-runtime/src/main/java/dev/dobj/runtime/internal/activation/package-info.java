/**
 * Activations and the client side that reaches them: an {@link
 * dev.dobj.runtime.internal.activation.ObjectHost} per namespace maps ids to live {@link
 * dev.dobj.runtime.internal.activation.Activation}s; stubs bind to an activation and deliver events
 * through its input gate. Imports the API, the SPIs, the RPC codec, {@code internal.gate}, {@code
 * internal.metrics} and {@code time}; never the runtime's entry package.
 *
 * <p>Invariants owned here: at most one live activation per id per host; E-order per stub; a reset
 * breaks exactly the stubs bound to that activation; turns of one activation never overlap.
 */
package dev.dobj.runtime.internal.activation;
