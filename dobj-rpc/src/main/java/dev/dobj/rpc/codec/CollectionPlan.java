package dev.dobj.rpc.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.List;

/**
 * What {@link ListPlan} and {@link SetPlan} share: one element plan, never immutable as a whole,
 * copies of elements that name their index on failure, and a JSON array on the wire.
 */
abstract class CollectionPlan extends Plan {
  final Plan element;

  CollectionPlan(Type type, Plan element) {
    super(type);
    this.element = element;
  }

  @Override
  final List<Plan> children() {
    return List.of(element);
  }

  @Override
  final boolean deriveImmutable() {
    return false;
  }

  @Override
  final boolean deriveTrivial() {
    return false;
  }

  /** Copies element {@code i}; a failure names its index. */
  final Object copyAt(int i, Object e, Budget budget) {
    try {
      return element.copyElement(e, budget, this);
    } catch (ValueException x) {
      throw x.at("[" + i + "]");
    }
  }

  /** Writes {@code elements} as a JSON array; a failure names the element's index. */
  final void writeArray(JsonGenerator out, Iterable<?> elements) throws IOException {
    out.writeStartArray();
    int i = 0;
    for (Object e : elements) {
      try {
        element.writeElement(out, e, this);
      } catch (ValueException x) {
        throw x.at("[" + i + "]");
      }
      i++;
    }
    out.writeEndArray();
  }
}
