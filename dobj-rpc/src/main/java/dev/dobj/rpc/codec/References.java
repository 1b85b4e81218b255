package dev.dobj.rpc.codec;

import dev.dobj.DurableObjectId;
import dev.dobj.DurableObjectStub;
import java.util.Optional;

/**
 * What the codec asks of the runtime about values that travel by reference: stubs and ids. The
 * runtime supplies one instance to {@link RpcCodec}; its methods may be called from any thread.
 */
public interface References {
  /**
   * A new stub to the same object as {@code stub}, for the receiving side of an in-process call, so
   * that caller and callee never share one stub (and its E-order queue).
   *
   * @throws IllegalArgumentException if {@code stub} is not one of the runtime's stubs
   */
  DurableObjectStub<?> copyStub(DurableObjectStub<?> stub);

  /**
   * The wire form of {@code stub}.
   *
   * @throws IllegalArgumentException if {@code stub} is not one of the runtime's stubs
   */
  StubReference toReference(DurableObjectStub<?> stub);

  /**
   * A stub for {@code ref} whose {@code call()} view implements {@code rpcInterface}.
   *
   * @throws IllegalArgumentException if the binding is unknown, the id does not belong to it, or
   *     its objects do not implement {@code rpcInterface}
   */
  DurableObjectStub<?> fromReference(StubReference ref, Class<?> rpcInterface);

  /**
   * The id written as {@code hex}, carrying {@code name}; the runtime finds the namespace that owns
   * it.
   *
   * @throws IllegalArgumentException if {@code hex} is not an id of any namespace of the runtime
   */
  DurableObjectId idFromReference(String hex, Optional<String> name);
}
