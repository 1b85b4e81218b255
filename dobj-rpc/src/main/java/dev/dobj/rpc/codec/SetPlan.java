package dev.dobj.rpc.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * {@code Set<E>}: any {@code Set} is accepted; copies and decoded values are unmodifiable sets that
 * keep the source's iteration order (a {@code TreeSet} arrives sorted), without nulls. A set made
 * by {@code Set.of} whose elements are immutable is passed as it is. On the wire, a JSON array
 * without duplicates.
 */
final class SetPlan extends CollectionPlan {
  private static final Class<?> SET12 = Set.of(1).getClass();
  private static final Class<?> SETN = Set.of(1, 2, 3).getClass();

  SetPlan(Type type, Plan element) {
    super(type, element);
  }

  @Override
  Object copy(Object value, Budget budget) {
    if (!(value instanceof Set<?> set)) {
      throw mismatch(value);
    }
    budget.enter();
    budget.add(2L + set.size());
    Object result;
    Class<?> c = value.getClass();
    if (element.immutable && (c == SET12 || c == SETN)) {
      int i = 0;
      for (Object e : set) {
        copyAt(i++, e, budget);
      }
      result = set;
    } else {
      Set<Object> copy = LinkedHashSet.newLinkedHashSet(set.size());
      int i = 0;
      for (Object e : set) {
        copy.add(copyAt(i++, e, budget));
      }
      result = Collections.unmodifiableSet(copy);
    }
    budget.exit();
    return result;
  }

  @Override
  void write(JsonGenerator out, Object value) throws IOException {
    if (!(value instanceof Set<?> set)) {
      throw mismatch(value);
    }
    writeArray(out, set);
  }

  @Override
  Object read(JsonParser in) throws IOException {
    if (in.currentToken() != JsonToken.START_ARRAY) {
      throw unexpected(in, "a JSON array");
    }
    Set<Object> elements = new LinkedHashSet<>();
    int i = 0;
    while (in.nextToken() != JsonToken.END_ARRAY) {
      Object e;
      try {
        e = element.readElement(in, this);
      } catch (ValueException x) {
        throw x.at("[" + i + "]");
      }
      if (!elements.add(e)) {
        throw new ValueException("duplicate element in a " + describe()).at("[" + i + "]");
      }
      i++;
    }
    return Collections.unmodifiableSet(elements);
  }
}
