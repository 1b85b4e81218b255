package dev.dobj.rpc.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A record, copied component by component through its canonical constructor; on the wire, a JSON
 * object with one property per component (all required, no others). A null component stays null.
 *
 * <p>Accessors and the canonical constructor are method handles found when the plan is made: with
 * the public lookup when the record is public in an exported package, else with a private lookup,
 * which needs the record's package to be open to this module (always true on the class path).
 *
 * <p>Built in two steps because records may be recursive: the {@link Planner} creates the plan,
 * registers it, then plans the components and calls {@link #setComponents}.
 */
final class RecordPlan extends Plan {
  /** {@link #copyComponentValue}, for the fused copiers. */
  private static final MethodHandle COPY_COMPONENT;

  static {
    try {
      COPY_COMPONENT =
          MethodHandles.lookup()
              .findVirtual(
                  RecordPlan.class,
                  "copyComponentValue",
                  MethodType.methodType(Object.class, int.class, Object.class, Budget.class));
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("RecordPlan.copyComponentValue is missing", e);
    }
  }

  private final Class<?> recordClass;
  private final String[] names;
  private final SerializableString[] wireNames;
  private final MethodHandle[] exactAccessors; // (R)Ci
  private final MethodHandle exactConstructor; // (C0..Cn-1)R
  private final MethodHandle[] accessors; // (Object)Object
  private final MethodHandle constructor; // (Object[])Object
  private final Map<String, Integer> index;

  // Set once by the Planner before the plan is published.
  private Plan[] components;
  private boolean[] erased;

  // Computed by finish() before the plan is published.
  private boolean[] passThrough; // components taken as they are (trivial, statically typed)
  private int[] examined; // the other components
  private long fixedPart;
  private MethodHandle copier; // (Object record, Budget)Object: the whole copy, fused

  /**
   * @throws UnsupportedTypeException if the record's members are not accessible to this module
   */
  RecordPlan(Type type, Class<?> recordClass, String context) {
    super(type);
    this.recordClass = recordClass;
    RecordComponent[] rc = recordClass.getRecordComponents();
    int n = rc.length;
    this.names = new String[n];
    this.wireNames = new SerializableString[n];
    Map<String, Integer> byName = new HashMap<>();
    Class<?>[] types = new Class<?>[n];
    for (int i = 0; i < n; i++) {
      names[i] = rc[i].getName();
      wireNames[i] = new SerializedString(names[i]);
      byName.put(names[i], i);
      types[i] = rc[i].getType();
    }
    this.index = Map.copyOf(byName);
    this.exactAccessors = new MethodHandle[n];
    this.accessors = new MethodHandle[n];
    try {
      MethodHandles.Lookup lookup = lookupFor(recordClass);
      for (int i = 0; i < n; i++) {
        exactAccessors[i] = lookup.unreflect(rc[i].getAccessor());
        accessors[i] = exactAccessors[i].asType(MethodType.methodType(Object.class, Object.class));
      }
      exactConstructor = lookup.unreflectConstructor(recordClass.getDeclaredConstructor(types));
    } catch (IllegalAccessException | NoSuchMethodException e) {
      throw new UnsupportedTypeException(
          recordClass.getTypeName(),
          context,
          "record "
              + recordClass.getName()
              + " is not accessible to module dev.dobj.rpc ("
              + e.getMessage()
              + "); make it public in an exported package, or open its package to dev.dobj.rpc");
    }
    this.constructor =
        exactConstructor
            .asSpreader(Object[].class, n)
            .asType(MethodType.methodType(Object.class, Object[].class));
  }

  private static MethodHandles.Lookup lookupFor(Class<?> c) throws IllegalAccessException {
    MethodHandles.Lookup publicLookup = MethodHandles.publicLookup();
    try {
      publicLookup.accessClass(c);
      for (RecordComponent component : c.getRecordComponents()) {
        publicLookup.unreflect(component.getAccessor());
      }
      return publicLookup;
    } catch (IllegalAccessException notPublic) {
      // A private lookup needs this module to read the record's module, which it may add itself.
      RecordPlan.class.getModule().addReads(c.getModule());
      return MethodHandles.privateLookupIn(c, MethodHandles.lookup());
    }
  }

  /**
   * @param erased for each component, whether its declared type mentions a type variable (so the
   *     runtime class of its value is not guaranteed by the compiler)
   */
  void setComponents(Plan[] components, boolean[] erased) {
    this.components = components;
    this.erased = erased;
  }

  @Override
  List<Plan> children() {
    return Arrays.asList(components);
  }

  @Override
  boolean deriveImmutable() {
    for (Plan component : components) {
      if (!component.immutable) {
        return false;
      }
    }
    return true;
  }

  @Override
  boolean deriveTrivial() {
    for (int i = 0; i < components.length; i++) {
      if (!components[i].trivial || erased[i]) {
        return false;
      }
    }
    return true;
  }

  @Override
  void finish() {
    int n = components.length;
    passThrough = new boolean[n];
    List<Integer> others = new ArrayList<>();
    long size = 2;
    for (int i = 0; i < n; i++) {
      size += names[i].length() + 4;
      passThrough[i] = components[i].trivial && !erased[i];
      if (passThrough[i]) {
        size += components[i].fixedSize();
      } else {
        others.add(i);
      }
    }
    examined = others.stream().mapToInt(Integer::intValue).toArray();
    fixedPart = size;
    if (!immutable) {
      copier = fuseCopier();
    }
  }

  /**
   * One method handle for the whole copy: {@code new R(g0(r, b), ..., gn-1(r, b))} where {@code gi}
   * is the accessor, followed by the component's plan unless the component passes through. After
   * some calls the JVM customizes the handle's lambda forms to this instance, so the accessors, the
   * constructor and the component plans become constants and inline, with no boxing of primitive
   * components; much faster than calling each handle from a loop.
   */
  private MethodHandle fuseCopier() {
    int n = components.length;
    MethodHandle fused = exactConstructor;
    for (int i = n - 1; i >= 0; i--) {
      MethodHandle get =
          exactAccessors[i].asType(exactAccessors[i].type().changeParameterType(0, Object.class));
      MethodHandle g;
      if (passThrough[i]) {
        g = MethodHandles.dropArguments(get, 1, Budget.class);
      } else {
        MethodHandle copyOne = MethodHandles.insertArguments(COPY_COMPONENT, 0, this, i);
        g =
            MethodHandles.collectArguments(
                    copyOne, 0, get.asType(get.type().changeReturnType(Object.class)))
                .asType(MethodType.methodType(get.type().returnType(), Object.class, Budget.class));
      }
      fused = MethodHandles.collectArguments(fused, i, g);
    }
    // n > 0: a record without components is immutable and never needs a copier.
    MethodType target = MethodType.methodType(Object.class, Object.class, Budget.class);
    int[] reorder = new int[2 * n];
    for (int i = 0; i < n; i++) {
      reorder[2 * i] = 0;
      reorder[2 * i + 1] = 1;
    }
    return MethodHandles.permuteArguments(
        fused.asType(fused.type().changeReturnType(Object.class)), target, reorder);
  }

  /** The copy of component {@code i}, whose value is {@code value}; called by the fused copier. */
  private Object copyComponentValue(int i, Object value, Budget budget) {
    try {
      return components[i].copyNullable(value, budget);
    } catch (ValueException e) {
      throw e.at("." + names[i]);
    }
  }

  @Override
  long fixedSize() {
    long size = 2;
    for (int i = 0; i < components.length; i++) {
      size += names[i].length() + 4 + components[i].fixedSize();
    }
    return size;
  }

  @Override
  Object copy(Object value, Budget budget) {
    if (value.getClass() != recordClass) {
      throw mismatch(value);
    }
    budget.enter();
    budget.add(fixedPart);
    Object result;
    if (immutable) {
      for (int i : examined) {
        copyComponent(i, value, budget);
      }
      result = value;
    } else {
      result = copyFused(value, budget);
    }
    budget.exit();
    return result;
  }

  private Object copyComponent(int i, Object record, Budget budget) {
    try {
      return components[i].copyNullable(get(i, record), budget);
    } catch (ValueException e) {
      throw e.at("." + names[i]);
    }
  }

  private Object copyFused(Object record, Budget budget) {
    try {
      return (Object) copier.invokeExact(record, budget);
    } catch (ValueException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new ValueException(
          "copying record "
              + recordClass.getName()
              + " failed, in an accessor or the canonical"
              + " constructor: "
              + e,
          e);
    }
  }

  private Object get(int i, Object record) {
    try {
      return (Object) accessors[i].invokeExact(record);
    } catch (Error e) {
      throw e;
    } catch (Throwable e) {
      throw new ValueException(
          "accessor " + names[i] + "() of record " + recordClass.getName() + " threw " + e, e);
    }
  }

  private Object construct(Object[] values) {
    try {
      return (Object) constructor.invokeExact(values);
    } catch (Error e) {
      throw e;
    } catch (Throwable e) {
      throw new ValueException(
          "the canonical constructor of record "
              + recordClass.getName()
              + " refused the value: "
              + e,
          e);
    }
  }

  @Override
  void write(JsonGenerator out, Object value) throws IOException {
    if (value.getClass() != recordClass) {
      throw mismatch(value);
    }
    out.writeStartObject();
    for (int i = 0; i < components.length; i++) {
      out.writeFieldName(wireNames[i]);
      try {
        components[i].writeNullable(out, get(i, value));
      } catch (ValueException e) {
        throw e.at("." + names[i]);
      }
    }
    out.writeEndObject();
  }

  @Override
  Object read(JsonParser in) throws IOException {
    if (in.currentToken() != JsonToken.START_OBJECT) {
      throw unexpected(in, "a JSON object");
    }
    int n = components.length;
    Object[] values = new Object[n];
    boolean[] seen = new boolean[n];
    while (in.nextToken() == JsonToken.FIELD_NAME) {
      String name = in.currentName();
      Integer i = index.get(name);
      if (i == null) {
        throw new ValueException(
            "unknown property "
                + Wire.quote(name)
                + " for record "
                + describe()
                + Wire.location(in));
      }
      if (seen[i]) {
        throw new ValueException("duplicate property " + Wire.quote(name) + Wire.location(in));
      }
      seen[i] = true;
      in.nextToken();
      try {
        values[i] = components[i].readNullable(in);
      } catch (ValueException e) {
        throw e.at("." + names[i]);
      }
    }
    for (int i = 0; i < n; i++) {
      if (!seen[i]) {
        throw new ValueException(
            "missing property " + Wire.quote(names[i]) + " of record " + describe());
      }
    }
    return construct(values);
  }
}
