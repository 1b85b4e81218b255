package dev.dobj.rpc.codec;

import java.io.IOException;
import java.lang.reflect.Type;

/**
 * How values of one declared type are copied and encoded, for values that are not method arguments
 * (storage values, WebSocket attachments). Made by {@link RpcCodec#plan(Type)}; the same rules as
 * {@link MethodPlan}, with the same size limit per value. Immutable and thread-safe.
 */
public final class ValuePlan {
  private final Type type;
  private final Plan plan;
  private final Wire wire;

  ValuePlan(Type type, Plan plan, Wire wire) {
    this.type = type;
    this.plan = plan;
    this.wire = wire;
  }

  /** The declared type this plan is for. */
  public Type type() {
    return type;
  }

  /** Whether values never need a copy: {@link #copy} then returns its argument. */
  public boolean immutable() {
    return plan.immutable;
  }

  /**
   * A copy of {@code value} that shares no mutable state with it (the value itself if immutable);
   * null stays null.
   *
   * @throws IllegalArgumentException if the value does not fit the declared type, or is over the
   *     size limit
   */
  public Object copy(Object value) {
    if (plan.trivial) {
      return value;
    }
    Budget budget = new Budget(wire.limit());
    Object copy;
    try {
      copy = plan.copyNullable(value, budget);
    } catch (ValueException e) {
      throw failure("copy", e);
    }
    budget.check();
    return copy;
  }

  /**
   * The JSON encoding of {@code value} (null allowed).
   *
   * @throws IllegalArgumentException if the value does not fit the declared type or cannot be
   *     encoded, or the encoding is over the size limit
   */
  public byte[] encode(Object value) {
    byte[] direct = value == null ? null : plan.encodeDirect(value);
    if (direct != null) {
      return direct;
    }
    try {
      return wire.encode(out -> plan.writeNullable(out, value));
    } catch (ValueException e) {
      throw failure("encode", e);
    } catch (IOException e) {
      throw failure("encode", new ValueException(Wire.describe(e), e));
    }
  }

  /**
   * Decodes what {@link #encode} wrote, building only the declared type.
   *
   * @throws IllegalArgumentException "Cannot decode a value of type T: ..." if the bytes are not
   *     JSON or do not fit the declared type
   * @throws NullPointerException if {@code bytes} is null
   */
  public Object decode(byte[] bytes) {
    try {
      return wire.decode(bytes, plan::readNullable);
    } catch (ValueException e) {
      throw decodeFailure(e.describe(), e.getCause());
    } catch (IOException e) {
      throw decodeFailure(Wire.describe(e), e);
    }
  }

  private IllegalArgumentException failure(String verb, ValueException e) {
    return new IllegalArgumentException(
        "Cannot " + verb + " " + type.getTypeName() + ": " + e.describe(), e.getCause());
  }

  private IllegalArgumentException decodeFailure(String reason, Throwable cause) {
    return new IllegalArgumentException(
        "Cannot decode a value of type " + type.getTypeName() + ": " + reason, cause);
  }

  @Override
  public String toString() {
    return "ValuePlan[" + type.getTypeName() + "]";
  }
}
