/**
 * The dobj programming model: Durable Objects, their ids, namespaces and stubs, the Worker entry
 * point and the state handle an object receives.
 *
 * <p>Names and meanings follow Cloudflare's Durable Objects API one-to-one, with Java naming: no
 * {@code null} crosses this API (absence is {@link java.util.Optional}), values are records or
 * immutable classes, and every method checks its arguments on entry. This package depends on the
 * JDK only; an application imports nothing else.
 *
 * <p>Types an application must not implement ({@link DurableObjectState}, {@link
 * DurableObjectNamespace}, {@link DurableObjectStub}, {@link Env}) are interfaces implemented by
 * the runtime; their contracts are documented per method.
 */
package dev.dobj;
