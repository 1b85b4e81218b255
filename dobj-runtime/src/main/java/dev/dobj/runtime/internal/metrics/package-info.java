/**
 * The runtime's meters: one {@link dev.dobj.runtime.internal.metrics.NamespaceMeters} per
 * namespace, resolved once when the runtime is built, so the per-call path only increments a
 * counter it already holds (and, without a registry, tests a null). Leaf package: imports the JDK
 * and Micrometer's core only; the activation and storage packages call into it.
 *
 * <p>Invariants owned here: every meter carries the {@code namespace} tag and a bounded set of
 * other tags (a method of the bound class, a {@link dev.dobj.runtime.internal.metrics.ResetCause},
 * an alarm outcome, an overload reason); with no registry nothing is registered and nothing is
 * allocated per event.
 */
package dev.dobj.runtime.internal.metrics;
