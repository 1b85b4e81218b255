package dev.dobj.rpc.codec;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Copies the arguments and results of RPC calls by value, in process and on the wire.
 *
 * <p>A value is planned from its <em>declared</em> type (with generics) once; the plan is cached
 * and reused. Supported: primitives and their boxes, {@code String}, {@code BigInteger}, {@code
 * BigDecimal}, {@code Instant}, {@code Duration}, {@code LocalDate}, enums, records (of supported
 * types, generic ones with their type arguments), arrays of primitives, {@code List<E>}, {@code
 * Set<E>}, {@code Map<K, V>} (keys: strings, numbers, booleans, characters, enums, {@code
 * BigInteger}, {@code BigDecimal} or {@code java.time} values), {@code Optional<E>}, {@code
 * OptionalInt}/{@code Long}/{@code Double}, sealed interfaces that permit only records and enums,
 * {@code DurableObjectId}, {@code DurableObjectStub<T>}, {@code Request}, {@code Response}, and
 * {@code void}/{@code Void}. Everything else is refused when planned.
 *
 * <p>Null is allowed for a whole argument or result and for a record component, never inside a
 * list, set, map or {@code Optional}. Copies of lists, sets and maps are unmodifiable and keep the
 * source's iteration order. Immutable values (scalars, enums, ids, requests, responses, and records
 * and {@code Optional}s made only of those) are passed as they are.
 *
 * <p>Messages (the arguments of one call, or one result) are limited to {@code maxMessageBytes}:
 * estimated while copying, measured exactly when encoding.
 *
 * <p>Thread-safe: plans are cached in concurrent maps and immutable once published.
 */
public final class RpcCodec {
  /** Cloudflare's limit on one RPC message: 32 MiB. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 32 << 20;

  private final References references;
  private final int maxMessageBytes;
  private final Wire wire;
  private final ConcurrentHashMap<Type, Plan> plans = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Method, MethodPlan> methodPlans = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Type, ValuePlan> valuePlans = new ConcurrentHashMap<>();

  /**
   * A codec with the default limit of 32 MiB per message.
   *
   * @throws NullPointerException if {@code references} is null
   */
  public RpcCodec(References references) {
    this(references, DEFAULT_MAX_MESSAGE_BYTES);
  }

  /**
   * A codec that refuses messages over {@code maxMessageBytes}.
   *
   * @throws NullPointerException if {@code references} is null
   * @throws IllegalArgumentException if {@code maxMessageBytes} is not positive
   */
  public RpcCodec(References references, int maxMessageBytes) {
    this.references = Objects.requireNonNull(references, "references");
    if (maxMessageBytes <= 0) {
      throw new IllegalArgumentException(
          "RpcCodec maxMessageBytes must be positive, got " + maxMessageBytes);
    }
    this.maxMessageBytes = maxMessageBytes;
    this.wire = new Wire(maxMessageBytes);
  }

  /** The largest message, in bytes, this codec copies, encodes or decodes. */
  public int maxMessageBytes() {
    return maxMessageBytes;
  }

  /**
   * The plan for the parameters and result of {@code method}, made once and cached.
   *
   * @throws IllegalArgumentException if a parameter or the return type cannot be copied; the
   *     message names the type, the parameter (or result) and the method, e.g. {@code Cannot copy
   *     java.lang.Object for parameter 0 of Counter.add(Object): RPC values must be records, ...}
   * @throws NullPointerException if {@code method} is null
   */
  public MethodPlan plan(Method method) {
    Objects.requireNonNull(method, "method");
    MethodPlan cached = methodPlans.get(method);
    if (cached != null) {
      return cached;
    }
    String description = MethodPlan.describe(method);
    Type[] parameterTypes = method.getGenericParameterTypes();
    Planner planner = new Planner(plans, references, maxMessageBytes);
    Plan[] parameters = new Plan[parameterTypes.length];
    for (int i = 0; i < parameters.length; i++) {
      try {
        parameters[i] = planner.plan(parameterTypes[i]);
      } catch (UnsupportedTypeException e) {
        throw e.toIllegalArgument(" for parameter " + i + " of " + description);
      }
    }
    Plan result;
    try {
      result = planner.plan(method.getGenericReturnType());
    } catch (UnsupportedTypeException e) {
      throw e.toIllegalArgument(" for the result of " + description);
    }
    planner.publish();
    MethodPlan plan = new MethodPlan(method, description, parameters, result, wire);
    MethodPlan raced = methodPlans.putIfAbsent(method, plan);
    return raced != null ? raced : plan;
  }

  /**
   * The plan for values of {@code type} (for storage values and attachments), made once and cached.
   *
   * @throws IllegalArgumentException if the type cannot be copied; the message names it
   * @throws NullPointerException if {@code type} is null
   */
  public ValuePlan plan(Type type) {
    Objects.requireNonNull(type, "type");
    ValuePlan cached = valuePlans.get(type);
    if (cached != null) {
      return cached;
    }
    Planner planner = new Planner(plans, references, maxMessageBytes);
    Plan plan;
    try {
      plan = planner.plan(type);
    } catch (UnsupportedTypeException e) {
      throw e.toIllegalArgument("");
    }
    planner.publish();
    ValuePlan value = new ValuePlan(type, plan, wire);
    ValuePlan raced = valuePlans.putIfAbsent(type, value);
    return raced != null ? raced : value;
  }
}
