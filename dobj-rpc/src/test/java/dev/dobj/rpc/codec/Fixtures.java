package dev.dobj.rpc.codec;

import dev.dobj.DurableObjectId;
import dev.dobj.DurableObjectStub;
import dev.dobj.fetch.Request;
import dev.dobj.fetch.Response;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** The value types and RPC interfaces the codec tests use. */
final class Fixtures {
  private Fixtures() {}

  record Point(int x, int y) {}

  record Msg(String text, List<String> tags, byte[] data) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Msg m
          && java.util.Objects.equals(text, m.text)
          && java.util.Objects.equals(tags, m.tags)
          && Arrays.equals(data, m.data);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(text, tags, Arrays.hashCode(data));
    }
  }

  record Named(String name, int count, Color color) {}

  record Node(int value, Node next) {}

  record Tree(String label, List<Tree> children) {}

  record Box<T>(T value, List<T> more) {}

  record Pair<A, B>(A first, B second) {}

  record Everything(
      boolean z,
      byte b,
      short s,
      char c,
      int i,
      long l,
      float f,
      double d,
      Boolean boxedZ,
      Integer boxedI,
      Double boxedD,
      String text,
      BigInteger big,
      BigDecimal decimal,
      Instant instant,
      Duration duration,
      LocalDate date,
      Color color,
      OptionalInt oi,
      OptionalLong ol,
      OptionalDouble od) {}

  record Arrays8(
      boolean[] z, byte[] b, short[] s, char[] c, int[] i, long[] l, float[] f, double[] d) {}

  record Keyed(
      Map<String, Integer> byString,
      Map<Long, String> byLong,
      Map<Color, List<Point>> byColor,
      Map<Instant, Boolean> byInstant,
      Map<Character, Double> byChar) {}

  record Holder(Optional<String> maybe, Optional<List<Integer>> maybeList, Set<Color> colors) {}

  record Refs(DurableObjectId id, DurableObjectStub<Counter> stub) {}

  record Scored(int score, long at, List<String> names, double weight) {}

  record Empty() {}

  record Angry(List<String> items) {
    @Override
    public List<String> items() {
      throw new IllegalStateException("no access today");
    }
  }

  /** Fields whose generic types the tests plan. */
  static final class Types {
    Pair<Integer, Optional<Color>> pairOfIntegerAndColor;
    List<Map<String, Set<Long>>> nested;
    Map<Long, String> byLong;
    Map<Boolean, String> byBoolean;
    Set<String> strings;
    List<Empty> empties;
    Optional<Optional<String>> maybeMaybe;

    static Type of(String field) {
      try {
        return Types.class.getDeclaredField(field).getGenericType();
      } catch (NoSuchFieldException e) {
        throw new AssertionError("Types has no field " + field, e);
      }
    }
  }

  record Http(Request request, Response response) {}

  /** Counts its constructions, so that tests can show a refused message built nothing. */
  record Tripwire(String s) {
    static final AtomicInteger CONSTRUCTED = new AtomicInteger();

    Tripwire {
      CONSTRUCTED.incrementAndGet();
    }
  }

  record Positive(int n) {
    Positive {
      if (n <= 0) {
        throw new IllegalArgumentException("n must be positive, got " + n);
      }
    }
  }

  enum Color {
    RED,
    GREEN {
      @Override
      public String toString() {
        return "green (a constant with a body)";
      }
    },
    BLUE
  }

  sealed interface Shape permits Circle, Square, Polygon, Unit {}

  record Circle(double radius) implements Shape {}

  record Square(double side, List<Point> corners) implements Shape {}

  sealed interface Polygon extends Shape permits Triangle {}

  record Triangle(Point a, Point b, Point c) implements Polygon {}

  enum Unit implements Shape {
    ONE
  }

  sealed interface Expr permits Num, Add {}

  record Num(int n) implements Expr {}

  record Add(Expr left, Expr right) implements Expr {}

  interface NotSealed {}

  sealed interface WithClass permits FinalClass {}

  static final class FinalClass implements WithClass {}

  sealed interface Generic<T> permits GenericLeaf {}

  record GenericLeaf<T>(T t) implements Generic<T> {}

  static final class Mutable {
    int value;
  }

  record HoldsThread(Thread worker) {}

  /** An RPC interface with supported and unsupported methods. */
  interface Counter {
    long increment();

    long add(long n);

    long add(long n, String reason);

    void add(Object o);

    Point move(Point p, int dx);

    Msg echo(Msg m);

    Named rename(Named n);

    void tag(List<Object> tags);

    void raw(@SuppressWarnings("rawtypes") List tags);

    void wild(List<?> tags);

    void upper(List<? extends Point> points);

    void lower(List<? super Point> points);

    void thread(Thread t);

    void pojo(Mutable m);

    void strings(String[] values);

    void notSealed(NotSealed n);

    void keyedByPoint(Map<Point, String> m);

    <T> void generic(T t);

    void genericSealed(Generic<String> g);

    void withClass(WithClass w);

    void holdsThread(HoldsThread h);

    void arrayList(java.util.ArrayList<String> list);

    void stub(DurableObjectStub<Counter> stub);

    void wildStub(DurableObjectStub<?> stub);

    DurableObjectStub<Counter> peer();

    DurableObjectId id(DurableObjectId id);

    Request request(Request r);

    Response response(Response r);

    Shape shape(Shape s);

    byte[] bytes(byte[] b);

    List<Integer> numbers(List<Integer> n);

    Optional<String> maybe(Optional<String> s);

    Everything everything(Everything e);

    Tripwire tripwire(Tripwire t);

    Positive positive(Positive p);

    Box<String> box(Box<String> b);

    Object anything();

    Scored score(Scored s);
  }

  /** Another interface with a method of the same name and parameter type as Counter.add(long). */
  interface Adder {
    long add(long amount);
  }

  static Method method(String name, Class<?>... parameterTypes) {
    try {
      return Counter.class.getMethod(name, parameterTypes);
    } catch (NoSuchMethodException e) {
      throw new AssertionError(
          "Counter has no method " + name + Arrays.toString(parameterTypes), e);
    }
  }

  /** The generic type of the only parameter of the Counter method with this name. */
  static Type parameterType(String name) {
    for (Method m : Counter.class.getMethods()) {
      if (m.getName().equals(name) && m.getParameterCount() == 1) {
        return m.getGenericParameterTypes()[0];
      }
    }
    throw new AssertionError("Counter has no one-parameter method " + name);
  }
}
