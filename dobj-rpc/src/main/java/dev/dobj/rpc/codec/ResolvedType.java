package dev.dobj.rpc.codec;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A parameterized type built by substituting type variables, e.g. {@code List<T>} inside {@code
 * record Box<T>(List<T> items)} declared as {@code Box<String>} becomes {@code List<String>}. Equal
 * to (and hashed like) the JDK's own {@link ParameterizedType}s, so plans are cached under one key
 * whichever way the type was obtained.
 */
final class ResolvedType implements ParameterizedType {
  private final Class<?> raw;
  private final Type[] arguments;
  private final Type owner;

  private ResolvedType(Class<?> raw, Type[] arguments, Type owner) {
    this.raw = raw;
    this.arguments = arguments;
    this.owner = owner;
  }

  /**
   * {@code type} with the variables of {@code bindings} replaced; variables without a binding stay
   * (the planner refuses them).
   */
  static Type substitute(Type type, Map<TypeVariable<?>, Type> bindings) {
    if (bindings.isEmpty()) {
      return type;
    }
    if (type instanceof TypeVariable<?> variable) {
      return bindings.getOrDefault(variable, variable);
    }
    if (type instanceof ParameterizedType p) {
      Type[] args = p.getActualTypeArguments().clone();
      boolean changed = false;
      for (int i = 0; i < args.length; i++) {
        Type resolved = substitute(args[i], bindings);
        changed |= resolved != args[i];
        args[i] = resolved;
      }
      return changed ? new ResolvedType((Class<?>) p.getRawType(), args, p.getOwnerType()) : p;
    }
    if (type instanceof WildcardType w) {
      Type[] upper = w.getUpperBounds();
      if (w.getLowerBounds().length == 0 && upper.length == 1) {
        return substitute(upper[0], bindings);
      }
    }
    return type; // classes, and the shapes the planner refuses anyway
  }

  /** Whether {@code type} mentions a type variable. */
  static boolean mentionsVariable(Type type) {
    if (type instanceof TypeVariable<?>) {
      return true;
    }
    if (type instanceof ParameterizedType p) {
      return Arrays.stream(p.getActualTypeArguments()).anyMatch(ResolvedType::mentionsVariable);
    }
    if (type instanceof WildcardType w) {
      return Arrays.stream(w.getUpperBounds()).anyMatch(ResolvedType::mentionsVariable)
          || Arrays.stream(w.getLowerBounds()).anyMatch(ResolvedType::mentionsVariable);
    }
    if (type instanceof GenericArrayType a) {
      return mentionsVariable(a.getGenericComponentType());
    }
    return false;
  }

  @Override
  public Type[] getActualTypeArguments() {
    return arguments.clone();
  }

  @Override
  public Type getRawType() {
    return raw;
  }

  @Override
  public Type getOwnerType() {
    return owner;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParameterizedType that
        && raw.equals(that.getRawType())
        && Objects.equals(owner, that.getOwnerType())
        && Arrays.equals(arguments, that.getActualTypeArguments());
  }

  /** The JDK's formula, so that equal types hash alike. */
  @Override
  public int hashCode() {
    return Arrays.hashCode(arguments) ^ Objects.hashCode(owner) ^ Objects.hashCode(raw);
  }

  @Override
  public String getTypeName() {
    return raw.getTypeName()
        + Arrays.stream(arguments)
            .map(Type::getTypeName)
            .collect(Collectors.joining(", ", "<", ">"));
  }

  @Override
  public String toString() {
    return getTypeName();
  }
}
