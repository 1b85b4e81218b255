package dev.dobj.rpc.codec;

import dev.dobj.DurableObjectId;
import dev.dobj.DurableObjectStub;
import dev.dobj.fetch.Request;
import dev.dobj.fetch.Response;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One planning session: turns declared types into plans, reusing the codec's published plans, then
 * computes the flags of the new composite plans and publishes them. Confined to the thread that
 * plans; a failed session publishes nothing. Two sessions racing on one type both build a plan;
 * either may be published, and both are equivalent.
 *
 * <p>Flags are fixpoints because types may be recursive ({@code record Node(int v, Node next)}):
 * {@code immutable} is the greatest (a cycle of immutable records is immutable), {@code trivial}
 * the least (a cycle is unbounded in size, so never trivial).
 */
final class Planner {
  private static final String KEYS =
      "map keys must be strings, numbers, booleans, characters, enums, BigInteger, BigDecimal,"
          + " Instant, Duration or LocalDate";

  private final Map<Type, Plan> published;
  private final References references;
  private final int limit;
  private final Map<Type, Plan> building = new HashMap<>();
  private final List<Plan> created = new ArrayList<>();

  Planner(Map<Type, Plan> published, References references, int limit) {
    this.published = published;
    this.references = references;
    this.limit = limit;
  }

  /**
   * The plan of {@code type}, not usable before {@link #publish()}.
   *
   * @throws UnsupportedTypeException if the type or a type inside it cannot be copied
   */
  Plan plan(Type type) {
    return plan(type, "");
  }

  /** Computes the flags of the plans made by this session and publishes them. */
  void publish() {
    for (Plan p : created) {
      p.immutable = true;
      p.trivial = false;
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Plan p : created) {
        if (p.immutable && !p.deriveImmutable()) {
          p.immutable = false;
          changed = true;
        }
      }
    }
    changed = true;
    while (changed) {
      changed = false;
      for (Plan p : created) {
        if (!p.trivial && p.immutable && p.deriveTrivial()) {
          p.trivial = true;
          changed = true;
        }
      }
    }
    for (Plan p : created) {
      p.finish();
    }
    building.forEach(published::putIfAbsent);
  }

  private Plan plan(Type type, String context) {
    Plan plan = published.get(type);
    if (plan == null) {
      plan = building.get(type);
    }
    if (plan == null) {
      plan = make(type, context);
      building.putIfAbsent(type, plan);
    }
    return plan;
  }

  private Plan make(Type type, String context) {
    if (type instanceof Class<?> c) {
      return makeForClass(c, context);
    }
    if (type instanceof ParameterizedType p) {
      return makeParameterized(p, (Class<?>) p.getRawType(), context);
    }
    if (type instanceof WildcardType w) {
      Type[] upper = w.getUpperBounds();
      if (w.getLowerBounds().length == 0 && upper.length == 1 && upper[0] != Object.class) {
        return plan(upper[0], context);
      }
      throw refuse(type, context, "a wildcard needs an upper bound, e.g. ? extends Point");
    }
    if (type instanceof TypeVariable<?> v) {
      throw refuse(
          type,
          context,
          "type variable " + v.getName() + " is not bound to a type here; declare a concrete type");
    }
    if (type instanceof GenericArrayType) {
      throw refuse(type, context, "only arrays of primitives can be copied; use a List");
    }
    throw refuse(type, context, null);
  }

  private Plan makeForClass(Class<?> c, String context) {
    Plan leaf = ScalarPlan.of(c);
    if (leaf == null) {
      leaf = ArrayPlan.of(c);
    }
    if (leaf == null) {
      leaf = PrimitiveOptionalPlan.of(c);
    }
    if (leaf == null && c == DurableObjectId.class) {
      leaf = new IdPlan(references);
    }
    if (leaf == null && (c == Request.class || c == Response.class)) {
      leaf = new HttpPlan(c, limit);
    }
    if (leaf == null && c.isEnum()) {
      leaf = new EnumPlan(c);
    }
    if (leaf != null) {
      return leaf;
    }
    if (c.isInterface() && c.isSealed() && c.getTypeParameters().length > 0) {
      throw refuse(c, context, "generic sealed interfaces are not supported");
    }
    if (c.getTypeParameters().length > 0) {
      throw refuse(
          c,
          context,
          "the raw type "
              + c.getName()
              + " needs its type arguments, e.g. "
              + c.getSimpleName()
              + "<String>");
    }
    if (c.isRecord()) {
      return makeRecord(c, c, Map.of(), context);
    }
    if (c.isInterface() && c.isSealed()) {
      return makeSealed(c, context);
    }
    if (c.isArray()) {
      throw refuse(c, context, "only arrays of primitives can be copied; use a List");
    }
    if (c.isInterface()) {
      throw refuse(c, context, "an interface must be sealed and permit only records and enums");
    }
    if (Collection.class.isAssignableFrom(c) || Map.class.isAssignableFrom(c)) {
      throw refuse(c, context, "declare collections as List, Set or Map");
    }
    throw refuse(c, context, null);
  }

  private Plan makeParameterized(ParameterizedType p, Class<?> raw, String context) {
    Type[] args = p.getActualTypeArguments();
    String inside = p.getTypeName();
    if (raw == List.class) {
      return collection(new ListPlan(p, plan(args[0], "element of " + inside)));
    }
    if (raw == Set.class) {
      return collection(new SetPlan(p, plan(args[0], "element of " + inside)));
    }
    if (raw == Map.class) {
      Plan key = plan(args[0], "key of " + inside);
      if (!(key instanceof EnumPlan)
          && !(key instanceof ScalarPlan scalar && scalar.isKeyType() && !scalar.primitive())) {
        throw new UnsupportedTypeException(args[0].getTypeName(), "key of " + inside, KEYS);
      }
      return collection(new MapPlan(p, key, plan(args[1], "value of " + inside)));
    }
    if (raw == Optional.class) {
      return collection(new OptionalPlan(p, plan(args[0], "element of " + inside)));
    }
    if (raw == DurableObjectStub.class) {
      return new StubPlan(p, rpcInterface(args[0], inside), references);
    }
    if (raw.isRecord()) {
      TypeVariable<?>[] variables = raw.getTypeParameters();
      Map<TypeVariable<?>, Type> bindings = new HashMap<>();
      for (int i = 0; i < variables.length; i++) {
        bindings.put(variables[i], args[i]);
      }
      return makeRecord(p, raw, bindings, context);
    }
    if (raw.isInterface() && raw.isSealed()) {
      throw refuse(p, context, "generic sealed interfaces are not supported");
    }
    if (Collection.class.isAssignableFrom(raw) || Map.class.isAssignableFrom(raw)) {
      throw refuse(p, context, "declare collections as List, Set or Map");
    }
    throw refuse(p, context, null);
  }

  private Class<?> rpcInterface(Type argument, String inside) {
    Type t = argument;
    if (t instanceof WildcardType w
        && w.getLowerBounds().length == 0
        && w.getUpperBounds().length == 1) {
      t = w.getUpperBounds()[0];
    }
    if (t instanceof ParameterizedType p) {
      t = p.getRawType();
    }
    if (t instanceof Class<?> c && c != Object.class) {
      return c;
    }
    throw refuse(
        argument,
        "type argument of " + inside,
        "a stub must name its RPC interface, e.g. DurableObjectStub<Counter>");
  }

  private Plan collection(Plan plan) {
    created.add(plan);
    return plan;
  }

  private Plan makeRecord(
      Type type, Class<?> c, Map<TypeVariable<?>, Type> bindings, String context) {
    RecordPlan plan = new RecordPlan(type, c, context);
    building.put(type, plan);
    created.add(plan);
    RecordComponent[] components = c.getRecordComponents();
    Plan[] plans = new Plan[components.length];
    boolean[] erased = new boolean[components.length];
    for (int i = 0; i < components.length; i++) {
      Type declared = components[i].getGenericType();
      erased[i] = ResolvedType.mentionsVariable(declared);
      plans[i] =
          plan(
              ResolvedType.substitute(declared, bindings),
              "component " + components[i].getName() + " of record " + type.getTypeName());
    }
    plan.setComponents(plans, erased);
    return plan;
  }

  private Plan makeSealed(Class<?> sealed, String context) {
    SealedPlan plan = new SealedPlan(sealed);
    building.put(sealed, plan);
    created.add(plan);
    List<Class<?>> leaves = new ArrayList<>();
    collectLeaves(sealed, leaves, context);
    int n = leaves.size();
    Class<?>[] classes = leaves.toArray(new Class<?>[0]);
    String[] names = new String[n];
    Plan[] plans = new Plan[n];
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < n; i++) {
      names[i] = classes[i].getSimpleName();
      if (index.put(names[i], i) != null) {
        throw refuse(
            sealed,
            context,
            "two permitted subclasses are named "
                + names[i]
                + ", but the wire tells them apart by simple name; rename one");
      }
      plans[i] = plan(classes[i], "permitted subclass " + names[i] + " of " + sealed.getTypeName());
    }
    plan.setVariants(classes, names, plans, Map.copyOf(index));
    return plan;
  }

  private void collectLeaves(Class<?> sealed, List<Class<?>> leaves, String context) {
    Class<?>[] permitted = sealed.getPermittedSubclasses();
    if (permitted == null) {
      throw refuse(sealed, context, "the permitted subclasses cannot be loaded");
    }
    for (Class<?> c : permitted) {
      if (c.isInterface() && c.isSealed()) {
        if (c.getTypeParameters().length > 0) {
          throw refuse(
              c,
              "permitted subclass of " + sealed.getTypeName(),
              "generic sealed" + " interfaces are not supported");
        }
        if (!leaves.contains(c)) {
          collectLeaves(c, leaves, context);
        }
      } else if (c.isRecord() || c.isEnum()) {
        if (!leaves.contains(c)) {
          leaves.add(c);
        }
      } else {
        throw refuse(
            c,
            "permitted subclass of " + sealed.getTypeName(),
            "a sealed interface must permit only records, enums and sealed interfaces");
      }
    }
  }

  /** The refusal of {@code type}: what RPC values may be, then {@code hint} if any. */
  private static UnsupportedTypeException refuse(Type type, String context, String hint) {
    String reason = UnsupportedTypeException.SUPPORTED + (hint == null ? "" : "; " + hint);
    return new UnsupportedTypeException(type.getTypeName(), context, reason);
  }
}
