/**
 * Copies the arguments and results of RPC calls by value, so that a caller and a Durable Object
 * never share mutable state, and encodes them for the wire.
 *
 * <p>{@link dev.dobj.rpc.codec.RpcCodec} turns a declared {@link java.lang.reflect.Type} (or the
 * parameter and return types of a {@link java.lang.reflect.Method}) into a <em>plan</em>, once, and
 * caches it. A plan has two paths over one type model: an in-process deep copy (no JSON, no
 * reflection per call: record accessors and canonical constructors are method handles resolved at
 * plan time; deeply immutable values pass as they are) and a JSON encoding driven by the plan, not
 * by the bytes.
 *
 * <p>May import: {@code dev.dobj.api}, {@code dev.dobj.spi}, and Jackson's streaming API ({@code
 * com.fasterxml.jackson.core}). No Jackson data binding: the decoder walks the plan and builds only
 * the declared types (no default typing, no type ids naming classes; a sealed interface's variant
 * is chosen by the simple name of one of its permitted subclasses).
 *
 * <p>Invariants owned here:
 *
 * <ul>
 *   <li>A type is refused when it is planned, with an {@link IllegalArgumentException} naming the
 *       type and where it was met; a value whose runtime class does not fit its plan is refused
 *       when it is copied or encoded.
 *   <li>Copies never share mutable state with their source; lists, sets and maps in copies and in
 *       decoded values are unmodifiable, keep the source's iteration order and hold no null.
 *   <li>A message (all arguments of a call, or one result) is at most the codec's limit (32 MiB by
 *       default), estimated while copying and measured exactly when encoding.
 *   <li>Plans are immutable once published and shared between threads; a {@code RpcCodec} holds no
 *       other state.
 * </ul>
 */
package dev.dobj.rpc.codec;
