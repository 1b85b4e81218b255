package dev.dobj;

import java.util.Map;
import java.util.Optional;

/**
 * The bindings of an application: its Durable Object namespaces by binding name and its plain
 * variables. Shared by the Worker and every object; thread-safe.
 */
public interface Env {
  /**
   * The namespace bound as {@code binding}, typed by the RPC interface its stubs expose.
   *
   * <p>Calls are dispatched by method name and parameter types, so {@code rpcInterface} may be any
   * interface whose methods the object's class declares publicly; a method the class lacks fails
   * its call with "The RPC receiver does not implement the method".
   *
   * @throws IllegalArgumentException if no namespace is bound under {@code binding} (the message
   *     lists the bound names), or {@code rpcInterface} is not an interface
   */
  <T> DurableObjectNamespace<T> namespace(String binding, Class<T> rpcInterface);

  /** The variable {@code name} from the application's configuration ({@code [vars]}). */
  Optional<String> var(String name);

  /** All variables of the application, unmodifiable. */
  Map<String, String> vars();
}
