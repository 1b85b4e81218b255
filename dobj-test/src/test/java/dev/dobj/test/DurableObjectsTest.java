package dev.dobj.test;

import static dev.dobj.test.DurableObjects.awaitIdle;
import static dev.dobj.test.DurableObjects.listDurableObjectIds;
import static dev.dobj.test.DurableObjects.runDurableObjectAlarm;
import static dev.dobj.test.DurableObjects.runInDurableObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dobj.DurableObjectException;
import dev.dobj.DurableObjectId;
import dev.dobj.DurableObjectNamespace;
import dev.dobj.DurableObjectState;
import dev.dobj.DurableObjectStub;
import dev.dobj.Env;
import dev.dobj.ListIdsOptions;
import dev.dobj.runtime.DurableObjectRuntime;
import dev.dobj.runtime.ObjectInfo;
import dev.dobj.runtime.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The test kit, tested with itself. */
@DurableObjectTest(
    bindings = @DurableObjectTest.Binding(name = "NOTES", type = NotesObject.class),
    vars = "GREETING=hello",
    idleTimeoutMillis = 60_000)
class DurableObjectsTest {
  @Bound("NOTES")
  DurableObjectNamespace<Notes> notes;

  @Test
  void runInDurableObject_seesTheInstanceAndItsStorage_afterTheStubsEarlierCalls() {
    DurableObjectStub<Notes> a = notes.getByName("a");
    a.callAsync(
        n -> {
          n.put("k", "v");
          return null;
        });

    List<String> events =
        runInDurableObject(a, (NotesObject o, DurableObjectState ctx) -> List.copyOf(o.events));
    String stored =
        runInDurableObject(
            a,
            (NotesObject o, DurableObjectState ctx) ->
                ctx.storage().get("k", String.class).orElseThrow());

    assertThat(events).containsExactly("put k");
    assertThat(stored).isEqualTo("v");
  }

  @Test
  void runInDurableObject_writesCommitLikeAnyTurn_andSurviveEviction(
      DurableObjectRuntime runtime, ManualClock clock) {
    DurableObjectStub<Notes> a = notes.getByName("a");
    runInDurableObject(
        a,
        (NotesObject o, DurableObjectState ctx) -> {
          ctx.storage().put("k", "written inside");
          return null;
        });
    assertThat(a.call().read("k")).isEqualTo("written inside");

    awaitIdle(runtime);

    clock.advance(Duration.ofSeconds(61));
    runtime.evictIdleObjects();
    assertThat(runtime.liveObjects("NOTES")).isZero();

    assertThat(notes.getByName("a").call().read("k")).isEqualTo("written inside");
    assertThat(runInDurableObject(a, (NotesObject o, DurableObjectState ctx) -> o.events))
        .as("a fresh instance after eviction")
        .isEmpty();
  }

  @Test
  void runInDurableObject_rethrowsWhatTheCodeThrew_asItThrewIt() {
    DurableObjectStub<Notes> a = notes.getByName("a");
    AssertionError failed = new AssertionError("expected 1 but was 2");

    assertThatThrownBy(
            () ->
                runInDurableObject(
                    a,
                    (NotesObject o, DurableObjectState ctx) -> {
                      throw failed;
                    }))
        .isSameAs(failed);
    assertThat(a.call().read("k")).as("the object stays usable").isEmpty();
  }

  @Test
  void runInDurableObject_waitsForTheRunningTurn_throughTheInputGate() throws Exception {
    DurableObjectStub<Notes> a = notes.getByName("a");
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered =
        runInDurableObject(
            a,
            (NotesObject o, DurableObjectState ctx) -> {
              o.release = release;
              return o.entered;
            });
    CompletableFuture<Void> blocked = a.runAsync(Notes::blockUntilReleased);
    assertThat(entered.await(10, TimeUnit.SECONDS)).as("the blocking call started").isTrue();

    CompletableFuture<List<String>> inside =
        CompletableFuture.supplyAsync(
            () ->
                runInDurableObject(
                    notes.getByName("a"),
                    (NotesObject o, DurableObjectState ctx) -> List.copyOf(o.events)));
    release.countDown();

    blocked.get(10, TimeUnit.SECONDS);
    assertThat(inside.get(10, TimeUnit.SECONDS)).containsExactly("call start", "call end");
  }

  /** Blocks the object behind {@code a} in a call until {@code release} opens. */
  private static CompletableFuture<Void> blockedCall(
      DurableObjectStub<Notes> a, CountDownLatch release) throws InterruptedException {
    CountDownLatch entered =
        runInDurableObject(
            a,
            (NotesObject o, DurableObjectState ctx) -> {
              o.entered = new CountDownLatch(1);
              o.release = release;
              return o.entered;
            });
    CompletableFuture<Void> blocked = a.runAsync(Notes::blockUntilReleased);
    assertThat(entered.await(10, TimeUnit.SECONDS)).as("the blocking call started").isTrue();
    return blocked;
  }

  @Test
  void awaitIdle_returnsOnceTheRunningAndQueuedCallsRan(DurableObjectRuntime runtime)
      throws Exception {
    DurableObjectStub<Notes> a = notes.getByName("a");
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> blocked = blockedCall(a, release);
    CompletableFuture<Void> queued = a.runAsync(n -> n.put("k", "v"));
    CompletableFuture<Void> idle = CompletableFuture.runAsync(() -> awaitIdle(runtime));

    assertThat(idle).isNotDone();
    release.countDown();

    idle.get(10, TimeUnit.SECONDS);
    assertThat(blocked).isDone();
    assertThat(queued).isDone();
    assertThat(runtime.busyObjects()).isZero();
    assertThat(a.call().read("k")).isEqualTo("v");
  }

  @Test
  void awaitIdle_failsSayingHowManyObjectsAreBusy_whenOneStaysBusyPastTheLimit(
      DurableObjectRuntime runtime) throws Exception {
    DurableObjectStub<Notes> a = notes.getByName("a");
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> blocked = blockedCall(a, release);

    assertThatThrownBy(() -> awaitIdle(runtime, Duration.ofMillis(50)))
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "1 Durable Object is still busy after 50 ms (a turn running or waiting, queued events"
                + " or writes to commit)");
    release.countDown();
    blocked.get(10, TimeUnit.SECONDS);
    awaitIdle(runtime);
  }

  @Test
  void awaitIdle_thenMovingTheClock_evictsTheObjectsThatSettled(
      DurableObjectRuntime runtime, ManualClock clock) {
    DurableObjectStub<Notes> a = notes.getByName("a");
    a.runAsync(n -> n.put("k", "v"));
    awaitIdle(runtime);
    assertThat(runtime.liveObjects("NOTES")).isOne();

    clock.advance(Duration.ofSeconds(62)); // idle 60 s; the sweep runs every 10 s / 7

    assertThat(runtime.liveObjects("NOTES")).isZero();
    assertThat(a.call().read("k")).isEqualTo("v");
  }

  @Test
  void runDurableObjectAlarm_runsThePendingAlarmNow_andClearsIt(ManualClock clock) {
    DurableObjectStub<Notes> a = notes.getByName("a");
    long at = clock.instant().plus(Duration.ofHours(1)).toEpochMilli();
    a.call().alarmAt(at);

    assertThat(runDurableObjectAlarm(a)).isTrue();

    assertThat(
            runInDurableObject(
                a,
                (NotesObject o, DurableObjectState ctx) ->
                    List.of(o.alarmsRun, ctx.storage().getAlarm().isPresent())))
        .containsExactly(1, false);
    assertThat(runDurableObjectAlarm(a)).as("nothing pending any more").isFalse();
  }

  @Test
  void runDurableObjectAlarm_answersFalse_whenNoAlarmIsSet() {
    assertThat(runDurableObjectAlarm(notes.getByName("never-set"))).isFalse();
  }

  @Test
  void theManualClock_firesAlarmsWhenItPassesTheirTime(
      ManualClock clock, DurableObjectRuntime runtime) {
    DurableObjectStub<Notes> a = notes.getByName("a");
    long at = clock.instant().plus(Duration.ofMinutes(5)).toEpochMilli();
    a.call().alarmAt(at);

    clock.advance(Duration.ofMinutes(4));
    assertThat(runtime.pendingAlarms("NOTES")).isEqualTo(1);
    clock.advance(Duration.ofMinutes(1)); // queues the alarm turn before it returns

    // Queued behind the alarm's turn, so it sees its effect.
    assertThat(
            runInDurableObject(a, (NotesObject o, DurableObjectState ctx) -> List.copyOf(o.events)))
        .containsExactly("alarm " + at);
  }

  @Test
  void bookmarksForATime_followTheManualClock_likeAlarms(ManualClock clock) {
    DurableObjectStub<Notes> a = notes.getByName("a");
    a.call().put("k", "before");
    clock.advance(Duration.ofHours(1));
    Instant between = clock.instant();
    clock.advance(Duration.ofHours(1));
    a.call().put("k", "after");

    String bookmark =
        runInDurableObject(
            a,
            (NotesObject o, DurableObjectState ctx) -> ctx.storage().getBookmarkForTime(between));
    runInDurableObject(
        a,
        (NotesObject o, DurableObjectState ctx) ->
            ctx.storage().onNextSessionRestoreBookmark(bookmark));
    assertThatThrownBy(
            () ->
                runInDurableObject(
                    a,
                    (NotesObject o, DurableObjectState ctx) -> {
                      ctx.abort("restore");
                      return null;
                    }))
        .isInstanceOf(DurableObjectException.class);

    assertThat(notes.getByName("a").call().read("k")).isEqualTo("before");
    assertThatThrownBy(
            () ->
                runInDurableObject(
                    notes.getByName("a"),
                    (NotesObject o, DurableObjectState ctx) ->
                        ctx.storage().getBookmarkForTime(between.minus(Duration.ofDays(1)))))
        .hasMessageContaining("No bookmark for 2025-12-31T01:00:00Z")
        .hasMessageContaining("starts at 2026-01-01T00:00:00Z");
  }

  @Test
  void listDurableObjectIds_listsTheObjectsWithStorage_withTheirNames_inIdOrder() {
    notes.getByName("b").call().put("k", "v");
    notes.getByName("a").call().put("k", "v");
    notes.getByName("only-read").call().read("k");
    DurableObjectId unnamed = notes.newUniqueId();
    notes.get(unnamed).call().put("k", "v");

    List<DurableObjectId> ids = listDurableObjectIds(notes);

    assertThat(ids)
        .containsExactlyInAnyOrder(notes.idFromName("a"), notes.idFromName("b"), unnamed)
        .isSortedAccordingTo((x, y) -> x.toString().compareTo(y.toString()));
    assertThat(ids.stream().map(id -> id.name().orElse("-")))
        .containsExactlyInAnyOrder("a", "b", "-");
  }

  @Test
  void listIds_pagesInIdOrder_afterACursor() {
    for (String name : List.of("a", "b", "c", "d", "e")) {
      notes.getByName(name).call().put("k", name);
    }
    List<DurableObjectId> all = notes.listIds();

    List<DurableObjectId> first = notes.listIds(ListIdsOptions.ALL.withLimit(2));
    List<DurableObjectId> second =
        notes.listIds(ListIdsOptions.ALL.withLimit(2).withStartAfter(first.get(1).toString()));
    List<DurableObjectId> rest =
        notes.listIds(ListIdsOptions.ALL.withStartAfter(second.get(1).toString().toUpperCase()));

    assertThat(first).containsExactlyElementsOf(all.subList(0, 2));
    assertThat(second).containsExactlyElementsOf(all.subList(2, 4));
    assertThat(rest).containsExactlyElementsOf(all.subList(4, 5));
    assertThatThrownBy(() -> notes.listIds(ListIdsOptions.ALL.withStartAfter("nope")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be 64 hex digits")
        .hasMessageContaining("nope");
    assertThatThrownBy(() -> ListIdsOptions.ALL.withLimit(0))
        .hasMessageContaining("List limit must be positive (got 0)");
  }

  @Test
  void objects_reportSizeAndAlarm_ofObjectsInMemoryAndEvicted(
      DurableObjectRuntime runtime, ManualClock clock) {
    long at = clock.instant().plus(Duration.ofHours(1)).toEpochMilli();
    notes.getByName("a").call().alarmAt(at);
    notes.getByName("b").call().put("k", "v");
    awaitIdle(runtime);
    clock.advance(Duration.ofSeconds(61));
    runtime.evictIdleObjects();
    notes.getByName("b").call().read("k"); // b in memory again, a not

    List<ObjectInfo> objects = runtime.objects("NOTES", ListIdsOptions.ALL);

    assertThat(objects)
        .extracting(o -> o.id().name().orElseThrow(), ObjectInfo::alarm)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("a", Optional.of(Instant.ofEpochMilli(at))),
            org.assertj.core.groups.Tuple.tuple("b", Optional.empty()));
    assertThat(objects).allSatisfy(o -> assertThat(o.storageBytes()).isPositive());
  }

  @Test
  void injects_theRuntime_theClock_theEnv_andStubsByName(
      DurableObjectRuntime runtime,
      ManualClock clock,
      Env env,
      @Bound(value = "NOTES", name = "x") DurableObjectStub<Notes> x) {
    assertThat(env.var("GREETING")).contains("hello");
    assertThat(runtime.env()).isSameAs(env);
    assertThat(x.name()).contains("x");
    assertThat(notes.binding()).isEqualTo("NOTES");
    assertThat(clock.instant()).isNotNull();
  }

  @Test
  void inspectStorage_readsAndWritesTheStoredJson_insideTheObject(DurableObjectRuntime runtime) {
    notes.getByName("a").call().put("k", "v");
    DurableObjectId a = notes.idFromName("a");

    String before = runtime.inspectStorage("NOTES", a, s -> s.get("k").orElseThrow());
    runtime.inspectStorage(
        "NOTES",
        a,
        s -> {
          s.put("k", "\"edited\"");
          return null;
        });

    assertThat(before).isEqualTo("\"v\"");
    assertThat(notes.getByName("a").call().read("k")).isEqualTo("edited");
    java.util.Map<String, String> listed =
        runtime.inspectStorage("NOTES", a, s -> s.list(dev.dobj.storage.ListOptions.ALL));
    assertThat(listed).containsExactly(java.util.Map.entry("k", "\"edited\""));
  }
}
