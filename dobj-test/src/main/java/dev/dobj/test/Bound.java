package dev.dobj.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field or parameter of type {@code DurableObjectNamespace<T>} or {@code
 * DurableObjectStub<T>} for injection by {@link DurableObjectTest}: the namespace bound as {@link
 * #value()}, typed by {@code T} (an RPC interface); for a stub, the object named {@link #name()}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER})
public @interface Bound {
  /** The binding name. */
  String value();

  /** For a stub: the name of the object ({@code namespace.getByName(name)}); required then. */
  String name() default "";
}
