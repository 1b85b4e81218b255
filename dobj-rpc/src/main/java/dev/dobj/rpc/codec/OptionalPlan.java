package dev.dobj.rpc.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Optional;

/**
 * {@code Optional<E>}: immutable when {@code E} is. On the wire, {@code []} when empty and {@code
 * [value]} when present, so that an empty {@code Optional} and a null one stay apart.
 */
final class OptionalPlan extends Plan {
  private final Plan element;

  OptionalPlan(Type type, Plan element) {
    super(type);
    this.element = element;
  }

  @Override
  List<Plan> children() {
    return List.of(element);
  }

  @Override
  boolean deriveImmutable() {
    return element.immutable;
  }

  @Override
  boolean deriveTrivial() {
    return false; // the element's class is erased: it must be checked
  }

  @Override
  Object copy(Object value, Budget budget) {
    if (!(value instanceof Optional<?> optional)) {
      throw mismatch(value);
    }
    budget.add(2);
    if (optional.isEmpty()) {
      return optional;
    }
    budget.enter();
    Object inside = optional.get();
    Object copy;
    try {
      copy = element.copyElement(inside, budget, this);
    } catch (ValueException x) {
      throw x.at("[0]");
    }
    budget.exit();
    return copy == inside ? optional : Optional.of(copy);
  }

  @Override
  void write(JsonGenerator out, Object value) throws IOException {
    if (!(value instanceof Optional<?> optional)) {
      throw mismatch(value);
    }
    out.writeStartArray();
    if (optional.isPresent()) {
      try {
        element.write(out, optional.get());
      } catch (ValueException x) {
        throw x.at("[0]");
      }
    }
    out.writeEndArray();
  }

  @Override
  Object read(JsonParser in) throws IOException {
    if (in.currentToken() != JsonToken.START_ARRAY) {
      throw unexpected(in, "a JSON array of zero or one element");
    }
    if (in.nextToken() == JsonToken.END_ARRAY) {
      return Optional.empty();
    }
    Object inside;
    try {
      inside = element.readElement(in, this);
    } catch (ValueException x) {
      throw x.at("[0]");
    }
    if (in.nextToken() != JsonToken.END_ARRAY) {
      throw unexpected(in, "the end of the array after the value of an Optional");
    }
    return Optional.of(inside);
  }
}
