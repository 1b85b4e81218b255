package dev.dobj.rpc.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** An enum: constants pass as they are; on the wire, the constant's name. A valid map key. */
final class EnumPlan extends Plan {
  private final Class<?> enumClass;
  private final Map<String, Object> byName;
  private final long fixedSize;

  EnumPlan(Class<?> enumClass) {
    super(enumClass);
    this.enumClass = enumClass;
    Map<String, Object> names = new HashMap<>();
    int longest = 0;
    for (Object constant : enumClass.getEnumConstants()) {
      String name = ((Enum<?>) constant).name();
      names.put(name, constant);
      longest = Math.max(longest, name.length());
    }
    this.byName = Map.copyOf(names);
    this.fixedSize = longest + 2L;
    this.immutable = true;
    this.trivial = true;
  }

  @Override
  long fixedSize() {
    return fixedSize;
  }

  @Override
  Object copy(Object value, Budget budget) {
    if (!enumClass.isInstance(value)) {
      throw mismatch(value);
    }
    budget.add(fixedSize);
    return value;
  }

  @Override
  void write(JsonGenerator out, Object value) throws IOException {
    out.writeString(toKey(value));
  }

  @Override
  Object read(JsonParser in) throws IOException {
    if (in.currentToken() != JsonToken.VALUE_STRING) {
      throw unexpected(in, "a JSON string naming a constant");
    }
    return fromKey(in.getText());
  }

  @Override
  String toKey(Object value) {
    if (!enumClass.isInstance(value)) {
      throw mismatch(value);
    }
    return ((Enum<?>) value).name();
  }

  @Override
  Object fromKey(String key) {
    Object constant = byName.get(key);
    if (constant == null) {
      throw new ValueException(Wire.quote(key) + " is not a constant of " + describe());
    }
    return constant;
  }
}
