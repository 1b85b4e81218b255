package dev.dobj.rpc.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * {@code OptionalInt}, {@code OptionalLong} and {@code OptionalDouble}: immutable; on the wire
 * {@code []} or {@code [n]} like {@link OptionalPlan}.
 */
final class PrimitiveOptionalPlan extends Plan {
  private final Class<?> optionalClass;
  private final ScalarPlan element;

  private PrimitiveOptionalPlan(Class<?> optionalClass, Class<?> primitive) {
    super(optionalClass);
    this.optionalClass = optionalClass;
    this.element = ScalarPlan.of(primitive);
    this.immutable = true;
    this.trivial = true;
  }

  /** The plan for {@code c}, or null if it is not a primitive optional. */
  static PrimitiveOptionalPlan of(Class<?> c) {
    if (c == OptionalInt.class) {
      return new PrimitiveOptionalPlan(c, int.class);
    } else if (c == OptionalLong.class) {
      return new PrimitiveOptionalPlan(c, long.class);
    } else if (c == OptionalDouble.class) {
      return new PrimitiveOptionalPlan(c, double.class);
    }
    return null;
  }

  @Override
  long fixedSize() {
    return 2 + element.fixedSize();
  }

  @Override
  Object copy(Object value, Budget budget) {
    if (value.getClass() != optionalClass) {
      throw mismatch(value);
    }
    budget.add(fixedSize());
    return value;
  }

  @Override
  void write(JsonGenerator out, Object value) throws IOException {
    if (value.getClass() != optionalClass) {
      throw mismatch(value);
    }
    out.writeStartArray();
    switch (value) {
      case OptionalInt o when o.isPresent() -> out.writeNumber(o.getAsInt());
      case OptionalLong o when o.isPresent() -> out.writeNumber(o.getAsLong());
      case OptionalDouble o when o.isPresent() -> element.write(out, o.getAsDouble());
      default -> {}
    }
    out.writeEndArray();
  }

  @Override
  Object read(JsonParser in) throws IOException {
    if (in.currentToken() != JsonToken.START_ARRAY) {
      throw unexpected(in, "a JSON array of zero or one number");
    }
    if (in.nextToken() == JsonToken.END_ARRAY) {
      if (optionalClass == OptionalInt.class) {
        return OptionalInt.empty();
      }
      return optionalClass == OptionalLong.class ? OptionalLong.empty() : OptionalDouble.empty();
    }
    Object n;
    try {
      n = element.readElement(in, this);
    } catch (ValueException x) {
      throw x.at("[0]");
    }
    if (in.nextToken() != JsonToken.END_ARRAY) {
      throw unexpected(in, "the end of the array after the number");
    }
    return switch (n) {
      case Integer i -> OptionalInt.of(i);
      case Long l -> OptionalLong.of(l);
      case Double d -> OptionalDouble.of(d);
      default -> throw new AssertionError("unexpected " + n.getClass());
    };
  }
}
