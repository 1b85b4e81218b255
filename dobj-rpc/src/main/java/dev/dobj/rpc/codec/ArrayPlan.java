package dev.dobj.rpc.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.lang.reflect.Array;
import java.util.Arrays;

/**
 * Arrays of primitives, always cloned. On the wire: {@code byte[]} as a Base64 string, {@code
 * char[]} as a string, the others as JSON arrays of numbers or booleans.
 */
final class ArrayPlan extends Plan {
  private final Class<?> arrayClass;
  private final ScalarPlan element;

  private ArrayPlan(Class<?> arrayClass) {
    super(arrayClass);
    this.arrayClass = arrayClass;
    this.element = ScalarPlan.of(arrayClass.getComponentType());
    this.immutable = false;
    this.trivial = false;
  }

  /** The plan for {@code c}, or null if it is not an array of primitives. */
  static ArrayPlan of(Class<?> c) {
    return c.isArray() && c.getComponentType().isPrimitive() ? new ArrayPlan(c) : null;
  }

  @Override
  Object copy(Object value, Budget budget) {
    if (value.getClass() != arrayClass) {
      throw mismatch(value);
    }
    budget.add(size(value));
    if (budget.exceeded()) {
      return value; // the message is refused by Budget.check(); spare the copy
    }
    return switch (value) {
      case byte[] a -> a.clone();
      case int[] a -> a.clone();
      case long[] a -> a.clone();
      case double[] a -> a.clone();
      case char[] a -> a.clone();
      case boolean[] a -> a.clone();
      case short[] a -> a.clone();
      case float[] a -> a.clone();
      default -> throw mismatch(value);
    };
  }

  private static long size(Object array) {
    return switch (array) {
      case byte[] a -> Budget.base64Size(a.length);
      case char[] a -> a.length + 2L;
      case boolean[] a -> 2L + 6L * a.length;
      default -> 2L + 8L * Array.getLength(array);
    };
  }

  @Override
  void write(JsonGenerator out, Object value) throws IOException {
    if (value.getClass() != arrayClass) {
      throw mismatch(value);
    }
    switch (value) {
      case byte[] a -> out.writeBinary(a);
      case char[] a -> out.writeString(a, 0, a.length);
      case int[] a -> out.writeArray(a, 0, a.length);
      case long[] a -> out.writeArray(a, 0, a.length);
      case double[] a -> {
        out.writeStartArray(a, a.length);
        for (double d : a) {
          element.write(out, d);
        }
        out.writeEndArray();
      }
      default -> {
        int n = Array.getLength(value);
        out.writeStartArray(value, n);
        for (int i = 0; i < n; i++) {
          element.write(out, Array.get(value, i));
        }
        out.writeEndArray();
      }
    }
  }

  @Override
  Object read(JsonParser in) throws IOException {
    Class<?> component = arrayClass.getComponentType();
    if (component == byte.class) {
      if (in.currentToken() != JsonToken.VALUE_STRING) {
        throw unexpected(in, "a Base64 JSON string");
      }
      return in.getBinaryValue();
    }
    if (component == char.class) {
      if (in.currentToken() != JsonToken.VALUE_STRING) {
        throw unexpected(in, "a JSON string");
      }
      return in.getText().toCharArray();
    }
    if (in.currentToken() != JsonToken.START_ARRAY) {
      throw unexpected(in, "a JSON array");
    }
    Object array = Array.newInstance(component, 16);
    int n = 0;
    while (in.nextToken() != JsonToken.END_ARRAY) {
      Object e;
      try {
        e = element.readElement(in, this);
      } catch (ValueException x) {
        throw x.at("[" + n + "]");
      }
      if (n == Array.getLength(array)) {
        array = grow(array, n * 2);
      }
      Array.set(array, n++, e);
    }
    return grow(array, n);
  }

  private static Object grow(Object array, int length) {
    return switch (array) {
      case int[] a -> Arrays.copyOf(a, length);
      case long[] a -> Arrays.copyOf(a, length);
      case double[] a -> Arrays.copyOf(a, length);
      case boolean[] a -> Arrays.copyOf(a, length);
      case short[] a -> Arrays.copyOf(a, length);
      case float[] a -> Arrays.copyOf(a, length);
      default -> throw new AssertionError("not a grown array: " + array.getClass());
    };
  }
}
