package dev.dobj.runtime.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dobj.DurableObjectException;
import dev.dobj.runtime.storage.StoreFixtures.Item;
import dev.dobj.runtime.storage.StoreFixtures.Store;
import dev.dobj.storage.ListOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KvStorageTest extends StorageTestBase {

  @Test
  void deletingEveryKey_unlistsTheObject_andAWriteListsItAgain_withItsName() {
    Store a = store("a");
    a.put("k1", "v");
    a.put("k2", "v");
    assertThat(stores().listIds()).extracting(id -> id.name().orElseThrow()).containsExactly("a");

    a.delete("k1");
    assertThat(stores().listIds()).hasSize(1);
    a.delete("k2");
    assertThat(stores().listIds()).isEmpty();
    assertThat(a.get("k2")).isEmpty();

    a.put("k3", "back");
    assertThat(stores().listIds()).extracting(id -> id.name().orElseThrow()).containsExactly("a");
    restart();
    assertThat(stores().listIds()).extracting(id -> id.name().orElseThrow()).containsExactly("a");
    assertThat(store("a").get("k3")).contains("back");
  }

  @Test
  void putGetDelete_roundTrip_andSurviveEvictionAndRestart() {
    Store s = store("a");
    assertThat(s.get("k")).isEmpty();
    s.put("k", "v");
    assertThat(s.get("k")).contains("v");
    s.putItem("item", new Item("x", 3, List.of("p", "q")));

    awaitIdle("STORE");
    clock.advance(Duration.ofSeconds(80)); // evicted
    assertThat(runtime.liveObjects("STORE")).isZero();
    assertThat(store("a").get("k")).contains("v");

    restart();
    assertThat(store("a").get("k")).contains("v");
    assertThat(store("a").getItem("item")).contains(new Item("x", 3, List.of("p", "q")));
    assertThat(store("a").delete("k")).isTrue();
    assertThat(store("a").delete("k")).isFalse();
    restart();
    assertThat(store("a").get("k")).isEmpty();
  }

  @Test
  void objectsHaveSeparateStorage() {
    store("a").put("k", "from a");
    store("b").put("k", "from b");
    assertThat(store("a").get("k")).contains("from a");
    assertThat(store("b").get("k")).contains("from b");
  }

  @Test
  void batches_getSortedByKey_putAndDeleteAtomically() {
    Store s = store("a");
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put("c", "3");
    entries.put("a", "1");
    entries.put("b", "2");
    s.putMany(entries);
    assertThat(s.getMany(List.of("c", "missing", "a")))
        .containsExactly(Map.entry("a", "1"), Map.entry("c", "3"));
    assertThat(s.deleteMany(List.of("a", "b", "missing"))).isEqualTo(2);
    assertThat(s.getMany(List.of("a", "b", "c"))).containsOnlyKeys("c");
  }

  @Test
  void batchesOver128Keys_areRefused() {
    List<String> keys = new ArrayList<>();
    Map<String, String> entries = new LinkedHashMap<>();
    for (int i = 0; i < 129; i++) {
      keys.add("k" + i);
      entries.put("k" + i, "v");
    }
    Store s = store("a");
    assertThatThrownBy(() -> s.getMany(keys)).hasMessageContaining("Maximum number of keys is 128");
    assertThatThrownBy(() -> s.deleteMany(keys)).hasMessageContaining("128");
    assertThatThrownBy(() -> s.putMany(entries))
        .hasMessageContaining("Maximum number of pairs is 128");
    assertThat(s.getMany(keys.subList(0, 128))).isEmpty();
  }

  @Test
  void keysOver2048Bytes_areRefusedWithTheSize() {
    Store s = store("a");
    s.put("é".repeat(1024), "fits"); // 2048 bytes
    assertThatThrownBy(() -> s.put("é".repeat(1024) + "x", "v"))
        .isInstanceOf(DurableObjectException.class)
        .hasMessage("Keys cannot be larger than 2048 bytes. A key of size 2049 was provided.");
    assertThat(s.get("é".repeat(1024))).contains("fits");
  }

  @Test
  void valuesOver128KiB_andNullValues_areRefused() {
    Store s = store("a");
    s.putBytes("big", new byte[90 * 1024]);
    assertThatThrownBy(() -> s.putBytes("too-big", new byte[100 * 1024]))
        .hasMessageStartingWith("Values cannot be larger than 131072 bytes. A value of size");
    assertThatThrownBy(() -> s.putNull("k"))
        .hasMessageContaining("Cannot store null under key \"k\"");
  }

  @Test
  void list_honoursEveryOption_inUtf8ByteOrder() {
    Store s = store("a");
    Map<String, String> entries = new LinkedHashMap<>();
    for (String k : List.of("a", "b", "ba", "bb", "c", "\uFFFF", "\uD83D\uDE00", "d")) {
      entries.put(k, k);
    }
    s.putMany(entries);
    assertThat(s.list(ListOptions.ALL).keySet())
        .containsExactly("a", "b", "ba", "bb", "c", "d", "\uFFFF", "\uD83D\uDE00");
    assertThat(s.list(ListOptions.ALL.withPrefix("b")).keySet()).containsExactly("b", "ba", "bb");
    assertThat(s.list(ListOptions.ALL.withStart("b").withEnd("c")).keySet())
        .containsExactly("b", "ba", "bb");
    assertThat(s.list(ListOptions.ALL.withStartAfter("b").withEnd("c")).keySet())
        .containsExactly("ba", "bb");
    assertThat(s.list(ListOptions.ALL.reversed().withLimit(2)).keySet())
        .containsExactly("\uD83D\uDE00", "\uFFFF");
    assertThat(s.list(ListOptions.ALL.withStart("b").withEnd("c").reversed()).keySet())
        .containsExactly("bb", "ba", "b");
    assertThatThrownBy(() -> ListOptions.ALL.withLimit(0))
        .hasMessageStartingWith("List limit must be positive");
  }

  @Test
  void transaction_rollsBackOnException_withoutResettingTheObject() {
    Store s = store("a");
    assertThat(s.txnIncrement("n", false, false)).isEqualTo(1);
    assertThatThrownBy(() -> s.txnIncrement("n", true, false))
        .isInstanceOfSatisfying(
            DurableObjectException.class,
            e -> {
              assertThat(e.reset()).isFalse();
              assertThat(e.getMessage()).isEqualTo("transaction failed on purpose");
            });
    assertThat(s.increment("n")).isEqualTo(2);
    s.txnIncrement("n", false, true); // rollback()
    assertThat(s.increment("n")).isEqualTo(3);
    restart();
    assertThat(store("a").increment("n")).isEqualTo(4);
  }

  @Test
  void deleteAll_insideATransaction_isRefused() {
    assertThatThrownBy(() -> store("a").deleteAllInTransaction())
        .hasMessageContaining("deleteAll() cannot be called inside storage().transaction()");
  }

  @Test
  void deleteAll_removesKvSqlAndTheAlarm() {
    Store s = store("a");
    s.writeBoth("k", "v");
    s.setAlarm(clock.millis() + 60_000);
    s.deleteAll();
    assertThat(s.get("k")).isEmpty();
    assertThat(s.getAlarm()).isEmpty();
    assertThatThrownBy(() -> s.sqlOne("SELECT * FROM t")).hasMessageContaining("no such table");
    restart();
    assertThat(store("a").get("k")).isEmpty();
    assertThat(store("a").getAlarm()).isEmpty();
  }

  @Test
  void anExceptionAfterWrites_doesNotUndoThem() {
    Store s = store("a");
    assertThatThrownBy(() -> s.incrementTwiceAndFail("n")).hasMessage("failed after writing");
    assertThat(s.increment("n")).isEqualTo(3);
  }

  @Test
  void valuesAreCopied_andTypesChecked() {
    Store s = store("a");
    s.put("text", "hello");
    assertThatThrownBy(() -> s.getItem("text"))
        .hasMessageContaining("The value stored under key \"text\" is not a");
  }

  @Test
  void storageOutsideATurn_isRefused_andWithoutAnEngineItIsAClearError() {
    try (var bare =
        dev.dobj.runtime.DurableObjectRuntime.builder()
            .bind("STORE", StoreFixtures.StoreObject.class)
            .build()) {
      Store s = bare.env().namespace("STORE", Store.class).getByName("a").call();
      assertThatThrownBy(() -> s.get("k")).hasMessageContaining("No storage engine is configured");
    }
  }
}
