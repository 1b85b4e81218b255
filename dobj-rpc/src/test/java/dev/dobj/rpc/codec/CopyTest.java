package dev.dobj.rpc.codec;

import static dev.dobj.rpc.codec.Fixtures.method;
import static dev.dobj.rpc.codec.Fixtures.parameterType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dobj.DurableObjectId;
import dev.dobj.fetch.Request;
import dev.dobj.fetch.Response;
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
import dev.dobj.rpc.codec.Fixtures.Named;
import dev.dobj.rpc.codec.Fixtures.Node;
import dev.dobj.rpc.codec.Fixtures.Num;
import dev.dobj.rpc.codec.Fixtures.Point;
import dev.dobj.rpc.codec.Fixtures.Shape;
import dev.dobj.rpc.codec.Fixtures.Square;
import dev.dobj.rpc.codec.Fixtures.Tree;
import dev.dobj.rpc.codec.Fixtures.Triangle;
import dev.dobj.rpc.codec.Fixtures.Unit;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The in-process path: what is copied, what is shared, and what is refused at run time. */
class CopyTest {
  private final FakeReferences references = new FakeReferences();
  private final RpcCodec codec = new RpcCodec(references);

  private static Everything everything() {
    return new Everything(
        true,
        (byte) -7,
        (short) 300,
        'é',
        42,
        Long.MIN_VALUE,
        1.5f,
        Double.NaN,
        Boolean.FALSE,
        null,
        -0.0,
        "héllo",
        new BigInteger("123456789012345678901234567890"),
        new BigDecimal("1.50"),
        Instant.parse("2026-01-02T03:04:05.123456789Z"),
        Duration.ofMillis(1500),
        LocalDate.of(2026, 2, 28),
        Color.GREEN,
        OptionalInt.of(3),
        OptionalLong.empty(),
        OptionalDouble.of(2.5));
  }

  @Test
  void copy_ofSmallImmutableRecord_isTheSameArrayWithNoWork() {
    MethodPlan plan = codec.plan(method("move", Point.class, int.class));
    Object[] args = {new Point(1, 2), 3};

    assertThat(plan.argumentsImmutable()).isTrue();
    assertThat(plan.copyArguments(args)).isSameAs(args);
  }

  @Test
  void copy_ofImmutableValues_passesEveryInstanceAsItIs() {
    Everything e = everything();
    MethodPlan plan = codec.plan(method("everything", Everything.class));

    assertThat(plan.argumentsImmutable()).isTrue();
    assertThat(plan.resultImmutable()).isTrue();
    assertThat(plan.copyArguments(new Object[] {e})[0]).isSameAs(e);
    assertThat(plan.copyResult(e)).isSameAs(e);
  }

  @Test
  void copy_ofRecordWithStringAndEnum_isShared() {
    Named n = new Named("x", 1, Color.BLUE);
    MethodPlan plan = codec.plan(method("rename", Named.class));

    assertThat(plan.copyResult(n)).isSameAs(n);
  }

  @Test
  void copy_ofRecordWithList_isDeepAndUnmodifiable() {
    List<String> tags = new ArrayList<>(List.of("a", "b"));
    byte[] data = {1, 2, 3};
    Msg original = new Msg("hi", tags, data);
    MethodPlan plan = codec.plan(method("echo", Msg.class));

    Msg copy = (Msg) plan.copyArguments(new Object[] {original})[0];
    tags.add("c");
    data[0] = 9;

    assertThat(plan.argumentsImmutable()).isFalse();
    assertThat(copy).isNotSameAs(original);
    assertThat(copy.tags()).containsExactly("a", "b");
    assertThat(copy.data()).containsExactly(1, 2, 3);
    assertThat(copy.text()).isSameAs(original.text());
    assertThatThrownBy(() -> copy.tags().add("d"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void copy_ofByteArray_isAnotherArray() {
    byte[] bytes = {1, 2};
    byte[] copy = (byte[]) codec.plan(method("bytes", byte[].class)).copyResult(bytes);
    bytes[1] = 7;

    assertThat(copy).isNotSameAs(bytes).containsExactly(1, 2);
  }

  @Test
  void copy_ofEveryPrimitiveArray_clonesIt() {
    Arrays8 a =
        new Arrays8(
            new boolean[] {true},
            new byte[] {1},
            new short[] {2},
            new char[] {'c'},
            new int[] {3},
            new long[] {4},
            new float[] {5},
            new double[] {6});
    Arrays8 copy = (Arrays8) codec.plan(Arrays8.class).copy(a);
    a.z()[0] = false;
    a.b()[0] = 0;
    a.s()[0] = 0;
    a.c()[0] = 'x';
    a.i()[0] = 0;
    a.l()[0] = 0;
    a.f()[0] = 0;
    a.d()[0] = 0;

    assertThat(copy.z()).containsExactly(true);
    assertThat(copy.b()).containsExactly(1);
    assertThat(copy.s()).containsExactly((short) 2);
    assertThat(copy.c()).containsExactly('c');
    assertThat(copy.i()).containsExactly(3);
    assertThat(copy.l()).containsExactly(4L);
    assertThat(copy.f()).containsExactly(5f);
    assertThat(copy.d()).containsExactly(6d);
  }

  @Test
  void copy_ofMaps_isDeepUnmodifiableAndKeepsOrder() {
    List<Point> reds = new ArrayList<>(List.of(new Point(1, 1)));
    Map<Color, List<Point>> byColor = new TreeMap<>();
    byColor.put(Color.RED, reds);
    TreeMap<String, Integer> byString = new TreeMap<>(Map.of("b", 2, "a", 1, "c", 3));
    Keyed keyed =
        new Keyed(byString, Map.of(7L, "seven"), byColor, Map.of(Instant.EPOCH, true), Map.of());

    Keyed copy = (Keyed) codec.plan(Keyed.class).copy(keyed);
    reds.add(new Point(2, 2));
    byString.put("d", 4);

    assertThat(copy).isNotSameAs(keyed);
    assertThat(copy.byString())
        .containsExactly(Map.entry("a", 1), Map.entry("b", 2), Map.entry("c", 3));
    assertThat(copy.byColor().get(Color.RED)).containsExactly(new Point(1, 1));
    assertThat(copy.byLong()).isSameAs(keyed.byLong()); // Map.of with immutable values
    assertThatThrownBy(() -> copy.byString().put("e", 5))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void copy_ofSet_isUnmodifiableInTheSameOrder() {
    Holder holder =
        new Holder(
            Optional.of("x"),
            Optional.of(new ArrayList<>(List.of(1, 2))),
            new TreeSet<>(Set.of(Color.BLUE, Color.RED)));
    Holder copy = (Holder) codec.plan(Holder.class).copy(holder);

    assertThat(copy.colors()).containsExactly(Color.RED, Color.BLUE);
    assertThat(copy.colors()).isNotSameAs(holder.colors());
    assertThat(copy.maybe()).isSameAs(holder.maybe());
    assertThat(copy.maybeList()).isNotSameAs(holder.maybeList()).contains(List.of(1, 2));
    assertThatThrownBy(() -> copy.colors().add(Color.GREEN))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void copy_ofListOfImmutableElements_madeByListOf_isShared() {
    List<Integer> numbers = List.of(1, 2, 3);
    List<Integer> mutable = new ArrayList<>(numbers);
    MethodPlan plan = codec.plan(method("numbers", List.class));

    assertThat(plan.copyResult(numbers)).isSameAs(numbers);
    assertThat(plan.copyResult(mutable)).isNotSameAs(mutable).isEqualTo(numbers);
  }

  @Test
  void copy_ofArrayListSubclass_isAcceptedForList() {
    List<Integer> subclass = new ArrayList<>() {};
    subclass.add(5);

    assertThat(codec.plan(method("numbers", List.class)).copyResult(subclass))
        .isEqualTo(List.of(5));
  }

  @Test
  void copy_ofOptional_keepsEmptyAndPresent() {
    MethodPlan plan = codec.plan(method("maybe", Optional.class));

    assertThat(plan.copyResult(Optional.empty())).isEqualTo(Optional.empty());
    assertThat(plan.copyResult(Optional.of("a"))).isEqualTo(Optional.of("a"));
  }

  @Test
  void copy_ofSealedInterface_usesTheVariantsPlan() {
    List<Point> corners = new ArrayList<>(List.of(new Point(0, 0)));
    MethodPlan plan = codec.plan(method("shape", Shape.class));
    Circle circle = new Circle(1);
    Triangle triangle = new Triangle(new Point(0, 0), new Point(1, 0), new Point(0, 1));

    Square copy = (Square) plan.copyResult(new Square(2, corners));
    corners.clear();

    assertThat(copy.corners()).containsExactly(new Point(0, 0));
    assertThat(plan.copyResult(circle)).isSameAs(circle);
    assertThat(plan.copyResult(triangle)).isSameAs(triangle);
    assertThat(plan.copyResult(Unit.ONE)).isSameAs(Unit.ONE);
  }

  @Test
  void copy_ofRecursiveSealedRecords_isImmutable() {
    ValuePlan plan = codec.plan(Expr.class);
    Expr e = new Add(new Num(1), new Add(new Num(2), new Num(3)));

    assertThat(plan.immutable()).isTrue();
    assertThat(plan.copy(e)).isSameAs(e);
  }

  @Test
  void copy_ofRecursiveRecord_isImmutableAndNullComponentsStayNull() {
    ValuePlan plan = codec.plan(Node.class);
    Node list = new Node(1, new Node(2, null));

    assertThat(plan.immutable()).isTrue();
    assertThat(plan.copy(list)).isSameAs(list);
  }

  @Test
  void copy_ofRecursiveRecordThroughList_isDeep() {
    List<Tree> leaves = new ArrayList<>(List.of(new Tree("leaf", List.of())));
    Tree root = new Tree("root", leaves);

    Tree copy = (Tree) codec.plan(Tree.class).copy(root);
    leaves.add(new Tree("late", List.of()));

    assertThat(copy.children()).extracting(Tree::label).containsExactly("leaf");
  }

  @Test
  void copy_ofGenericRecord_usesItsTypeArguments() {
    MethodPlan plan = codec.plan(method("box", Box.class));
    List<String> more = new ArrayList<>(List.of("b"));

    @SuppressWarnings("unchecked")
    Box<String> copy = (Box<String>) plan.copyResult(new Box<>("a", more));
    more.add("c");

    assertThat(copy.value()).isEqualTo("a");
    assertThat(copy.more()).containsExactly("b");
  }

  @Test
  void copy_ofNull_isNullForArgumentsResultsAndComponents() {
    MethodPlan plan = codec.plan(method("echo", Msg.class));
    Msg withNulls = new Msg(null, null, null);

    assertThat(plan.copyArguments(new Object[] {null})).containsExactly((Object) null);
    assertThat(plan.copyResult(null)).isNull();
    assertThat(plan.copyResult(withNulls)).isEqualTo(withNulls).isNotSameAs(withNulls);
  }

  @Test
  void copy_ofMethodWithoutParameters_acceptsNullArguments() {
    MethodPlan plan = codec.plan(method("increment"));

    assertThat(plan.copyArguments(null)).isNull();
    assertThat(plan.copyResult(5L)).isEqualTo(5L);
  }

  @Test
  void copy_withWrongNumberOfArguments_isRefused() {
    MethodPlan plan = codec.plan(method("add", long.class));

    assertThatThrownBy(() -> plan.copyArguments(new Object[] {1L, 2L}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Counter.add(long) takes 1 arguments, but 2 were given");
  }

  @Test
  void copy_ofIdsRequestsAndResponses_passesTheSameInstance() {
    DurableObjectId id = FakeReferences.KEY.idFromName("a");
    Request request = Request.builder("POST", "https://example.com/x").body("hi").build();
    Response response = Response.ok("fine");

    assertThat(codec.plan(method("id", DurableObjectId.class)).copyResult(id)).isSameAs(id);
    assertThat(codec.plan(method("request", Request.class)).copyResult(request)).isSameAs(request);
    assertThat(codec.plan(method("response", Response.class)).copyResult(response))
        .isSameAs(response);
  }

  @Test
  void copy_ofNullInsideList_isRefusedNamingTheType() {
    List<Integer> withNull = new ArrayList<>();
    withNull.add(1);
    withNull.add(null);
    MethodPlan plan = codec.plan(method("numbers", List.class));

    assertThatThrownBy(() -> plan.copyArguments(new Object[] {withNull}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot copy java.util.List<java.lang.Integer> for parameter 0 of"
                + " Counter.numbers(List): found null inside a java.util.List<java.lang.Integer>;"
                + " RPC lists, sets, maps and Optionals cannot hold null (at [1])");
  }

  @Test
  void copy_ofNullKeyOrValueInsideMap_isRefused() {
    ValuePlan plan = codec.plan(Keyed.class);
    Map<String, Integer> nullValue = new HashMap<>();
    nullValue.put("a", null);
    Map<String, Integer> nullKey = new HashMap<>();
    nullKey.put(null, 1);

    assertThatThrownBy(
            () -> plan.copy(new Keyed(nullValue, Map.of(), Map.of(), Map.of(), Map.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "found null inside a java.util.Map<java.lang.String, java.lang.Integer>")
        .hasMessageEndingWith("(at byString[\"a\"])");
    assertThatThrownBy(() -> plan.copy(new Keyed(nullKey, Map.of(), Map.of(), Map.of(), Map.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "found null inside a java.util.Map<java.lang.String, java.lang.Integer>");
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void copy_ofElementOfWrongRuntimeClass_isRefusedNamingTheClass() {
    List polluted = new ArrayList<>(List.of(1, 2));
    polluted.add("three");
    MethodPlan plan = codec.plan(method("numbers", List.class));

    assertThatThrownBy(() -> plan.copyArguments(new Object[] {polluted}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot copy java.util.List<java.lang.Integer> for parameter 0 of"
                + " Counter.numbers(List): found a java.lang.String where java.lang.Integer was"
                + " declared (at [2])");
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void copy_ofGenericComponentOfWrongRuntimeClass_isRefused() {
    Box polluted = new Box(42, List.of());
    MethodPlan plan = codec.plan(method("box", Box.class));

    assertThatThrownBy(() -> plan.copyResult(polluted))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("for the result of Counter.box(Box)")
        .hasMessageContaining("found a java.lang.Integer where java.lang.String was declared")
        .hasMessageEndingWith("(at value)");
  }

  @Test
  void copy_ofNonListWhereListDeclared_isRefused() {
    Type type = parameterType("numbers");

    assertThatThrownBy(() -> codec.plan(type).copy(Set.of(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot copy java.util.List<java.lang.Integer>: found a java.util.")
        .hasMessageEndingWith("where java.util.List<java.lang.Integer> was declared");
  }

  @Test
  void copy_ofStub_asksReferencesForANewStub() {
    FakeReferences.FakeStub stub = FakeReferences.stub("alice");
    MethodPlan plan = codec.plan(method("stub", dev.dobj.DurableObjectStub.class));

    Object copy = plan.copyArguments(new Object[] {stub})[0];

    assertThat(plan.argumentsImmutable()).isFalse();
    assertThat(copy).isNotSameAs(stub).isInstanceOf(FakeReferences.FakeStub.class);
    assertThat(((FakeReferences.FakeStub) copy).id()).isEqualTo(stub.id());
    assertThat(references.log).containsExactly("copyStub alice");
  }

  @Test
  void copy_ofCycleThroughMutableList_isRefusedAsTooDeep() {
    List<Tree> children = new ArrayList<>();
    Tree loop = new Tree("loop", children);
    children.add(loop);

    assertThatThrownBy(() -> codec.plan(Tree.class).copy(loop))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("values are nested more than 1000 levels deep");
  }

  @Test
  void copy_ofMutableRecordWithPrimitives_keepsThePrimitives() {
    List<String> names = new ArrayList<>(List.of("a"));
    Fixtures.Scored scored = new Fixtures.Scored(7, -3L, names, 0.25);

    Fixtures.Scored copy =
        (Fixtures.Scored) codec.plan(method("score", Fixtures.Scored.class)).copyResult(scored);
    names.add("b");

    assertThat(copy).isNotSameAs(scored).isEqualTo(new Fixtures.Scored(7, -3L, List.of("a"), 0.25));
  }

  @Test
  void copy_ofRecordWithoutComponents_isShared() {
    Fixtures.Empty empty = new Fixtures.Empty();
    ValuePlan plan = codec.plan(Fixtures.Types.of("empties"));
    List<Fixtures.Empty> list = new ArrayList<>(List.of(empty));

    List<?> copy = (List<?>) plan.copy(list);
    list.clear();

    assertThat(copy).hasSize(1);
    assertThat(copy.get(0)).isSameAs(empty);
  }

  @Test
  void copy_ofRecordWhoseAccessorThrows_isRefusedNamingTheRecord() {
    ValuePlan plan = codec.plan(Fixtures.Angry.class);

    assertThatThrownBy(() -> plan.copy(new Fixtures.Angry(List.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot copy dev.dobj.rpc.codec.Fixtures$Angry: copying record")
        .hasMessageContaining("no access today")
        .hasCauseInstanceOf(IllegalStateException.class);
  }
}
