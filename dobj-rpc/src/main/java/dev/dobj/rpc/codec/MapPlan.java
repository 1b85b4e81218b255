package dev.dobj.rpc.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code Map<K, V>} with scalar or enum keys: any {@code Map} is accepted; copies and decoded
 * values are unmodifiable maps that keep the source's iteration order, without null keys or values.
 * A map made by {@code Map.of} whose values are immutable is passed as it is. On the wire, a JSON
 * object whose property names are the keys' text.
 */
final class MapPlan extends Plan {
  private static final Class<?> MAP1 = Map.of(1, 1).getClass();
  private static final Class<?> MAPN = Map.of(1, 1, 2, 2).getClass();

  private final Plan key;
  private final Plan value;

  MapPlan(Type type, Plan key, Plan value) {
    super(type);
    this.key = key;
    this.value = value;
  }

  @Override
  List<Plan> children() {
    return List.of(key, value);
  }

  @Override
  boolean deriveImmutable() {
    return false;
  }

  @Override
  boolean deriveTrivial() {
    return false;
  }

  @Override
  Object copy(Object map, Budget budget) {
    if (!(map instanceof Map<?, ?> source)) {
      throw mismatch(map);
    }
    budget.enter();
    budget.add(2L + source.size());
    Object result;
    Class<?> c = map.getClass();
    if (value.immutable && (c == MAP1 || c == MAPN)) {
      for (Map.Entry<?, ?> entry : source.entrySet()) {
        copyEntry(entry.getKey(), entry.getValue(), budget);
      }
      result = source;
    } else {
      Map<Object, Object> copy = LinkedHashMap.newLinkedHashMap(source.size());
      for (Map.Entry<?, ?> entry : source.entrySet()) {
        Object k = entry.getKey();
        copy.put(k, copyEntry(k, entry.getValue(), budget));
      }
      result = Collections.unmodifiableMap(copy);
    }
    budget.exit();
    return result;
  }

  /** Checks the key and returns the copied value. */
  private Object copyEntry(Object k, Object v, Budget budget) {
    key.copyElement(k, budget, this);
    budget.add(4); // the quotes around the key, the colon and the comma
    try {
      return value.copyElement(v, budget, this);
    } catch (ValueException x) {
      throw x.at("[" + Wire.quote(k.toString()) + "]");
    }
  }

  @Override
  void write(JsonGenerator out, Object map) throws IOException {
    if (!(map instanceof Map<?, ?> source)) {
      throw mismatch(map);
    }
    out.writeStartObject();
    for (Map.Entry<?, ?> entry : source.entrySet()) {
      Object k = entry.getKey();
      if (k == null) {
        key.writeElement(out, null, this); // throws: null key
      }
      out.writeFieldName(key.toKey(k));
      try {
        value.writeElement(out, entry.getValue(), this);
      } catch (ValueException x) {
        throw x.at("[" + Wire.quote(k.toString()) + "]");
      }
    }
    out.writeEndObject();
  }

  @Override
  Object read(JsonParser in) throws IOException {
    if (in.currentToken() != JsonToken.START_OBJECT) {
      throw unexpected(in, "a JSON object");
    }
    Map<Object, Object> entries = new LinkedHashMap<>();
    while (in.nextToken() == JsonToken.FIELD_NAME) {
      String name = in.currentName();
      Object k;
      try {
        k = key.fromKey(name);
      } catch (ValueException x) {
        throw x.at("[" + Wire.quote(name) + "]");
      }
      in.nextToken();
      Object v;
      try {
        v = value.readElement(in, this);
      } catch (ValueException x) {
        throw x.at("[" + Wire.quote(name) + "]");
      }
      if (entries.putIfAbsent(k, v) != null) {
        throw new ValueException("duplicate key in a " + describe())
            .at("[" + Wire.quote(name) + "]");
      }
    }
    return Collections.unmodifiableMap(entries);
  }
}
