package dev.dobj.rpc.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A sealed interface whose permitted subclasses (through nested sealed interfaces) are records and
 * enums. A value is copied by the plan of its variant. On the wire, an object with one property:
 * the simple name of the variant, then its value, e.g. {@code {"Circle":{"radius":1.0}}}; the name
 * only ever selects among the permitted subclasses, never a class by name.
 *
 * <p>Built in two steps like {@link RecordPlan}, since variants may refer back to the interface.
 */
final class SealedPlan extends Plan {
  // Set once by the Planner before the plan is published.
  private Class<?>[] variantClasses;
  private String[] variantNames;
  private Plan[] variants;
  private Map<String, Integer> byName;
  private long wrapperSize;

  SealedPlan(Class<?> sealedInterface) {
    super(sealedInterface);
  }

  void setVariants(Class<?>[] classes, String[] names, Plan[] plans, Map<String, Integer> index) {
    this.variantClasses = classes;
    this.variantNames = names;
    this.variants = plans;
    this.byName = index;
    long longest = 0;
    for (String name : names) {
      longest = Math.max(longest, name.length());
    }
    this.wrapperSize = longest + 6;
  }

  @Override
  List<Plan> children() {
    return Arrays.asList(variants);
  }

  @Override
  boolean deriveImmutable() {
    for (Plan variant : variants) {
      if (!variant.immutable) {
        return false;
      }
    }
    return true;
  }

  @Override
  boolean deriveTrivial() {
    for (Plan variant : variants) {
      if (!variant.trivial) {
        return false;
      }
    }
    return true;
  }

  @Override
  long fixedSize() {
    long largest = 0;
    for (Plan variant : variants) {
      largest = Math.max(largest, variant.fixedSize());
    }
    return wrapperSize + largest;
  }

  private int variantOf(Object value) {
    Class<?> c = value instanceof Enum<?> e ? e.getDeclaringClass() : value.getClass();
    for (int i = 0; i < variantClasses.length; i++) {
      if (variantClasses[i] == c) {
        return i;
      }
    }
    throw mismatch(value);
  }

  @Override
  Object copy(Object value, Budget budget) {
    int i = variantOf(value);
    budget.enter();
    budget.add(wrapperSize);
    Object copy;
    try {
      copy = variants[i].copy(value, budget);
    } catch (ValueException e) {
      throw e.at("<" + variantNames[i] + ">");
    }
    budget.exit();
    return copy;
  }

  @Override
  void write(JsonGenerator out, Object value) throws IOException {
    int i = variantOf(value);
    out.writeStartObject();
    out.writeFieldName(variantNames[i]);
    try {
      variants[i].write(out, value);
    } catch (ValueException e) {
      throw e.at("<" + variantNames[i] + ">");
    }
    out.writeEndObject();
  }

  @Override
  Object read(JsonParser in) throws IOException {
    if (in.currentToken() != JsonToken.START_OBJECT || in.nextToken() != JsonToken.FIELD_NAME) {
      throw unexpected(in, "a JSON object with one property naming a permitted subclass");
    }
    String name = in.currentName();
    Integer i = byName.get(name);
    if (i == null) {
      throw new ValueException(
          Wire.quote(name)
              + " is not a permitted subclass of "
              + describe()
              + " (expected one of "
              + String.join(", ", variantNames)
              + ")"
              + Wire.location(in));
    }
    in.nextToken();
    Object value;
    try {
      value = variants[i].read(in);
    } catch (ValueException e) {
      throw e.at("<" + name + ">");
    }
    if (in.nextToken() != JsonToken.END_OBJECT) {
      throw unexpected(in, "the end of the object after the value of " + name);
    }
    return value;
  }
}
