package dev.dobj.runtime.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dobj.DurableObjectException;
import dev.dobj.DurableObjectStub;
import dev.dobj.runtime.storage.StoreFixtures.Store;
import dev.dobj.runtime.testing.Awaits;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The output gate, with the engine's durability held by the test. */
class OutputGateTest extends StorageTestBase {
  private HeldDurability held;

  @BeforeEach
  void holdDurability() {
    runtime.close();
    wrapEngine =
        e -> {
          held = new HeldDurability(e);
          return held;
        };
    runtime = build();
  }

  @Test
  void aResultWaitsUntilTheWritesBeforeItAreDurable() {
    DurableObjectStub<Store> stub = stores().getByName("a");
    CompletableFuture<Long> result = stub.callAsync(s -> s.increment("n"));
    // The turn ran and committed; its result is held until the batch is durable.
    assertThat(result)
        .failsWithin(Duration.ofMillis(200))
        .withThrowableOfType(java.util.concurrent.TimeoutException.class);
    held.releaseAll();
    assertThat(result).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(1L);
  }

  private void awaitHeld(int batches) {
    Awaits.until(() -> held.held.size() >= batches, batches + " batches waiting for durability");
  }

  @Test
  void laterTurns_runWhileEarlierBatchesWaitForDurability_andResultsLeaveInOrder() {
    DurableObjectStub<Store> stub = stores().getByName("a");
    CompletableFuture<Long> first = stub.callAsync(s -> s.increment("n"));
    CompletableFuture<Long> second = stub.callAsync(s -> s.increment("n"));
    CompletableFuture<Long> third = stub.callAsync(s -> s.increment("n"));
    CompletableFuture<Void> note = stub.runAsync(s -> s.note("ran"));
    // Every turn runs while no batch is durable yet (the object is not blocked by durability);
    // consecutive turns share commits, so at most three batches wait.
    awaitHeld(1);
    Awaits.until(() -> log().contains("ran"), "the fourth turn to run");
    assertThat(held.held.size()).isBetween(1, 3);
    CompletableFuture<java.util.Optional<String>> read = stub.callAsync(s -> s.get("other"));
    assertThat(first).isNotDone();
    assertThat(note).isNotDone(); // a result after unconfirmed writes is held too
    assertThat(read).isNotDone();
    held.holding = false;
    held.releaseAll();
    assertThat(first).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(1L);
    assertThat(second).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(2L);
    assertThat(third).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(3L);
    assertThat(read).succeedsWithin(Duration.ofSeconds(5));
  }

  @Test
  void turnsQueuedWhileABatchAwaitsDurability_shareTheNextCommit() {
    DurableObjectStub<Store> stub = stores().getByName("a");
    CompletableFuture<Long> first = stub.callAsync(s -> s.increment("n"));
    awaitHeld(1);
    CompletableFuture<Void> blocker = stub.runAsync(s -> s.block("share"));
    java.util.List<CompletableFuture<Long>> later = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      later.add(stub.callAsync(s -> s.incrementAndNote("n")));
    }
    StoreFixtures.open("share");
    // The first batch's sync is still in flight: the ten queued turns join one open batch, which
    // commits once that sync ends.
    Awaits.until(() -> log().size() == 10, "the ten turns to run");
    assertThat(held.held).hasSize(1);
    held.releaseAll();
    assertThat(blocker).succeedsWithin(Duration.ofSeconds(5));
    assertThat(first).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(1L);
    awaitHeld(1);
    assertThat(held.held).hasSize(1);
    assertThat(later).noneMatch(CompletableFuture::isDone);
    held.releaseAll();
    for (int i = 0; i < 10; i++) {
      assertThat(later.get(i)).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(i + 2L);
    }
    assertThat(held.held).isEmpty();
  }

  @Test
  void aResultWithoutWrites_isNotHeld() {
    DurableObjectStub<Store> stub = stores().getByName("a");
    assertThat(stub.callAsync(s -> s.get("k"))).succeedsWithin(Duration.ofSeconds(5));
  }

  @Test
  void aFailedCommit_dropsHeldResults_failsTheirCallers_andResetsTheObject() {
    DurableObjectStub<Store> stub = stores().getByName("a");
    CompletableFuture<Long> result = stub.callAsync(s -> s.increment("n"));
    awaitHeld(1);
    assertThat(result).isNotDone();
    held.failAll(new UncheckedIOException(new java.io.IOException("disk on fire")));
    assertThat(result)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableThat()
        .havingCause()
        .isInstanceOfSatisfying(
            DurableObjectException.class,
            e -> {
              assertThat(e.reset()).isTrue();
              assertThat(e.getMessage())
                  .contains("a storage commit failed")
                  .contains("disk on fire");
            });
    CompletableFuture<Long> later = stub.callAsync(s -> s.increment("n"));
    assertThat(later)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableThat()
        .havingCause()
        .isInstanceOfSatisfying(DurableObjectException.class, e -> assertThat(e.reset()).isTrue());
  }

  @Test
  void sync_waitsForDurability() {
    held.holding = false;
    Store s = store("a");
    s.put("k", "v");
    s.sync();
    assertThat(s.get("k")).contains("v");
  }

  @Test
  void allowUnconfirmedWrites_doNotHoldTheResult() {
    DurableObjectStub<Store> stub = stores().getByName("a");
    CompletableFuture<Void> unconfirmed = stub.runAsync(s -> s.putUnconfirmed("k", "v"));
    assertThat(unconfirmed).succeedsWithin(Duration.ofSeconds(5));
    held.holding = false;
    held.releaseAll();
    assertThat(stub.call().get("k")).contains("v");
  }

  @Test
  void anOutgoingCall_leavesOnlyAfterTheWritesBeforeItAreDurable() {
    DurableObjectStub<Store> a = stores().getByName("a");
    DurableObjectStub<Store> b = stores().getByName("b");
    CompletableFuture<Void> call = a.runAsync(s -> s.writeThenCallOut(b, "k", "v"));
    awaitHeld(1); // a's write waits for durability; the call to b has not left
    assertThat(runtime.liveObjects("STORE")).isEqualTo(1);
    held.holding = false;
    held.releaseAll();
    assertThat(call).succeedsWithin(Duration.ofSeconds(5));
    assertThat(b.call().get("k")).contains("v");
  }
}
