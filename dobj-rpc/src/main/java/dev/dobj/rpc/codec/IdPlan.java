package dev.dobj.rpc.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import dev.dobj.DurableObjectId;
import java.io.IOException;
import java.util.Optional;

/**
 * {@link DurableObjectId}: immutable, passed by reference. On the wire {@code {"id": hex, "name":
 * name-or-null}}; decoding asks {@link References#idFromReference} for the id, so only the runtime
 * mints ids.
 */
final class IdPlan extends Plan {
  private static final String[] PROPERTIES = {"id", "name"};

  private final References references;

  IdPlan(References references) {
    super(DurableObjectId.class);
    this.references = references;
    this.immutable = true;
    this.trivial = false; // the name is unbounded
  }

  @Override
  Object copy(Object value, Budget budget) {
    if (!(value instanceof DurableObjectId id)) {
      throw mismatch(value);
    }
    budget.add(90 + id.name().map(String::length).orElse(0));
    return value;
  }

  @Override
  void write(JsonGenerator out, Object value) throws IOException {
    if (!(value instanceof DurableObjectId id)) {
      throw mismatch(value);
    }
    out.writeStartObject();
    out.writeStringField("id", id.toString());
    out.writeFieldName("name");
    out.writeString(id.name().orElse(null));
    out.writeEndObject();
  }

  @Override
  Object read(JsonParser in) throws IOException {
    Object[] values = readProperties(in, PROPERTIES, (i, p) -> readString(p, i == 1));
    DurableObjectId id;
    try {
      id = references.idFromReference((String) values[0], Optional.ofNullable((String) values[1]));
    } catch (IllegalArgumentException e) {
      throw new ValueException(e.getMessage(), e);
    }
    if (id == null) {
      throw new ValueException("References.idFromReference returned null for " + values[0]);
    }
    return id;
  }
}
