package dev.dobj.runtime.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dobj.DurableObjectStub;
import dev.dobj.runtime.storage.StoreFixtures.Store;
import dev.dobj.runtime.testing.Awaits;
import dev.dobj.spi.storage.DurabilityFollowUps;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit on an idle object: a turn that ends while the previous batch's sync is in flight
 * leaves its writes in the open batch, and the batch commits once that sync ends, with every turn
 * that ended meanwhile. The engine's durability is held by the test ({@link HeldDurability}), so
 * "the sync in flight" is under its control; no timing is involved.
 */
class CommitAfterSyncTest extends StorageTestBase {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private HeldDurability held;

  @BeforeEach
  void holdDurability() {
    runtime.close();
    tweak = b -> b.meterRegistry(registry);
    wrapEngine =
        e -> {
          held = new HeldDurability(e);
          return held;
        };
    runtime = build();
  }

  private DistributionSummary commits() {
    return registry.get("dobj.storage.commit.turns").tag("namespace", "STORE").summary();
  }

  /** Starts one increment of "n" per call, in E-order on {@code stub}, and waits until all ran. */
  private List<CompletableFuture<Long>> incrementsThatRan(DurableObjectStub<Store> stub, int n) {
    int before = log().size();
    List<CompletableFuture<Long>> results = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      results.add(stub.callAsync(s -> s.incrementAndNote("n")));
    }
    Awaits.until(() -> log().size() == before + n, n + " increments to run");
    return results;
  }

  /** One increment on {@code stub}, committed, its sync held in flight. */
  private CompletableFuture<Long> firstBatchSyncing(DurableObjectStub<Store> stub) {
    CompletableFuture<Long> first = stub.callAsync(s -> s.incrementAndNote("n"));
    Awaits.until(() -> held.held.size() == 1, "the first batch's sync to be in flight");
    return first;
  }

  @Test
  void turnsEndingDuringASync_shareOneCommit_madeWhenTheSyncEnds() {
    DurableObjectStub<Store> stub = stores().getByName("a");
    CompletableFuture<Long> first = firstBatchSyncing(stub);
    assertThat(commits().count()).isEqualTo(1);

    List<CompletableFuture<Long>> next = incrementsThatRan(stub, 5);
    // All five turns ran, one at a time, with the object idle in between: still one commit.
    assertThat(commits().count()).isEqualTo(1);
    assertThat(held.held).hasSize(1);
    assertThat(first).isNotDone();
    assertThat(next).noneMatch(CompletableFuture::isDone);
    // The object has work pending: not idle, and the eviction sweep keeps it.
    assertThat(runtime.busyObjects("STORE")).isEqualTo(1);

    held.releaseAll(); // the first sync ends: the open batch commits with the five turns
    assertThat(first.join()).isEqualTo(1);
    Awaits.until(() -> held.held.size() == 1, "the second batch's sync to be in flight");
    assertThat(commits().count()).isEqualTo(2);
    assertThat(commits().totalAmount()).isEqualTo(6);
    assertThat(commits().max()).isEqualTo(5);
    assertThat(next).noneMatch(CompletableFuture::isDone); // output gate: not durable yet

    held.releaseAll();
    assertThat(next.stream().map(CompletableFuture::join)).containsExactly(2L, 3L, 4L, 5L, 6L);
    awaitIdle("STORE");
    wrapEngine = e -> e;
    restart();
    assertThat(store("a").increment("n")).isEqualTo(7);
  }

  /**
   * The thread that ends a sync (here the test's, inside {@link DurabilityFollowUps#complete}, as
   * an engine's sync thread does) commits the batch that waited for it itself when the object is
   * idle: the batch is committed, and its own sync in flight, by the time the sync's completion
   * returns, with no other thread involved.
   */
  @Test
  void aBatchThatWaitedForASync_isCommittedByTheThreadThatEndedIt_whenTheObjectIsIdle() {
    DurableObjectStub<Store> stub = stores().getByName("a");
    CompletableFuture<Long> first = firstBatchSyncing(stub);
    List<CompletableFuture<Long>> next = incrementsThatRan(stub, 3);
    held.engineDurable.forEach(CompletableFuture::join); // only the test's hold is left

    DurabilityFollowUps.complete(held::releaseAll, 1);

    assertThat(held.committer).isSameAs(Thread.currentThread());
    assertThat(held.held).as("the second batch's sync in flight").hasSize(1);
    assertThat(commits().count()).isEqualTo(2);
    assertThat(commits().max()).isEqualTo(3);
    assertThat(first.join()).isEqualTo(1);
    assertThat(next).noneMatch(CompletableFuture::isDone); // output gate: not durable yet

    held.releaseAll();
    assertThat(next.stream().map(CompletableFuture::join)).containsExactly(2L, 3L, 4L);
  }

  /**
   * A turn of the object runs when the sync ends: the thread that ended the sync does not wait for
   * it (nor run anything of the object's own); the commit is queued behind the turn.
   */
  @Test
  void aBatchThatWaitedForASync_whileATurnRuns_commitsAfterThatTurn_onTheObjectsThread() {
    DurableObjectStub<Store> stub = stores().getByName("a");
    CompletableFuture<Long> first = firstBatchSyncing(stub);
    List<CompletableFuture<Long>> next = incrementsThatRan(stub, 2);
    String gate = "commit-after-sync-busy";
    CompletableFuture<Void> blocked = stub.runAsync(s -> s.block(gate));
    Awaits.until(() -> runtime.busyObjects("STORE") == 1 && !blocked.isDone(), "a turn to run");
    held.engineDurable.forEach(CompletableFuture::join);
    Thread committerBefore = held.committer;

    DurabilityFollowUps.complete(held::releaseAll, 1);

    assertThat(first.join()).isEqualTo(1);
    assertThat(commits().count()).as("nothing committed while the turn runs").isEqualTo(1);
    assertThat(held.committer).isSameAs(committerBefore);
    StoreFixtures.open(gate);
    Awaits.until(() -> held.held.size() == 1, "the second batch's sync to be in flight");
    assertThat(held.committer).isNotSameAs(Thread.currentThread());
    assertThat(commits().count()).isEqualTo(2);
    held.releaseAll();
    assertThat(blocked).succeedsWithin(Duration.ofSeconds(10));
    assertThat(next.stream().map(CompletableFuture::join)).containsExactly(2L, 3L);
  }

  @Test
  void aTurnWithNoSyncInFlight_commitsAtOnce() {
    DurableObjectStub<Store> stub = stores().getByName("a");
    CompletableFuture<Long> first = firstBatchSyncing(stub);
    held.releaseAll();
    assertThat(first.join()).isEqualTo(1);
    awaitIdle("STORE");

    CompletableFuture<Long> second = stub.callAsync(s -> s.incrementAndNote("n"));
    Awaits.until(() -> held.held.size() == 1, "the second batch to commit");
    assertThat(commits().count()).isEqualTo(2);
    assertThat(commits().max()).isEqualTo(1);
    held.releaseAll();
    assertThat(second.join()).isEqualTo(2);
  }

  @Test
  void anIdleObjectWhoseBatchWaitsForASync_isNotEvicted() {
    DurableObjectStub<Store> stub = stores().getByName("a");
    CompletableFuture<Long> first = firstBatchSyncing(stub);
    List<CompletableFuture<Long>> next = incrementsThatRan(stub, 2);

    clock.advance(Duration.ofMinutes(5)); // past the idle timeout: the sweep runs
    assertThat(runtime.liveObjects("STORE")).isEqualTo(1);

    held.releaseAll();
    Awaits.until(() -> held.held.size() == 1, "the second batch's sync to be in flight");
    held.releaseAll();
    assertThat(first.join()).isEqualTo(1);
    assertThat(next.stream().map(CompletableFuture::join)).containsExactly(2L, 3L);
  }

  @Test
  void aFailedSync_failsTheTurnsThatWaitedForIt_andTheOpenBatch() {
    DurableObjectStub<Store> stub = stores().getByName("a");
    CompletableFuture<Long> first = firstBatchSyncing(stub);
    List<CompletableFuture<Long>> next = incrementsThatRan(stub, 3);

    held.failAll(new java.io.UncheckedIOException(new java.io.IOException("fsync failed")));
    assertThat(first).failsWithin(Duration.ofSeconds(10));
    for (CompletableFuture<Long> f : next) {
      assertThat(f).failsWithin(Duration.ofSeconds(10));
    }
    assertThat(held.held).isEmpty(); // the open batch was discarded, never committed
    assertThat(commits().count()).isEqualTo(1);
    // A fresh instance has the first batch (committed; only its sync failed here), not the three.
    held.holding = false;
    assertThat(stores().getByName("a").call().increment("n")).isEqualTo(2);
  }
}
