package dev.dobj;

/**
 * The Durable Objects of one class under one binding: turns names into ids, mints ids, and hands
 * out stubs. Thread-safe; cheap to call.
 *
 * <p>Getting a stub creates nothing: the object is constructed by the first event delivered through
 * the stub, and constructed again after it was evicted.
 *
 * @param <T> the RPC interface that stubs of this namespace expose
 */
public interface DurableObjectNamespace<T> {
  /** The binding name this namespace was obtained under. */
  String binding();

  /**
   * The id for {@code name}: the same name in the same namespace always gives the same id, across
   * restarts and machines; the id carries the name ({@link DurableObjectId#name()}).
   */
  DurableObjectId idFromName(String name);

  /** A new random id (from a secure random source), with no name. */
  DurableObjectId newUniqueId();

  /** A new random id that carries {@code jurisdiction}. */
  DurableObjectId newUniqueId(Jurisdiction jurisdiction);

  /**
   * Parses an id printed by {@link DurableObjectId#toString()}. Upper-case hex is accepted.
   *
   * @throws IllegalArgumentException "Invalid Durable Object ID: must be 64 hex digits" when {@code
   *     id} is not 64 hex digits, or "Durable Object ID is not valid for this namespace." when it
   *     was minted by another namespace
   */
  DurableObjectId idFromString(String id);

  /**
   * A stub for {@code id}; creates nothing. Calls through one stub reach the object in the order
   * they were made.
   *
   * @throws IllegalArgumentException if {@code id} belongs to another namespace, or (in a
   *     jurisdiction sub-namespace) to another jurisdiction
   */
  DurableObjectStub<T> get(DurableObjectId id);

  /**
   * As {@link #get(DurableObjectId)}, with options (a location hint, recorded only on one node).
   *
   * @throws IllegalArgumentException as {@link #get(DurableObjectId)}
   */
  DurableObjectStub<T> get(DurableObjectId id, GetOptions options);

  /** Same as {@code get(idFromName(name))}. */
  DurableObjectStub<T> getByName(String name);

  /**
   * A view of this namespace whose new ids carry {@code jurisdiction} and whose {@code get} refuses
   * ids of any other jurisdiction (or none).
   */
  DurableObjectNamespace<T> jurisdiction(Jurisdiction jurisdiction);

  /**
   * The ids of this namespace's objects that have durable state (a key, a SQL table, an alarm),
   * ordered by their string form, one page as {@code options} says. An id carries its name ({@link
   * DurableObjectId#name()}) when the object was reached by name and persisted it. Objects that
   * never wrote are not listed; an object whose storage was deleted with {@code deleteAll()}
   * disappears. Beyond Cloudflare, which cannot list ids. Reading the names opens the listed
   * objects' storage (not their instances), so a page costs about one file open per id.
   *
   * @throws IllegalArgumentException if {@code options.startAfter()} is not 64 hex digits
   */
  java.util.List<DurableObjectId> listIds(ListIdsOptions options);

  /** Every id with durable state; same as {@code listIds(ListIdsOptions.ALL)}. */
  default java.util.List<DurableObjectId> listIds() {
    return listIds(ListIdsOptions.ALL);
  }
}
