package dev.dobj.runtime.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * KV puts wait in the activation until something must see the store, so a key written many times in
 * a batch costs one store write; what must see them (reads, lists, deletes, transactions, restarts)
 * does.
 */
class PutCoalescingTest extends StorageTestBase {
  private HeldDurability engine;

  @BeforeEach
  void countPuts() {
    runtime.close();
    wrapEngine =
        e -> {
          engine = new HeldDurability(e);
          engine.holding = false;
          return engine;
        };
    runtime = build();
  }

  @Test
  void aKeyWrittenTenTimesInOneTurn_reachesTheStoreOnce_withTheLastValue() {
    assertThat(store("a").incrementTimes("n", 10)).isEqualTo(10);
    assertThat(engine.puts.get()).as("store puts for ten puts of one key").isEqualTo(1);
    assertThat(store("a").incrementTimes("n", 5)).isEqualTo(15);
    assertThat(engine.puts.get()).isEqualTo(2);
  }

  @Test
  void theLastValue_isWhatSurvivesARestart() {
    store("a").incrementTimes("n", 7);
    restart();
    assertThat(store("a").incrementTimes("n", 1)).isEqualTo(8);
  }

  @Test
  void aPutBeforeARolledBackTransaction_survives_andTheTransactionsPutDoesNot() {
    assertThat(store("a").putThenRolledBackTransaction("k", 5)).isEqualTo(5);
    restart();
    assertThat(store("a").incrementTimes("k", 1)).isEqualTo(6);
  }

  @Test
  void listAndDelete_seeAPutOfTheSameTurn() {
    store("a").put("x", "1"); // committed
    store("a").putMany(java.util.Map.of("y", "2", "z", "3"));
    assertThat(store("a").get("y")).hasValue("2");
    assertThat(store("a").delete("z")).isTrue();
    restart();
    assertThat(store("a").get("z")).isEmpty();
    assertThat(store("a").get("y")).hasValue("2");
  }
}
