package dev.dobj.runtime.internal.activation;

import dev.dobj.DurableObjectId;
import dev.dobj.DurableObjectNamespace;
import dev.dobj.DurableObjectStub;
import dev.dobj.GetOptions;
import dev.dobj.Jurisdiction;
import java.util.Objects;
import java.util.Optional;

/**
 * A typed view of one {@link ObjectHost}: mints and checks ids with the host's key and hands out
 * stubs. A jurisdiction view mints ids carrying its jurisdiction and refuses ids of any other.
 * Immutable and thread-safe.
 */
public final class Namespace<T> implements DurableObjectNamespace<T> {
  private final ObjectHost host;
  private final Class<T> rpcInterface;
  private final Optional<Jurisdiction> jurisdiction;
  private final Recorder<T> recorder;

  /** The view of {@code host} through {@code rpcInterface}. */
  public Namespace(ObjectHost host, Class<T> rpcInterface) {
    this(host, rpcInterface, Optional.empty(), new Recorder<>(rpcInterface));
  }

  private Namespace(
      ObjectHost host,
      Class<T> rpcInterface,
      Optional<Jurisdiction> jurisdiction,
      Recorder<T> recorder) {
    this.host = host;
    this.rpcInterface = rpcInterface;
    this.jurisdiction = jurisdiction;
    this.recorder = recorder;
  }

  ObjectHost host() {
    return host;
  }

  Class<T> rpcInterface() {
    return rpcInterface;
  }

  Recorder<T> recorder() {
    return recorder;
  }

  @Override
  public String binding() {
    return host.binding;
  }

  @Override
  public DurableObjectId idFromName(String name) {
    Objects.requireNonNull(name, "name");
    return host.key.idFromName(name, jurisdiction);
  }

  @Override
  public DurableObjectId newUniqueId() {
    return host.key.newUniqueId(host.settings.random(), jurisdiction);
  }

  @Override
  public DurableObjectId newUniqueId(Jurisdiction j) {
    Objects.requireNonNull(j, "jurisdiction");
    return host.key.newUniqueId(host.settings.random(), Optional.of(j));
  }

  @Override
  public DurableObjectId idFromString(String id) {
    return host.key.idFromString(id, jurisdiction);
  }

  @Override
  public DurableObjectStub<T> get(DurableObjectId id) {
    return get(id, GetOptions.NONE);
  }

  @Override
  public DurableObjectStub<T> get(DurableObjectId id, GetOptions options) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(options, "options");
    if (!host.key.owns(id)) {
      throw new IllegalArgumentException(
          "Durable Object ID is not valid for this namespace. (id "
              + id
              + ", namespace "
              + host.binding
              + ")");
    }
    if (jurisdiction.isPresent() && !jurisdiction.equals(id.jurisdiction())) {
      throw new IllegalArgumentException(
          "Durable Object ID "
              + id
              + " is not in jurisdiction "
              + jurisdiction.get()
              + " (it has "
              + id.jurisdiction().map(Jurisdiction::code).orElse("none")
              + "); get it from the namespace of its own jurisdiction");
    }
    return new Stub<>(this, id);
  }

  @Override
  public DurableObjectStub<T> getByName(String name) {
    // Derived here under this namespace's key and jurisdiction: nothing for get() to check.
    return new Stub<>(this, idFromName(name));
  }

  @Override
  public DurableObjectNamespace<T> jurisdiction(Jurisdiction j) {
    Objects.requireNonNull(j, "jurisdiction");
    return new Namespace<>(host, rpcInterface, Optional.of(j), recorder);
  }

  @Override
  public java.util.List<DurableObjectId> listIds(dev.dobj.ListIdsOptions options) {
    Objects.requireNonNull(options, "options");
    return Inspection.list(
            host, options.startAfter(), options.limit().orElse(Integer.MAX_VALUE), false)
        .stream()
        .map(Inspection.Summary::id)
        .toList();
  }

  @Override
  public String toString() {
    return "DurableObjectNamespace["
        + host.binding
        + jurisdiction.map(j -> " " + j).orElse("")
        + "]";
  }
}
