package dev.dobj.rpc.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.List;

/**
 * How to copy, encode and decode the values of one declared type.
 *
 * <p>Two flags steer the fast paths. {@code immutable}: a value needs no copy ({@link #copy}
 * returns its argument, after checking and measuring it). {@code trivial}: besides, the value's
 * size is bounded and Java's static typing already guarantees its runtime class, so a record
 * component or a top-level argument of this type needs no work at all; such a plan has a {@link
 * #fixedSize()}.
 *
 * <p>Leaves set both flags in their constructor. For composite plans (records, sealed interfaces,
 * collections, {@code Optional}) the {@link Planner} computes them once all plans of a planning
 * session exist (recursive types make this a fixpoint), then calls {@link #finish()}, then
 * publishes the plans; the flags are written only before publication (through a {@code
 * ConcurrentHashMap} or final fields) and never after, so plans are safe to share between threads.
 *
 * <p>Methods that take a value take it non-null; nulls are handled by the {@code ...Nullable}
 * methods (allowed at the top and in record components) and refused inside collections.
 */
abstract class Plan {
  /** Encoded size of {@code null}. */
  static final int NULL_SIZE = 4;

  final Type type;
  boolean immutable;
  boolean trivial;

  Plan(Type type) {
    this.type = type;
  }

  /** The plans whose flags this plan's flags depend on; empty for leaves. */
  List<Plan> children() {
    return List.of();
  }

  /** Whether this plan is immutable given the current flags of its children. */
  boolean deriveImmutable() {
    return immutable;
  }

  /** Whether this (immutable) plan is trivial given the current flags of its children. */
  boolean deriveTrivial() {
    return trivial;
  }

  /** Precomputes fast-path tables once the flags of this plan and its children are final. */
  void finish() {}

  /** The estimated encoded size of any value of a trivial plan. */
  long fixedSize() {
    throw new AssertionError("fixedSize() of non-trivial plan " + describe());
  }

  /** Whether values are Java primitives (so null never decodes). */
  boolean primitive() {
    return false;
  }

  /**
   * Checks the runtime class of non-null {@code value}, adds its size to {@code budget}, and
   * returns a copy that shares no mutable state with it ({@code value} itself if immutable).
   *
   * @throws ValueException if the value does not fit this plan
   */
  abstract Object copy(Object value, Budget budget);

  /**
   * The whole encoding of {@code value} (not null) as a message of its own, written without a JSON
   * generator, or null if this plan has no such shortcut for it (the caller then uses {@link
   * #write}). Only for values whose encoding is a few ASCII bytes; never over the message limit.
   */
  byte[] encodeDirect(Object value) {
    return null;
  }

  /** Writes non-null {@code value}. */
  abstract void write(JsonGenerator out, Object value) throws IOException;

  /**
   * Reads a value whose first token is the parser's current token (never {@code VALUE_NULL}),
   * leaving the parser on the value's last token.
   */
  abstract Object read(JsonParser in) throws IOException;

  /** The map key of non-null {@code value}; only for plans that {@link Planner} allows as keys. */
  String toKey(Object value) {
    throw new AssertionError(describe() + " is not a map key type");
  }

  /** The key read back from {@link #toKey}. */
  Object fromKey(String key) {
    throw new AssertionError(describe() + " is not a map key type");
  }

  final Object copyNullable(Object value, Budget budget) {
    if (value == null) {
      budget.add(NULL_SIZE);
      return null;
    }
    return copy(value, budget);
  }

  final void writeNullable(JsonGenerator out, Object value) throws IOException {
    if (value == null) {
      out.writeNull();
    } else {
      write(out, value);
    }
  }

  final Object readNullable(JsonParser in) throws IOException {
    if (in.currentToken() == JsonToken.VALUE_NULL) {
      if (primitive()) {
        throw new ValueException("null where " + describe() + " was expected");
      }
      return null;
    }
    return read(in);
  }

  /** Copies an element of {@code container}, where null is refused. */
  final Object copyElement(Object value, Budget budget, Plan container) {
    if (value == null) {
      throw nullInside(container);
    }
    return copy(value, budget);
  }

  final void writeElement(JsonGenerator out, Object value, Plan container) throws IOException {
    if (value == null) {
      throw nullInside(container);
    }
    write(out, value);
  }

  final Object readElement(JsonParser in, Plan container) throws IOException {
    if (in.currentToken() == JsonToken.VALUE_NULL) {
      throw nullInside(container);
    }
    return read(in);
  }

  /** The declared type, for messages. */
  final String describe() {
    return type.getTypeName();
  }

  final ValueException mismatch(Object value) {
    return new ValueException(
        "found a " + value.getClass().getTypeName() + " where " + describe() + " was declared");
  }

  /** A decoding error: the current token is not what this plan reads. */
  final ValueException unexpected(JsonParser in, String expected) {
    return new ValueException(
        "expected "
            + expected
            + " for "
            + describe()
            + ", found "
            + Wire.describeToken(in)
            + Wire.location(in));
  }

  /** Reads one property of an object read by {@link #readProperties}. */
  interface PropertyReader {
    /** Reads the value of property {@code names[index]}, on its first token. */
    Object read(int index, JsonParser in) throws IOException;
  }

  /**
   * Reads a JSON object whose properties are exactly {@code names}, each once, in any order, and
   * returns their values in the order of {@code names}.
   */
  final Object[] readProperties(JsonParser in, String[] names, PropertyReader reader)
      throws IOException {
    if (in.currentToken() != JsonToken.START_OBJECT) {
      throw unexpected(in, "a JSON object");
    }
    Object[] values = new Object[names.length];
    boolean[] seen = new boolean[names.length];
    while (in.nextToken() == JsonToken.FIELD_NAME) {
      String name = in.currentName();
      int i = List.of(names).indexOf(name);
      if (i < 0) {
        throw new ValueException(
            "unknown property " + Wire.quote(name) + " for " + describe() + Wire.location(in));
      }
      if (seen[i]) {
        throw new ValueException("duplicate property " + Wire.quote(name) + Wire.location(in));
      }
      seen[i] = true;
      in.nextToken();
      try {
        values[i] = reader.read(i, in);
      } catch (ValueException e) {
        throw e.at("." + name);
      }
    }
    for (int i = 0; i < names.length; i++) {
      if (!seen[i]) {
        throw new ValueException("missing property " + Wire.quote(names[i]) + " of " + describe());
      }
    }
    return values;
  }

  /** Reads a JSON string, or null if {@code nullable} and the token is null. */
  final String readString(JsonParser in, boolean nullable) throws IOException {
    JsonToken token = in.currentToken();
    if (token == JsonToken.VALUE_STRING) {
      return in.getText();
    }
    if (nullable && token == JsonToken.VALUE_NULL) {
      return null;
    }
    throw unexpected(in, nullable ? "a JSON string or null" : "a JSON string");
  }

  private static ValueException nullInside(Plan container) {
    return new ValueException(
        "found null inside a "
            + container.describe()
            + "; RPC lists, sets, maps and Optionals cannot hold null");
  }
}
