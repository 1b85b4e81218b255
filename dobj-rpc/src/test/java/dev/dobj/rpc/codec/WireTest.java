package dev.dobj.rpc.codec;

import static dev.dobj.rpc.codec.Fixtures.method;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dobj.rpc.codec.Fixtures.Add;
import dev.dobj.rpc.codec.Fixtures.Arrays8;
import dev.dobj.rpc.codec.Fixtures.Box;
import dev.dobj.rpc.codec.Fixtures.Circle;
import dev.dobj.rpc.codec.Fixtures.Color;
import dev.dobj.rpc.codec.Fixtures.Everything;
import dev.dobj.rpc.codec.Fixtures.Expr;
import dev.dobj.rpc.codec.Fixtures.Holder;
import dev.dobj.rpc.codec.Fixtures.Keyed;
import dev.dobj.rpc.codec.Fixtures.Msg;
import dev.dobj.rpc.codec.Fixtures.Node;
import dev.dobj.rpc.codec.Fixtures.Num;
import dev.dobj.rpc.codec.Fixtures.Pair;
import dev.dobj.rpc.codec.Fixtures.Point;
import dev.dobj.rpc.codec.Fixtures.Shape;
import dev.dobj.rpc.codec.Fixtures.Square;
import dev.dobj.rpc.codec.Fixtures.Tree;
import dev.dobj.rpc.codec.Fixtures.Triangle;
import dev.dobj.rpc.codec.Fixtures.Tripwire;
import dev.dobj.rpc.codec.Fixtures.Types;
import dev.dobj.rpc.codec.Fixtures.Unit;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The wire path: every supported type round-trips; malformed input builds nothing. */
class WireTest {
  private final RpcCodec codec = new RpcCodec(new FakeReferences());

  @BeforeEach
  void resetTripwire() {
    Tripwire.CONSTRUCTED.set(0);
  }

  private Object roundTrip(Type type, Object value) {
    ValuePlan plan = codec.plan(type);
    return plan.decode(plan.encode(value));
  }

  private static byte[] json(String text) {
    return text.getBytes(UTF_8);
  }

  @Test
  void roundTrip_ofEveryScalar_isEqual() {
    Everything e =
        new Everything(
            true,
            (byte) -128,
            Short.MAX_VALUE,
            '€',
            Integer.MIN_VALUE,
            Long.MAX_VALUE,
            Float.MIN_VALUE,
            -0.0,
            Boolean.TRUE,
            null,
            Double.NEGATIVE_INFINITY,
            "hé \"quoted\" \n 😀",
            new BigInteger("-123456789012345678901234567890123456789"),
            new BigDecimal("1.50E+7"),
            Instant.parse("2026-01-02T03:04:05.123456789Z"),
            Duration.ofSeconds(-5, 7),
            LocalDate.of(1999, 12, 31),
            Color.GREEN,
            OptionalInt.empty(),
            OptionalLong.of(Long.MIN_VALUE),
            OptionalDouble.of(Double.NaN));

    assertThat(roundTrip(Everything.class, e)).isEqualTo(e);
  }

  @Test
  void aTopLevelIntegerOrBoolean_encodesAsJacksonWouldWriteIt() throws Exception {
    // These take a shortcut around the JSON generator; the bytes must not change.
    Object[][] cases = {
      {long.class, Long.MIN_VALUE}, {Long.class, Long.MAX_VALUE}, {Long.class, 0L},
      {Long.class, -42L}, {int.class, Integer.MIN_VALUE}, {Integer.class, 7},
      {Short.class, (short) -300}, {Byte.class, (byte) -128}, {boolean.class, true},
      {Boolean.class, false}
    };
    com.fasterxml.jackson.core.JsonFactory jackson = new com.fasterxml.jackson.core.JsonFactory();
    for (Object[] c : cases) {
      java.io.StringWriter expected = new java.io.StringWriter();
      try (var out = jackson.createGenerator(expected)) {
        switch (c[1]) {
          case Boolean b -> out.writeBoolean(b);
          case Long l -> out.writeNumber(l);
          default -> out.writeNumber(((Number) c[1]).intValue());
        }
      }
      ValuePlan plan = codec.plan((Type) c[0]);
      byte[] encoded = plan.encode(c[1]);
      assertThat(new String(encoded, UTF_8)).as("%s", c[1]).isEqualTo(expected.toString());
      assertThat(plan.decode(encoded)).isEqualTo(c[1]);
    }
    // A value of another type is refused as before.
    assertThatThrownBy(() -> codec.plan(Long.class).encode(5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Long");
  }

  @Test
  void roundTrip_ofBigDecimal_keepsTheScale() {
    BigDecimal decoded = (BigDecimal) roundTrip(BigDecimal.class, new BigDecimal("2.500"));

    assertThat(decoded.scale()).isEqualTo(3);
    assertThat(decoded).isEqualTo(new BigDecimal("2.500"));
  }

  @Test
  void roundTrip_ofNonFiniteFloats_isEqual() {
    assertThat(roundTrip(float.class, Float.NaN)).isEqualTo(Float.NaN);
    assertThat(roundTrip(Float.class, Float.POSITIVE_INFINITY)).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(roundTrip(double.class, Double.NaN)).isEqualTo(Double.NaN);
  }

  @Test
  void roundTrip_ofPrimitiveArrays_isEqual() {
    Arrays8 a =
        new Arrays8(
            new boolean[] {true, false},
            new byte[] {0, -1, 127},
            new short[] {-2, 3},
            "ab😀".toCharArray(),
            new int[] {1, 2, 3},
            new long[] {Long.MIN_VALUE},
            new float[] {1.25f, Float.NaN},
            new double[] {Math.PI, Double.POSITIVE_INFINITY});

    Arrays8 decoded = (Arrays8) roundTrip(Arrays8.class, a);

    assertThat(decoded.z()).isEqualTo(a.z());
    assertThat(decoded.b()).isEqualTo(a.b());
    assertThat(decoded.s()).isEqualTo(a.s());
    assertThat(decoded.c()).isEqualTo(a.c());
    assertThat(decoded.i()).isEqualTo(a.i());
    assertThat(decoded.l()).isEqualTo(a.l());
    assertThat(java.util.Arrays.equals(decoded.f(), a.f())).as("floats, NaN included").isTrue();
    assertThat(java.util.Arrays.equals(decoded.d(), a.d())).as("doubles").isTrue();
  }

  @Test
  void roundTrip_ofRecordWithListAndBytes_isEqual() {
    Msg m = new Msg("hi", List.of("a", "b"), new byte[] {1, 2, 3, 4, 5});

    assertThat(roundTrip(Msg.class, m)).isEqualTo(m);
  }

  @Test
  void roundTrip_ofMapsWithEveryKeyKind_isEqualAndKeepsOrder() {
    Map<Color, List<Point>> byColor = new LinkedHashMap<>();
    byColor.put(Color.BLUE, List.of(new Point(1, 2)));
    byColor.put(Color.RED, List.of());
    Keyed k =
        new Keyed(
            new TreeMap<>(Map.of("b", 2, "a", 1)),
            Map.of(-7L, "minus seven"),
            byColor,
            Map.of(Instant.EPOCH, true),
            Map.of('x', 0.5));

    Keyed decoded = (Keyed) roundTrip(Keyed.class, k);

    assertThat(decoded).isEqualTo(k);
    assertThat(decoded.byString().keySet()).containsExactly("a", "b");
    assertThat(decoded.byColor().keySet()).containsExactly(Color.BLUE, Color.RED);
  }

  @Test
  void roundTrip_ofOptionalsAndSets_isEqual() {
    Holder h =
        new Holder(Optional.empty(), Optional.of(List.of(3, 1)), new TreeSet<>(Set.of(Color.RED)));
    Holder withNull = new Holder(null, Optional.empty(), Set.of());

    assertThat(roundTrip(Holder.class, h)).isEqualTo(h);
    assertThat(roundTrip(Holder.class, withNull)).isEqualTo(withNull);
  }

  @Test
  void roundTrip_ofNestedOptional_keepsEmptyInsidePresentApart() {
    Type type = Types.of("maybeMaybe");

    assertThat(roundTrip(type, Optional.of(Optional.empty())))
        .isEqualTo(Optional.of(Optional.empty()));
    assertThat(roundTrip(type, Optional.empty())).isEqualTo(Optional.empty());
  }

  @Test
  void roundTrip_ofGenericRecordsAndNestedCollections_isEqual() {
    Pair<Integer, Optional<Color>> pair = new Pair<>(5, Optional.of(Color.BLUE));
    List<Map<String, Set<Long>>> nested = List.of(Map.of("x", Set.of(1L, 2L)), Map.of());

    assertThat(roundTrip(Types.of("pairOfIntegerAndColor"), pair)).isEqualTo(pair);
    assertThat(roundTrip(Types.of("nested"), nested)).isEqualTo(nested);
    assertThat(
            codec
                .plan(method("box", Box.class))
                .decodeResult(
                    codec
                        .plan(method("box", Box.class))
                        .encodeResult(new Box<>("a", List.of("b")))))
        .isEqualTo(new Box<>("a", List.of("b")));
  }

  @Test
  void roundTrip_ofRecursiveValues_isEqual() {
    Node list = new Node(1, new Node(2, new Node(3, null)));
    Tree tree = new Tree("root", List.of(new Tree("a", List.of()), new Tree("b", List.of())));
    Expr expr = new Add(new Num(1), new Add(new Num(2), new Num(3)));

    assertThat(roundTrip(Node.class, list)).isEqualTo(list);
    assertThat(roundTrip(Tree.class, tree)).isEqualTo(tree);
    assertThat(roundTrip(Expr.class, expr)).isEqualTo(expr);
  }

  @Test
  void roundTrip_ofSealedInterface_namesTheVariantBySimpleName() {
    ValuePlan plan = codec.plan(Shape.class);
    Shape square = new Square(2, List.of(new Point(0, 0)));
    Shape triangle = new Triangle(new Point(0, 0), new Point(1, 0), new Point(0, 1));

    assertThat(new String(plan.encode(new Circle(1.5)), UTF_8))
        .isEqualTo("{\"Circle\":{\"radius\":1.5}}");
    assertThat(new String(plan.encode(Unit.ONE), UTF_8)).isEqualTo("{\"Unit\":\"ONE\"}");
    assertThat(plan.decode(plan.encode(square))).isEqualTo(square);
    assertThat(plan.decode(plan.encode(triangle))).isEqualTo(triangle);
    assertThat(plan.decode(plan.encode(Unit.ONE))).isSameAs(Unit.ONE);
  }

  @Test
  void roundTrip_ofArgumentsOfOverloadedMethods_isEqual() {
    MethodPlan one = codec.plan(method("add", long.class));
    MethodPlan two = codec.plan(method("add", long.class, String.class));

    assertThat(one.decodeArguments(one.encodeArguments(new Object[] {5L}))).containsExactly(5L);
    assertThat(two.decodeArguments(two.encodeArguments(new Object[] {5L, null})))
        .containsExactly(5L, null);
    assertThat(new String(two.encodeArguments(new Object[] {5L, "why"}), UTF_8))
        .isEqualTo("[5,\"why\"]");
  }

  @Test
  void roundTrip_ofMethodWithoutParameters_isAnEmptyArray() {
    MethodPlan increment = codec.plan(method("increment"));

    assertThat(increment.decodeArguments(increment.encodeArguments(null))).isEmpty();
    assertThat(new String(increment.encodeArguments(null), UTF_8)).isEqualTo("[]");
  }

  @Test
  void roundTrip_ofVoidResult_isNull() {
    MethodPlan stub = codec.plan(method("stub", dev.dobj.DurableObjectStub.class));

    assertThat(new String(stub.encodeResult(null), UTF_8)).isEqualTo("null");
    assertThat(stub.decodeResult(json("null"))).isNull();
  }

  @Test
  void decode_ofGarbage_isRefusedNamingTheMethod() {
    MethodPlan plan = codec.plan(method("add", long.class));

    assertThatThrownBy(() -> plan.decodeArguments(new byte[] {(byte) 0xFF, 0x00, 0x13}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot decode RPC arguments of Counter.add(long): ");
    assertThatThrownBy(() -> plan.decodeArguments(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot decode RPC arguments of Counter.add(long): the message is empty");
    assertThatThrownBy(() -> plan.decodeArguments(json("[1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot decode RPC arguments of Counter.add(long): ")
        .hasMessageContaining("end-of-input");
  }

  @Test
  void decode_ofWrongShape_isRefusedSayingWhatWasExpected() {
    MethodPlan plan = codec.plan(method("add", long.class));
    String prefix = "Cannot decode RPC arguments of Counter.add(long): ";

    assertThatThrownBy(() -> plan.decodeArguments(json("{\"n\":1}")))
        .hasMessage(prefix + "expected a JSON array of 1 arguments, found a JSON object");
    assertThatThrownBy(() -> plan.decodeArguments(json("[]")))
        .hasMessage(prefix + "expected 1 arguments, found 0");
    assertThatThrownBy(() -> plan.decodeArguments(json("[1,2]")))
        .hasMessage(prefix + "expected 1 arguments, found more at byte 3");
    assertThatThrownBy(() -> plan.decodeArguments(json("[\"1\"]")))
        .hasMessage(
            prefix
                + "parameter 0: expected a JSON integer for long, found a JSON string at byte 1");
    assertThatThrownBy(() -> plan.decodeArguments(json("[null]")))
        .hasMessage(prefix + "parameter 0: null where long was expected");
    assertThatThrownBy(() -> plan.decodeArguments(json("[1.5]")))
        .hasMessage(
            prefix
                + "parameter 0: expected a JSON integer for long, found a JSON decimal number at byte 1");
    assertThatThrownBy(() -> plan.decodeArguments(json("[99999999999999999999]")))
        .hasMessage(
            prefix + "parameter 0: number 99999999999999999999 is out of range for long at byte 1");
    assertThatThrownBy(() -> plan.decodeArguments(json("[1] [2]")))
        .hasMessage(prefix + "unexpected content after the value at byte 4");
  }

  @Test
  void decode_ofRecordWithUnknownProperty_isRefusedAndBuildsNothing() {
    MethodPlan plan = codec.plan(method("tripwire", Tripwire.class));

    assertThatThrownBy(
            () ->
                plan.decodeArguments(
                    json("[{\"s\":\"x\",\"@class\":\"java.lang.ProcessBuilder\"}]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot decode RPC arguments of Counter.tripwire(Tripwire): parameter 0: unknown property"
                + " \"@class\" for record dev.dobj.rpc.codec.Fixtures$Tripwire at byte 10");
    assertThat(Tripwire.CONSTRUCTED).hasValue(0);
  }

  @Test
  void decode_ofRecordWithMissingOrDuplicateProperty_isRefused() {
    MethodPlan plan = codec.plan(method("tripwire", Tripwire.class));

    assertThatThrownBy(() -> plan.decodeArguments(json("[{}]")))
        .hasMessageEndingWith(
            "parameter 0: missing property \"s\" of record dev.dobj.rpc.codec.Fixtures$Tripwire");
    assertThatThrownBy(() -> plan.decodeArguments(json("[{\"s\":\"a\",\"s\":\"b\"}]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Duplicate field 's'");
    assertThat(Tripwire.CONSTRUCTED).hasValue(0);
  }

  @Test
  void decode_ofClassNameWhereSealedVariantExpected_isRefused() {
    MethodPlan plan = codec.plan(method("shape", Shape.class));

    assertThatThrownBy(() -> plan.decodeResult(json("{\"java.lang.Runtime\":{}}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot decode the RPC result of Counter.shape(Shape): \"java.lang.Runtime\" is not a"
                + " permitted subclass of dev.dobj.rpc.codec.Fixtures$Shape (expected one of"
                + " Circle, Square, Triangle, Unit) at byte 1");
    assertThatThrownBy(
            () ->
                plan.decodeResult(json("{\"dev.dobj.rpc.codec.Fixtures$Circle\":{\"radius\":1}}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a permitted subclass");
    assertThatThrownBy(
            () -> plan.decodeResult(json("{\"Circle\":{\"radius\":1},\"Unit\":\"ONE\"}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected the end of the object after the value of Circle");
  }

  @Test
  void decode_ofValueThatTheRecordConstructorRefuses_isRefusedWithItsReason() {
    MethodPlan plan = codec.plan(method("positive", Fixtures.Positive.class));

    assertThatThrownBy(() -> plan.decodeArguments(json("[{\"n\":0}]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot decode RPC arguments of Counter.positive(Positive): parameter 0: the canonical"
                + " constructor of record dev.dobj.rpc.codec.Fixtures$Positive refused the value:"
                + " java.lang.IllegalArgumentException: n must be positive, got 0")
        .hasCauseInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void decode_ofNullInsideCollections_isRefusedWithThePath() {
    MethodPlan plan = codec.plan(method("echo", Msg.class));

    assertThatThrownBy(
            () -> plan.decodeResult(json("{\"text\":\"a\",\"tags\":[\"x\",null],\"data\":\"\"}")))
        .hasMessage(
            "Cannot decode the RPC result of Counter.echo(Msg): found null inside a"
                + " java.util.List<java.lang.String>; RPC lists, sets, maps and Optionals cannot hold"
                + " null (at tags[1])");
  }

  @Test
  void decode_ofBadScalars_isRefused() {
    ValuePlan keyed = codec.plan(Keyed.class);
    String empty = "\"byLong\":{},\"byColor\":{},\"byInstant\":{},\"byChar\":{}}";

    assertThatThrownBy(() -> keyed.decode(json("{\"byString\":{\"a\":\"1\"}," + empty)))
        .hasMessageContaining("expected a JSON integer for java.lang.Integer, found a JSON string")
        .hasMessageEndingWith("(at byString[\"a\"])");
    assertThatThrownBy(
            () ->
                keyed.decode(
                    json(
                        "{\"byString\":{},\"byLong\":{\"x\":\"s\"},\"byColor\":{},\"byInstant\":{},\"byChar\":{}}")))
        .hasMessageContaining("\"x\" is not a valid java.lang.Long");
    assertThatThrownBy(
            () ->
                keyed.decode(
                    json(
                        "{\"byString\":{},\"byLong\":{},\"byColor\":{\"PINK\":[]},\"byInstant\":{},\"byChar\":{}}")))
        .hasMessageContaining("\"PINK\" is not a constant of dev.dobj.rpc.codec.Fixtures$Color");
    assertThatThrownBy(() -> codec.plan(byte[].class).decode(json("\"not base64!\"")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot decode a value of type byte[]: ");
    assertThatThrownBy(() -> codec.plan(char.class).decode(json("\"ab\"")))
        .hasMessageContaining("expected a JSON string of one character for char");
    assertThatThrownBy(() -> codec.plan(Instant.class).decode(json("\"yesterday\"")))
        .hasMessageContaining("\"yesterday\" is not a valid java.time.Instant");
    assertThatThrownBy(() -> codec.plan(byte.class).decode(json("300")))
        .hasMessageContaining("number 300 is out of range for byte");
  }

  @Test
  void decode_ofDuplicateSetElementOrMapKey_isRefused() {
    assertThatThrownBy(() -> codec.plan(Types.of("strings")).decode(json("[\"a\",\"a\"]")))
        .hasMessageEndingWith("duplicate element in a java.util.Set<java.lang.String> (at [1])");
    assertThatThrownBy(
            () -> codec.plan(Types.of("byLong")).decode(json("{\"1\":\"a\",\"01\":\"b\"}")))
        .hasMessageContaining("duplicate key in a java.util.Map<java.lang.Long, java.lang.String>");
    assertThatThrownBy(() -> codec.plan(Types.of("byBoolean")).decode(json("{\"yes\":\"a\"}")))
        .hasMessageContaining("\"yes\" is not a valid java.lang.Boolean");
  }

  @Test
  void decode_ofTooDeepNesting_isRefused() {
    String deep = "{\"label\":\"x\",\"children\":[".repeat(600) + "]}".repeat(600);

    assertThatThrownBy(() -> codec.plan(Tree.class).decode(json(deep)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nesting depth")
        .hasMessageContaining("1000");
  }

  @Test
  void decode_ofOptionalWithTwoElements_isRefused() {
    assertThatThrownBy(() -> codec.plan(Types.of("maybeMaybe")).decode(json("[[\"a\"],[]]")))
        .hasMessageContaining("expected the end of the array after the value of an Optional");
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void encode_ofWrongRuntimeClass_isRefusedNamingTheParameter() {
    List polluted = new ArrayList<>(List.of(1));
    polluted.add(2.5);
    MethodPlan plan = codec.plan(method("numbers", List.class));

    assertThatThrownBy(() -> plan.encodeArguments(new Object[] {polluted}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot encode java.util.List<java.lang.Integer> for parameter 0 of"
                + " Counter.numbers(List): found a java.lang.Double where java.lang.Integer was"
                + " declared (at [1])");
  }

  @Test
  void encode_ofNullInsideList_isRefused() {
    List<Integer> withNull = new ArrayList<>();
    withNull.add(null);

    assertThatThrownBy(() -> codec.plan(method("numbers", List.class)).encodeResult(withNull))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "Cannot encode java.util.List<java.lang.Integer> for the result of"
                + " Counter.numbers(List): found null inside");
  }

  @Test
  void encode_ofRecord_writesOnePropertyPerComponent() {
    assertThat(new String(codec.plan(Point.class).encode(new Point(3, -4)), UTF_8))
        .isEqualTo("{\"x\":3,\"y\":-4}");
  }
}
