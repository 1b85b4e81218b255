package dev.dobj.rpc.codec;

import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How the arguments and the result of one RPC method are copied and encoded. Made by {@link
 * RpcCodec#plan(Method)}; immutable and thread-safe.
 *
 * <p>Every method refuses a value that does not fit the declared types (a runtime class that is not
 * the declared one, e.g. through an unchecked cast; null inside a collection) with an {@link
 * IllegalArgumentException} naming the parameter (or result), the method and the runtime class, and
 * a message over the codec's limit with Cloudflare's words: {@code Serialized RPC arguments or
 * return values are limited to 32MiB, but the size of this value was N bytes.}
 *
 * <p>On the wire, the arguments are a JSON array with one element per parameter, and the result is
 * one JSON value; decoding builds only the declared types.
 */
public final class MethodPlan {
  private final Method method;
  private final String key;
  private final String description;
  private final Plan[] parameters;
  private final Plan result;
  private final Wire wire;
  private final boolean argumentsImmutable;
  private final boolean argumentsTrivial;
  private final long trivialArgumentsSize;

  MethodPlan(Method method, String description, Plan[] parameters, Plan result, Wire wire) {
    this.method = method;
    this.key = keyOf(method);
    this.description = description;
    this.parameters = parameters;
    this.result = result;
    this.wire = wire;
    boolean immutable = true;
    boolean trivial = true;
    long size = 2 + parameters.length;
    for (Plan p : parameters) {
      immutable &= p.immutable;
      trivial &= p.trivial;
      if (p.trivial) {
        size += p.fixedSize();
      }
    }
    this.argumentsImmutable = immutable;
    this.argumentsTrivial = trivial;
    this.trivialArgumentsSize = size;
  }

  static String describe(Method method) {
    return method.getDeclaringClass().getSimpleName()
        + "."
        + method.getName()
        + Arrays.stream(method.getParameterTypes())
            .map(Class::getSimpleName)
            .collect(Collectors.joining(",", "(", ")"));
  }

  private static String keyOf(Method method) {
    return method.getName()
        + Arrays.stream(method.getParameterTypes())
            .map(Class::getTypeName)
            .collect(Collectors.joining(",", "(", ")"));
  }

  /** The method this plan is for. */
  public Method method() {
    return method;
  }

  /**
   * The stable wire id of the method: its name and the erased types of its parameters, e.g. {@code
   * increment()} or {@code add(long,java.lang.String)}. Independent of parameter names and of the
   * declaring interface; distinct for overloads.
   */
  public String key() {
    return key;
  }

  /**
   * Whether no argument ever needs a copy: {@link #copyArguments} then returns its argument array
   * itself (and, when the arguments' sizes are bounded too, does no work at all).
   */
  public boolean argumentsImmutable() {
    return argumentsImmutable;
  }

  /** Whether the result never needs a copy: {@link #copyResult} then returns its argument. */
  public boolean resultImmutable() {
    return result.immutable;
  }

  /**
   * Copies the arguments of one call for the callee: mutable values are copied deeply, immutable
   * ones passed as they are, stubs replaced by new stubs ({@link References#copyStub}).
   *
   * @param args the arguments, as a proxy receives them; null for a method without parameters
   * @return the copies, in a new array unless {@link #argumentsImmutable()}; null if {@code args}
   *     was null
   * @throws IllegalArgumentException if the number of arguments is wrong, a value does not fit its
   *     declared type, or the arguments are over the size limit
   */
  public Object[] copyArguments(Object[] args) {
    checkCount(args);
    if (argumentsTrivial) {
      return args;
    }
    Budget budget = new Budget(wire.limit());
    budget.add(trivialArgumentsSize);
    Object[] copies = argumentsImmutable ? args : new Object[args.length];
    for (int i = 0; i < parameters.length; i++) {
      Plan p = parameters[i];
      if (p.trivial) {
        copies[i] = args[i];
        continue;
      }
      try {
        copies[i] = p.copyNullable(args[i], budget);
      } catch (ValueException e) {
        throw failure("copy", p, parameter(i), e);
      }
    }
    budget.check();
    return copies;
  }

  /**
   * Copies a result for the caller, as {@link #copyArguments} does.
   *
   * @throws IllegalArgumentException if the result does not fit the declared return type, or is
   *     over the size limit
   */
  public Object copyResult(Object value) {
    if (result.trivial) {
      return value;
    }
    Budget budget = new Budget(wire.limit());
    Object copy;
    try {
      copy = result.copyNullable(value, budget);
    } catch (ValueException e) {
      throw failure("copy", result, resultWhere(), e);
    }
    budget.check();
    return copy;
  }

  /**
   * Encodes the arguments of one call as a JSON array.
   *
   * @param args the arguments; null for a method without parameters
   * @throws IllegalArgumentException if the number of arguments is wrong, a value does not fit its
   *     declared type or cannot be sent (a request carrying a WebSocket), or the encoding is over
   *     the size limit
   */
  public byte[] encodeArguments(Object[] args) {
    checkCount(args);
    Object[] values = args == null ? new Object[0] : args;
    try {
      return wire.encode(
          out -> {
            out.writeStartArray();
            for (int i = 0; i < parameters.length; i++) {
              try {
                parameters[i].writeNullable(out, values[i]);
              } catch (ValueException e) {
                throw failure("encode", parameters[i], parameter(i), e);
              } catch (IOException e) {
                throw failure(
                    "encode", parameters[i], parameter(i), new ValueException(Wire.describe(e), e));
              }
            }
            out.writeEndArray();
          });
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Cannot encode the RPC arguments of " + description + ": " + Wire.describe(e), e);
    }
  }

  /**
   * Decodes arguments encoded by {@link #encodeArguments}, building only the declared types.
   *
   * @return the arguments, an empty array for a method without parameters
   * @throws IllegalArgumentException "Cannot decode RPC arguments of Counter.add(long): ..." if the
   *     bytes are not JSON, not an array of one value per parameter, or a value does not fit its
   *     declared type (unknown or missing properties, a wrong type of value, a name that is not a
   *     permitted subclass, a record constructor that refuses the values, ...); nothing decoded so
   *     far escapes
   * @throws NullPointerException if {@code bytes} is null
   */
  public Object[] decodeArguments(byte[] bytes) {
    String what = "RPC arguments of " + description;
    try {
      return wire.decode(
          bytes,
          in -> {
            if (in.currentToken() != JsonToken.START_ARRAY) {
              throw new ValueException(
                  "expected a JSON array of "
                      + parameters.length
                      + " arguments, found "
                      + Wire.describeToken(in));
            }
            Object[] values = new Object[parameters.length];
            for (int i = 0; i < parameters.length; i++) {
              if (in.nextToken() == JsonToken.END_ARRAY) {
                throw new ValueException(
                    "expected " + parameters.length + " arguments, found " + i);
              }
              try {
                values[i] = parameters[i].readNullable(in);
              } catch (ValueException e) {
                throw new ValueException("parameter " + i + ": " + e.describe(), e.getCause());
              } catch (IOException e) {
                throw new ValueException("parameter " + i + ": " + Wire.describe(e), e);
              }
            }
            if (in.nextToken() != JsonToken.END_ARRAY) {
              throw new ValueException(
                  "expected " + parameters.length + " arguments, found more" + Wire.location(in));
            }
            return values;
          });
    } catch (ValueException e) {
      throw decodeFailure(what, e.describe(), e.getCause());
    } catch (IOException e) {
      throw decodeFailure(what, Wire.describe(e), e);
    }
  }

  /**
   * Encodes a result as one JSON value ({@code null} for {@code void}).
   *
   * @throws IllegalArgumentException if the result does not fit the declared return type or cannot
   *     be sent, or the encoding is over the size limit
   */
  public byte[] encodeResult(Object value) {
    try {
      return wire.encode(out -> result.writeNullable(out, value));
    } catch (ValueException e) {
      throw failure("encode", result, resultWhere(), e);
    } catch (IOException e) {
      throw failure("encode", result, resultWhere(), new ValueException(Wire.describe(e), e));
    }
  }

  /**
   * Decodes a result encoded by {@link #encodeResult}, building only the declared type.
   *
   * @throws IllegalArgumentException "Cannot decode the RPC result of Counter.get(): ..." as for
   *     {@link #decodeArguments}
   * @throws NullPointerException if {@code bytes} is null
   */
  public Object decodeResult(byte[] bytes) {
    String what = "the RPC result of " + description;
    try {
      return wire.decode(bytes, result::readNullable);
    } catch (ValueException e) {
      throw decodeFailure(what, e.describe(), e.getCause());
    } catch (IOException e) {
      throw decodeFailure(what, Wire.describe(e), e);
    }
  }

  private void checkCount(Object[] args) {
    int given = args == null ? 0 : args.length;
    if (given != parameters.length) {
      throw new IllegalArgumentException(
          description + " takes " + parameters.length + " arguments, but " + given + " were given");
    }
  }

  private String parameter(int i) {
    return " for parameter " + i + " of " + description;
  }

  private String resultWhere() {
    return " for the result of " + description;
  }

  private static IllegalArgumentException failure(
      String verb, Plan plan, String where, ValueException e) {
    return new IllegalArgumentException(
        "Cannot " + verb + " " + plan.describe() + where + ": " + e.describe(), e.getCause());
  }

  private static IllegalArgumentException decodeFailure(
      String what, String reason, Throwable cause) {
    return new IllegalArgumentException("Cannot decode " + what + ": " + reason, cause);
  }

  @Override
  public String toString() {
    return "MethodPlan[" + key + "]";
  }
}
