package dev.dobj.rpc.codec;

import static dev.dobj.rpc.codec.Fixtures.method;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dobj.DurableObjectId;
import dev.dobj.DurableObjectStub;
import dev.dobj.fetch.Request;
import dev.dobj.rpc.codec.Fixtures.Counter;
import dev.dobj.rpc.codec.Fixtures.Generic;
import dev.dobj.rpc.codec.Fixtures.HoldsThread;
import dev.dobj.rpc.codec.Fixtures.Msg;
import dev.dobj.rpc.codec.Fixtures.Mutable;
import dev.dobj.rpc.codec.Fixtures.NotSealed;
import dev.dobj.rpc.codec.Fixtures.Point;
import dev.dobj.rpc.codec.Fixtures.WithClass;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Planning: which declared types are refused, with which words; keys; caching. */
class PlanningTest {
  private static final String SUPPORTED =
      "RPC values must be records, enums, strings, numbers, booleans, byte arrays, lists, sets,"
          + " maps, Optional, Request, Response, DurableObjectId or DurableObjectStub";

  private final RpcCodec codec = new RpcCodec(new FakeReferences());

  private String refusal(Method m) {
    try {
      codec.plan(m);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected " + m + " to be refused");
  }

  @Test
  void plan_ofObjectParameter_isRefusedNamingTypeParameterAndMethod() {
    assertThat(refusal(method("add", Object.class)))
        .isEqualTo(
            "Cannot copy java.lang.Object for parameter 0 of Counter.add(Object): " + SUPPORTED);
  }

  @Test
  void plan_ofListOfObject_namesTheElement() {
    assertThat(refusal(method("tag", List.class)))
        .isEqualTo(
            "Cannot copy java.lang.Object (element of java.util.List<java.lang.Object>) for"
                + " parameter 0 of Counter.tag(List): "
                + SUPPORTED);
  }

  @Test
  void plan_ofRawOrWildcardList_isRefused() {
    assertThat(refusal(method("raw", List.class)))
        .isEqualTo(
            "Cannot copy java.util.List for parameter 0 of Counter.raw(List): "
                + SUPPORTED
                + "; the raw type java.util.List needs its type arguments, e.g. List<String>");
    assertThat(refusal(method("wild", List.class)))
        .isEqualTo(
            "Cannot copy ? (element of java.util.List<?>) for parameter 0 of Counter.wild(List): "
                + SUPPORTED
                + "; a wildcard needs an upper bound, e.g. ? extends Point");
    assertThat(refusal(method("lower", List.class)))
        .startsWith("Cannot copy ? super dev.dobj.rpc.codec.Fixtures$Point (element of");
  }

  @Test
  void plan_ofUpperBoundedWildcard_usesTheBound() {
    MethodPlan plan = codec.plan(method("upper", List.class));
    List<Point> points = new ArrayList<>(List.of(new Point(1, 2)));

    assertThat(plan.copyArguments(new Object[] {points})[0]).isEqualTo(points).isNotSameAs(points);
  }

  @Test
  void plan_ofClassesThatAreNotValues_isRefused() {
    assertThat(refusal(method("thread", Thread.class)))
        .isEqualTo(
            "Cannot copy java.lang.Thread for parameter 0 of Counter.thread(Thread): " + SUPPORTED);
    assertThat(refusal(method("pojo", Mutable.class)))
        .isEqualTo(
            "Cannot copy dev.dobj.rpc.codec.Fixtures$Mutable for parameter 0 of"
                + " Counter.pojo(Mutable): "
                + SUPPORTED);
    assertThat(refusal(method("strings", String[].class)))
        .isEqualTo(
            "Cannot copy java.lang.String[] for parameter 0 of Counter.strings(String[]): "
                + SUPPORTED
                + "; only arrays of primitives can be copied; use a List");
    assertThat(refusal(method("arrayList", ArrayList.class)))
        .endsWith("; declare collections as List, Set or Map");
  }

  @Test
  void plan_ofComponentThatIsNotAValue_namesTheComponentAndRecord() {
    assertThat(refusal(method("holdsThread", HoldsThread.class)))
        .isEqualTo(
            "Cannot copy java.lang.Thread (component worker of record"
                + " dev.dobj.rpc.codec.Fixtures$HoldsThread) for parameter 0 of"
                + " Counter.holdsThread(HoldsThread): "
                + SUPPORTED);
  }

  @Test
  void plan_ofInterfacesThatAreNotSealedRecordsAndEnums_isRefused() {
    assertThat(refusal(method("notSealed", NotSealed.class)))
        .endsWith("; an interface must be sealed and permit only records and enums");
    assertThat(refusal(method("withClass", WithClass.class)))
        .isEqualTo(
            "Cannot copy dev.dobj.rpc.codec.Fixtures$FinalClass (permitted subclass of"
                + " dev.dobj.rpc.codec.Fixtures$WithClass) for parameter 0 of"
                + " Counter.withClass(WithClass): "
                + SUPPORTED
                + "; a sealed interface must permit only records, enums and sealed interfaces");
    assertThat(refusal(method("genericSealed", Generic.class)))
        .endsWith("; generic sealed interfaces are not supported");
  }

  @Test
  void plan_ofMapWithRecordKey_isRefusedNamingTheKey() {
    assertThat(refusal(method("keyedByPoint", Map.class)))
        .isEqualTo(
            "Cannot copy dev.dobj.rpc.codec.Fixtures$Point (key of"
                + " java.util.Map<dev.dobj.rpc.codec.Fixtures$Point, java.lang.String>) for"
                + " parameter 0 of Counter.keyedByPoint(Map): map keys must be strings, numbers,"
                + " booleans, characters, enums, BigInteger, BigDecimal, Instant, Duration or"
                + " LocalDate");
  }

  @Test
  void plan_ofTypeVariableOrWildcardStub_isRefused() {
    assertThat(refusal(method("generic", Object.class)))
        .isEqualTo(
            "Cannot copy T for parameter 0 of Counter.generic(Object): "
                + SUPPORTED
                + "; type variable T is not bound to a type here; declare a concrete type");
    assertThat(refusal(method("wildStub", DurableObjectStub.class)))
        .isEqualTo(
            "Cannot copy ? (type argument of dev.dobj.DurableObjectStub<?>) for parameter 0 of"
                + " Counter.wildStub(DurableObjectStub): "
                + SUPPORTED
                + "; a stub must name its RPC interface, e.g. DurableObjectStub<Counter>");
  }

  @Test
  void plan_ofUnsupportedResult_namesTheResult() {
    assertThat(refusal(method("anything")))
        .isEqualTo(
            "Cannot copy java.lang.Object for the result of Counter.anything(): " + SUPPORTED);
  }

  @Test
  void plan_ofUnsupportedValueType_namesTheType() {
    assertThatThrownBy(() -> codec.plan(Object.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot copy java.lang.Object: " + SUPPORTED);
  }

  @Test
  void key_isNameAndErasedParameterTypes_andTellsOverloadsApart() {
    assertThat(codec.plan(method("increment")).key()).isEqualTo("increment()");
    assertThat(codec.plan(method("add", long.class)).key()).isEqualTo("add(long)");
    assertThat(codec.plan(method("add", long.class, String.class)).key())
        .isEqualTo("add(long,java.lang.String)");
    assertThat(codec.plan(method("bytes", byte[].class)).key()).isEqualTo("bytes(byte[])");
    assertThat(codec.plan(method("numbers", List.class)).key())
        .isEqualTo("numbers(java.util.List)");
  }

  @Test
  void key_doesNotDependOnParameterNamesOrTheDeclaringInterface() throws Exception {
    Method counterAdd = method("add", long.class);
    Method adderAdd = Fixtures.Adder.class.getMethod("add", long.class);

    assertThat(counterAdd.getParameters()[0].getName())
        .isNotEqualTo(adderAdd.getParameters()[0].getName());
    assertThat(codec.plan(adderAdd).key()).isEqualTo(codec.plan(counterAdd).key());
  }

  @Test
  void argumentsImmutable_isTrueOnlyWhenNoArgumentNeedsACopy() {
    assertThat(codec.plan(method("move", Point.class, int.class)).argumentsImmutable()).isTrue();
    assertThat(codec.plan(method("add", long.class, String.class)).argumentsImmutable()).isTrue();
    assertThat(codec.plan(method("id", DurableObjectId.class)).argumentsImmutable()).isTrue();
    assertThat(codec.plan(method("request", Request.class)).argumentsImmutable()).isTrue();
    assertThat(codec.plan(method("echo", Msg.class)).argumentsImmutable()).isFalse();
    assertThat(codec.plan(method("bytes", byte[].class)).argumentsImmutable()).isFalse();
    assertThat(codec.plan(method("stub", DurableObjectStub.class)).argumentsImmutable()).isFalse();
    assertThat(codec.plan(method("peer")).resultImmutable()).isFalse();
  }

  @Test
  void plan_isCachedPerMethodAndPerType() {
    assertThat(codec.plan(method("echo", Msg.class)))
        .isSameAs(codec.plan(method("echo", Msg.class)));
    assertThat(codec.plan(Msg.class)).isSameAs(codec.plan(Msg.class));
    assertThat(codec.plan(method("echo", Msg.class)).method()).isEqualTo(method("echo", Msg.class));
    assertThat(codec.plan(Msg.class).type()).isEqualTo(Msg.class);
  }

  @Test
  void plan_fromManyThreadsAtOnce_givesOnePlan() throws Exception {
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<MethodPlan>> plans = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        plans.add(
            pool.submit(
                () -> {
                  start.await();
                  return codec.plan(Counter.class.getMethod("echo", Msg.class));
                }));
      }
      start.countDown();
      Set<MethodPlan> distinct = new HashSet<>();
      for (Future<MethodPlan> plan : plans) {
        distinct.add(plan.get(10, TimeUnit.SECONDS));
      }

      assertThat(distinct).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void constructor_refusesALimitThatIsNotPositive() {
    assertThatThrownBy(() -> new RpcCodec(new FakeReferences(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("RpcCodec maxMessageBytes must be positive, got 0");
    assertThat(new RpcCodec(new FakeReferences()).maxMessageBytes()).isEqualTo(32 * 1024 * 1024);
  }
}
