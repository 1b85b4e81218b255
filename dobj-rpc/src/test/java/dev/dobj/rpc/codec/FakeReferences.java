package dev.dobj.rpc.codec;

import dev.dobj.DurableObjectId;
import dev.dobj.DurableObjectStub;
import dev.dobj.NamespaceKey;
import dev.dobj.fetch.Request;
import dev.dobj.fetch.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/** References for one namespace, "counters", that logs every call the codec makes. */
final class FakeReferences implements References {
  static final NamespaceKey KEY = NamespaceKey.of("counters");

  final List<String> log = new ArrayList<>();

  @Override
  public DurableObjectStub<?> copyStub(DurableObjectStub<?> stub) {
    log.add("copyStub " + stub.name().orElse(stub.id().toString()));
    return new FakeStub(((FakeStub) stub).binding, stub.id());
  }

  @Override
  public StubReference toReference(DurableObjectStub<?> stub) {
    log.add("toReference " + stub.name().orElse(stub.id().toString()));
    return new StubReference(((FakeStub) stub).binding, stub.id().toString(), stub.name());
  }

  @Override
  public DurableObjectStub<?> fromReference(StubReference ref, Class<?> rpcInterface) {
    log.add("fromReference " + ref.binding() + " " + rpcInterface.getSimpleName());
    if (!ref.binding().equals("counters")) {
      throw new IllegalArgumentException("No namespace is bound as \"" + ref.binding() + "\"");
    }
    return new FakeStub(ref.binding(), id(ref.id(), ref.name()));
  }

  @Override
  public DurableObjectId idFromReference(String hex, Optional<String> name) {
    log.add("idFromReference " + name.orElse(hex));
    return id(hex, name);
  }

  private static DurableObjectId id(String hex, Optional<String> name) {
    DurableObjectId id = KEY.idFromString(hex);
    return name.isPresent() ? KEY.withName(id, name.get()) : id;
  }

  static FakeStub stub(String name) {
    return new FakeStub("counters", KEY.idFromName(name));
  }

  /** A stub that only knows its binding and id. */
  static final class FakeStub implements DurableObjectStub<Fixtures.Counter> {
    final String binding;
    private final DurableObjectId id;

    FakeStub(String binding, DurableObjectId id) {
      this.binding = binding;
      this.id = id;
    }

    @Override
    public DurableObjectId id() {
      return id;
    }

    @Override
    public Optional<String> name() {
      return id.name();
    }

    @Override
    public Fixtures.Counter call() {
      throw new UnsupportedOperationException("fake stub");
    }

    @Override
    public <R> CompletableFuture<R> callAsync(
        Function<? super Fixtures.Counter, ? extends R> invocation) {
      throw new UnsupportedOperationException("fake stub");
    }

    @Override
    public CompletableFuture<Void> runAsync(Consumer<? super Fixtures.Counter> invocation) {
      throw new UnsupportedOperationException("fake stub");
    }

    @Override
    public Response fetch(Request request) {
      throw new UnsupportedOperationException("fake stub");
    }

    @Override
    public CompletableFuture<Response> fetchAsync(Request request) {
      throw new UnsupportedOperationException("fake stub");
    }
  }
}
