package dev.dobj.rpc.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import dev.dobj.DurableObjectStub;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Optional;

/**
 * {@code DurableObjectStub<T>}: travels by reference. In process, the receiver gets a new stub to
 * the same object ({@link References#copyStub}); on the wire, a {@link StubReference} as {@code
 * {"binding":..., "id":..., "name": name-or-null}}, turned back into a stub for interface {@code T}
 * by {@link References#fromReference}.
 */
final class StubPlan extends Plan {
  private static final String[] PROPERTIES = {"binding", "id", "name"};

  private final Class<?> rpcInterface;
  private final References references;

  StubPlan(Type type, Class<?> rpcInterface, References references) {
    super(type);
    this.rpcInterface = rpcInterface;
    this.references = references;
    this.immutable = false;
    this.trivial = false;
  }

  @Override
  Object copy(Object value, Budget budget) {
    if (!(value instanceof DurableObjectStub<?> stub)) {
      throw mismatch(value);
    }
    budget.add(120);
    DurableObjectStub<?> copy;
    try {
      copy = references.copyStub(stub);
    } catch (IllegalArgumentException e) {
      throw new ValueException(e.getMessage(), e);
    }
    if (copy == null) {
      throw new ValueException("References.copyStub returned null for " + stub);
    }
    return copy;
  }

  @Override
  void write(JsonGenerator out, Object value) throws IOException {
    if (!(value instanceof DurableObjectStub<?> stub)) {
      throw mismatch(value);
    }
    StubReference ref;
    try {
      ref = references.toReference(stub);
    } catch (IllegalArgumentException e) {
      throw new ValueException(e.getMessage(), e);
    }
    out.writeStartObject();
    out.writeStringField("binding", ref.binding());
    out.writeStringField("id", ref.id());
    out.writeFieldName("name");
    out.writeString(ref.name().orElse(null));
    out.writeEndObject();
  }

  @Override
  Object read(JsonParser in) throws IOException {
    Object[] values = readProperties(in, PROPERTIES, (i, p) -> readString(p, i == 2));
    DurableObjectStub<?> stub;
    try {
      StubReference ref =
          new StubReference(
              (String) values[0], (String) values[1], Optional.ofNullable((String) values[2]));
      stub = references.fromReference(ref, rpcInterface);
    } catch (IllegalArgumentException e) {
      throw new ValueException(e.getMessage(), e);
    }
    if (stub == null) {
      throw new ValueException("References.fromReference returned null for " + values[1]);
    }
    return stub;
  }
}
