package dev.dobj.rpc.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code List<E>}: any {@code List} is accepted; copies and decoded values are unmodifiable lists
 * ({@code List.of}) in the same order, without nulls. A list made by {@code List.of} or {@code
 * List.copyOf} whose elements are immutable is passed as it is (after its elements are checked). On
 * the wire, a JSON array.
 */
final class ListPlan extends CollectionPlan {
  private static final Class<?> LIST12 = List.of(1).getClass();
  private static final Class<?> LISTN = List.of(1, 2, 3).getClass();

  ListPlan(Type type, Plan element) {
    super(type, element);
  }

  @Override
  Object copy(Object value, Budget budget) {
    if (!(value instanceof List<?> list)) {
      throw mismatch(value);
    }
    budget.enter();
    Object result;
    Class<?> c = value.getClass();
    if (element.immutable && (c == LIST12 || c == LISTN)) {
      budget.add(2L + list.size());
      int i = 0;
      for (Object e : list) {
        copyAt(i++, e, budget);
      }
      result = list;
    } else {
      Object[] elements = list.toArray();
      budget.add(2L + elements.length);
      for (int i = 0; i < elements.length; i++) {
        elements[i] = copyAt(i, elements[i], budget);
      }
      result = List.of(elements);
    }
    budget.exit();
    return result;
  }

  @Override
  void write(JsonGenerator out, Object value) throws IOException {
    if (!(value instanceof List<?> list)) {
      throw mismatch(value);
    }
    writeArray(out, list);
  }

  @Override
  Object read(JsonParser in) throws IOException {
    if (in.currentToken() != JsonToken.START_ARRAY) {
      throw unexpected(in, "a JSON array");
    }
    List<Object> elements = new ArrayList<>();
    while (in.nextToken() != JsonToken.END_ARRAY) {
      try {
        elements.add(element.readElement(in, this));
      } catch (ValueException x) {
        throw x.at("[" + elements.size() + "]");
      }
    }
    return List.copyOf(elements);
  }
}
