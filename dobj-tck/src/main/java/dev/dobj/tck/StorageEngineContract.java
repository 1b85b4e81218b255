package dev.dobj.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dobj.NamespaceKey;
import dev.dobj.spi.ObjectAddress;
import dev.dobj.spi.storage.Durability;
import dev.dobj.spi.storage.FencingToken;
import dev.dobj.spi.storage.ObjectStore;
import dev.dobj.spi.storage.SqlResult;
import dev.dobj.spi.storage.StorageEngine;
import dev.dobj.spi.storage.StorageEngine.ScheduledAlarm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of {@link StorageEngine} and {@link ObjectStore}: every promise of their javadoc,
 * checked through the SPI only. An engine is done when its test extends this class and passes:
 *
 * <pre>{@code
 * class MyEngineTest extends StorageEngineContract {
 *   protected StorageEngine newEngine(Path dataDir, Durability durability) {
 *     return new MyEngine(dataDir, durability);
 *   }
 * }
 * }</pre>
 *
 * <p>Each test gets a fresh, empty data directory and an engine on it ({@link #engine}); {@link
 * #reopen()} closes the engine and starts a new one on the same directory, which is how the kit
 * checks what survives. Override {@link #durability()} to run the kit under another durability.
 *
 * <p>What the kit leaves to the runtime: the rules on keys and values (empty keys, sizes, null
 * values), on list options used together ({@code start} with {@code startAfter}) and on SQL that
 * the runtime refuses before it reaches the engine.
 */
public abstract class StorageEngineContract {
  /** The longest any wait in the kit may take before the test fails. */
  protected static final Duration WAIT = Duration.ofSeconds(30);

  /** The namespace most tests use. */
  protected static final String NAMESPACE = "tck-namespace-key";

  /** A second namespace, to check isolation. */
  protected static final String OTHER_NAMESPACE = "tck-other-namespace-key";

  /** The data directory of this test (fresh and empty). */
  @TempDir protected Path dataDir;

  /** The engine under test; replaced by {@link #reopen()}. */
  protected StorageEngine engine;

  /**
   * A new engine storing under {@code dataDir} (a later call may get the same directory: the engine
   * must then see what the earlier one stored).
   */
  protected abstract StorageEngine newEngine(Path dataDir, Durability durability);

  /** The durability the kit runs under; {@link Durability#FSYNC} unless overridden. */
  protected Durability durability() {
    return Durability.FSYNC;
  }

  @BeforeEach
  void startEngine() {
    engine = newEngine(dataDir, durability());
  }

  @AfterEach
  void closeEngine() {
    if (engine != null) {
      engine.close();
    }
  }

  /** Closes the engine and starts a new one on the same data directory. */
  protected StorageEngine reopen() {
    engine.close();
    engine = newEngine(dataDir, durability());
    return engine;
  }

  // ---- helpers
  // -----------------------------------------------------------------------------------

  /** The address of the object named {@code name} in {@link #NAMESPACE}. */
  protected static ObjectAddress address(String name) {
    return address(NAMESPACE, name);
  }

  /** The address of the object named {@code name} in {@code namespace}. */
  protected static ObjectAddress address(String namespace, String name) {
    return new ObjectAddress(namespace, NamespaceKey.of(namespace).idFromName(name));
  }

  /** The id (64 hex digits) of the object named {@code name} in {@link #NAMESPACE}. */
  protected static String id(String name) {
    return address(name).id().toString();
  }

  /** Opens the store of the object named {@code name} in {@link #NAMESPACE}. */
  protected ObjectStore open(String name) {
    return engine.open(address(name), FencingToken.SINGLE_NODE);
  }

  protected static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  protected static String text(Optional<byte[]> value) {
    return value.map(b -> new String(b, StandardCharsets.UTF_8)).orElse(null);
  }

  /** Commits and waits until the batch is durable; returns its sequence number. */
  protected static long commitDurably(ObjectStore store) {
    long sequence = store.commit();
    assertThat(store.durable(sequence))
        .as("durable(%d) after commit", sequence)
        .succeedsWithin(WAIT);
    return sequence;
  }

  /** Puts {@code key} = {@code value} (UTF-8) in its own durable batch of object {@code name}. */
  protected void putDurably(String name, String key, String value) {
    try (ObjectStore s = open(name)) {
      s.put(key, bytes(value));
      commitDurably(s);
    }
  }

  private static List<String> keys(List<Map.Entry<String, byte[]>> entries) {
    return entries.stream().map(Map.Entry::getKey).toList();
  }

  private static List<String> list(ObjectStore s) {
    return keys(
        s.list(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            false,
            Integer.MAX_VALUE));
  }

  private static Optional<String> o(String s) {
    return Optional.ofNullable(s);
  }

  private static List<String> list(
      ObjectStore s,
      String start,
      String startAfter,
      String end,
      String prefix,
      boolean reverse,
      int limit) {
    return keys(s.list(o(start), o(startAfter), o(end), o(prefix), reverse, limit));
  }

  private static void putAll(ObjectStore s, String... keys) {
    for (String k : keys) {
      s.put(k, bytes("v:" + k));
    }
  }

  private static Optional<Instant> at(long epochMillis) {
    return Optional.of(Instant.ofEpochMilli(epochMillis));
  }

  private static void assertRefused(Runnable r, String messagePart) {
    assertThatThrownBy(r::run)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(messagePart);
  }

  // ---- KV
  // ----------------------------------------------------------------------------------------

  @Test
  void anObjectWithoutState_readsEmpty_andOpeningItCreatesNothing() {
    try (ObjectStore s = open("nobody")) {
      assertThat(s.get("k")).isEmpty();
      assertThat(list(s)).isEmpty();
      assertThat(s.alarm()).isEmpty();
      assertThat(s.name()).isEmpty();
      assertThat(s.delete("k")).isFalse();
      long before = s.commit();
      assertThat(s.commit()).isEqualTo(before);
    }
    assertThat(engine.listObjects(NAMESPACE, Optional.empty(), 10)).isEmpty();
    reopen();
    assertThat(engine.listObjects(NAMESPACE, Optional.empty(), 10)).isEmpty();
  }

  @Test
  void put_isReadBackAtOnce_beforeAndAfterCommit() {
    try (ObjectStore s = open("a")) {
      s.put("k", bytes("v1"));
      assertThat(text(s.get("k"))).isEqualTo("v1");
      commitDurably(s);
      assertThat(text(s.get("k"))).isEqualTo("v1");
      s.put("k", bytes("v2"));
      assertThat(text(s.get("k"))).isEqualTo("v2");
      commitDurably(s);
    }
    reopen();
    try (ObjectStore s = open("a")) {
      assertThat(text(s.get("k"))).isEqualTo("v2");
    }
  }

  @Test
  void values_areKeptByteForByte_includingEmptyOnes() {
    byte[] all = new byte[256];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) i;
    }
    try (ObjectStore s = open("a")) {
      s.put("all", all);
      s.put("empty", new byte[0]);
      commitDurably(s);
    }
    reopen();
    try (ObjectStore s = open("a")) {
      assertThat(s.get("all")).hasValueSatisfying(v -> assertThat(v).isEqualTo(all));
      assertThat(s.get("empty")).hasValueSatisfying(v -> assertThat(v).isEmpty());
      assertThat(s.list(o(null), o(null), o(null), o("emp"), false, 10))
          .singleElement()
          .satisfies(e -> assertThat(e.getValue()).isEmpty());
    }
  }

  @Test
  void delete_saysWhetherTheKeyExisted() {
    try (ObjectStore s = open("a")) {
      s.put("k", bytes("v"));
      commitDurably(s);
      assertThat(s.delete("missing")).isFalse();
      assertThat(s.delete("k")).isTrue();
      assertThat(s.get("k")).isEmpty();
      assertThat(s.delete("k")).isFalse();
      s.put("new", bytes("v"));
      assertThat(s.delete("new")).isTrue();
      commitDurably(s);
    }
    reopen();
    try (ObjectStore s = open("a")) {
      assertThat(s.get("k")).isEmpty();
      assertThat(s.get("new")).isEmpty();
    }
  }

  @Test
  void list_ordersKeysByTheirUtf8Bytes() {
    // UTF-16 order would put the surrogate pair (U+1F600) before U+FFFF; UTF-8 byte order after.
    List<String> expected =
        List.of("A", "a", "a\u0000", "a\u0000b", "aa", "z", "é", "\uFFFF", "\uD83D\uDE00");
    try (ObjectStore s = open("a")) {
      List<String> shuffled = new ArrayList<>(expected);
      java.util.Collections.reverse(shuffled);
      putAll(s, shuffled.toArray(String[]::new));
      assertThat(list(s)).as("uncommitted").containsExactlyElementsOf(expected);
      commitDurably(s);
      assertThat(list(s)).as("committed").containsExactlyElementsOf(expected);
      assertThat(list(s, null, null, null, null, true, 100))
          .containsExactlyElementsOf(expected.reversed());
      assertThat(text(s.get("a\u0000"))).isEqualTo("v:a\u0000");
    }
  }

  @Test
  void list_start_isInclusive_startAfter_andEnd_areExclusive() {
    try (ObjectStore s = open("a")) {
      putAll(s, "a", "b", "c", "d", "e");
      assertThat(list(s, "b", null, null, null, false, 100)).containsExactly("b", "c", "d", "e");
      assertThat(list(s, null, "b", null, null, false, 100)).containsExactly("c", "d", "e");
      assertThat(list(s, null, null, "d", null, false, 100)).containsExactly("a", "b", "c");
      assertThat(list(s, "b", null, "d", null, false, 100)).containsExactly("b", "c");
      assertThat(list(s, null, "b", "d", null, false, 100)).containsExactly("c");
      assertThat(list(s, "bb", null, "c", null, false, 100)).isEmpty();
      assertThat(list(s, "d", null, "b", null, false, 100)).as("start after end").isEmpty();
    }
  }

  @Test
  void list_prefix_selectsTheKeysThatStartWithIt() {
    try (ObjectStore s = open("a")) {
      putAll(
          s,
          "app",
          "apple",
          "apply",
          "apq",
          "ap",
          "b",
          "é1",
          "é2",
          "f",
          "\uFFFFx",
          "\uFFFF",
          "\uD83D\uDE00a",
          "\uD83D\uDE01");
      assertThat(list(s, null, null, null, "app", false, 100))
          .containsExactly("app", "apple", "apply");
      assertThat(list(s, null, null, null, "é", false, 100)).containsExactly("é1", "é2");
      assertThat(list(s, null, null, null, "\uFFFF", false, 100))
          .containsExactly("\uFFFF", "\uFFFFx");
      assertThat(list(s, null, null, null, "\uD83D\uDE00", false, 100))
          .containsExactly("\uD83D\uDE00a");
      assertThat(list(s, null, null, null, "zz", false, 100)).isEmpty();
      assertThat(list(s, null, null, null, "", false, 100)).hasSize(13);
    }
  }

  @Test
  void list_prefix_combinesWithTheBounds() {
    try (ObjectStore s = open("a")) {
      putAll(s, "a", "p1", "p2", "p3", "p4", "q");
      assertThat(list(s, "p2", null, null, "p", false, 100)).containsExactly("p2", "p3", "p4");
      assertThat(list(s, null, "p2", "p4", "p", false, 100)).containsExactly("p3");
      assertThat(list(s, "a", null, "z", "p", false, 100)).containsExactly("p1", "p2", "p3", "p4");
      assertThat(list(s, "p2", null, null, "p", true, 2)).containsExactly("p4", "p3");
    }
  }

  @Test
  void list_reverse_descends_andKeepsTheMeaningOfTheBounds() {
    try (ObjectStore s = open("a")) {
      putAll(s, "a", "b", "c", "d", "e");
      assertThat(list(s, "b", null, "e", null, true, 100)).containsExactly("d", "c", "b");
      assertThat(list(s, null, "b", null, null, true, 100)).containsExactly("e", "d", "c");
      assertThat(list(s, null, null, null, null, true, 2)).containsExactly("e", "d");
    }
  }

  @Test
  void list_limit_keepsTheFirstEntriesInTheOrder() {
    try (ObjectStore s = open("a")) {
      putAll(s, "e", "d", "c", "b", "a");
      assertThat(list(s, null, null, null, null, false, 2)).containsExactly("a", "b");
      assertThat(list(s, null, null, null, null, false, 1)).containsExactly("a");
      assertThat(list(s, "c", null, null, null, false, 2)).containsExactly("c", "d");
      assertThat(list(s, null, null, null, null, false, 5)).hasSize(5);
    }
  }

  @Test
  void list_seesTheOpenBatch_andItsValues() {
    try (ObjectStore s = open("a")) {
      putAll(s, "a", "b", "c");
      commitDurably(s);
      s.delete("b");
      s.put("d", bytes("new"));
      s.put("a", bytes("changed"));
      List<Map.Entry<String, byte[]>> entries =
          s.list(o(null), o(null), o(null), o(null), false, 100);
      assertThat(keys(entries)).containsExactly("a", "c", "d");
      assertThat(new String(entries.get(0).getValue(), StandardCharsets.UTF_8))
          .isEqualTo("changed");
      assertThat(new String(entries.get(2).getValue(), StandardCharsets.UTF_8)).isEqualTo("new");
    }
  }

  // ---- batches
  // -----------------------------------------------------------------------------------

  @Test
  void commit_numbersBatchesIncreasingly_andNotWhenNothingWasWritten() {
    try (ObjectStore s = open("a")) {
      long first = s.commit();
      assertThat(s.commit()).as("empty batch").isEqualTo(first);
      s.put("k", bytes("v"));
      long second = s.commit();
      assertThat(second).isGreaterThan(first);
      assertThat(s.commit()).as("empty batch").isEqualTo(second);
      s.get("k");
      s.list(o(null), o(null), o(null), o(null), false, 10);
      s.alarm();
      s.name();
      assertThat(s.delete("missing")).isFalse();
      s.execute("SELECT 1");
      assertThat(s.commit()).as("reads only").isEqualTo(second);
      s.execute("CREATE TABLE t (x)");
      long third = s.commit();
      assertThat(third).isGreaterThan(second);
      s.execute("INSERT INTO t VALUES (1)");
      long fourth = s.commit();
      assertThat(fourth).isGreaterThan(third);
      s.execute("UPDATE t SET x = 2 WHERE x = 99");
      assertThat(s.commit()).as("an update that changed no row").isEqualTo(fourth);
      s.setAlarm(at(5_000));
      long fifth = s.commit();
      assertThat(fifth).isGreaterThan(fourth);
      assertThat(s.durable(fifth)).succeedsWithin(WAIT);
    }
  }

  @Test
  void rollback_discardsTheOpenBatch_andOnlyIt() {
    try (ObjectStore s = open("a")) {
      s.put("kept", bytes("v"));
      s.execute("CREATE TABLE t (x)");
      long committed = commitDurably(s);
      s.put("new", bytes("v"));
      s.delete("kept");
      s.execute("INSERT INTO t VALUES (1)");
      s.execute("CREATE TABLE u (y)");
      s.setAlarm(at(7_000));
      s.setName("a-name");
      s.rollback();
      assertThat(text(s.get("kept"))).isEqualTo("v");
      assertThat(s.get("new")).isEmpty();
      assertThat(s.execute("SELECT count(*) FROM t").rows().get(0)[0]).isEqualTo(0L);
      assertRefused(() -> s.execute("SELECT * FROM u"), "no such table: u");
      assertThat(s.alarm()).isEmpty();
      assertThat(s.name()).isEmpty();
      assertThat(s.commit()).isEqualTo(committed);
    }
  }

  @Test
  void rollback_ofTheFirstBatch_leavesNoState() {
    try (ObjectStore s = open("a")) {
      s.put("k", bytes("v"));
      s.execute("CREATE TABLE t (x)");
      s.rollback();
      assertThat(s.get("k")).isEmpty();
      s.commit();
    }
    assertThat(engine.listObjects(NAMESPACE, Optional.empty(), 10)).isEmpty();
  }

  @Test
  void closingAStore_discardsItsUncommittedWrites() {
    try (ObjectStore s = open("a")) {
      s.put("committed", bytes("v"));
      commitDurably(s);
      s.put("uncommitted", bytes("v"));
    }
    try (ObjectStore s = open("a")) {
      assertThat(s.get("uncommitted")).isEmpty();
      assertThat(text(s.get("committed"))).isEqualTo("v");
    }
  }

  @Test
  void savepoints_nestThreeDeep_withReleaseAndRollback() {
    try (ObjectStore s = open("a")) {
      s.put("k0", bytes("v"));
      s.savepoint();
      s.put("k1", bytes("v"));
      s.savepoint();
      s.put("k2", bytes("v"));
      s.savepoint();
      s.put("k3", bytes("v"));
      assertThat(list(s)).containsExactly("k0", "k1", "k2", "k3");
      s.rollbackSavepoint(); // undoes k3
      assertThat(list(s)).containsExactly("k0", "k1", "k2");
      s.releaseSavepoint(); // keeps k2 in the outer savepoint
      assertThat(list(s)).containsExactly("k0", "k1", "k2");
      s.put("k4", bytes("v"));
      s.rollbackSavepoint(); // undoes k1, k2, k4
      assertThat(list(s)).containsExactly("k0");
      s.savepoint();
      s.put("k5", bytes("v"));
      s.releaseSavepoint();
      commitDurably(s);
    }
    reopen();
    try (ObjectStore s = open("a")) {
      assertThat(list(s)).containsExactly("k0", "k5");
    }
  }

  @Test
  void rollbackSavepoint_undoesSqlAlarmAndNameToo() {
    try (ObjectStore s = open("a")) {
      s.execute("CREATE TABLE t (x)");
      s.execute("INSERT INTO t VALUES (1)");
      s.setAlarm(at(1_000));
      commitDurably(s);
      s.savepoint();
      s.execute("INSERT INTO t VALUES (2)");
      s.execute("CREATE TABLE u (y)");
      s.setAlarm(at(2_000));
      s.setName("later");
      s.rollbackSavepoint();
      assertThat(s.execute("SELECT x FROM t").rows()).hasSize(1);
      assertRefused(() -> s.execute("SELECT * FROM u"), "no such table: u");
      assertThat(s.alarm()).isEqualTo(at(1_000));
      assertThat(s.name()).isEmpty();
    }
  }

  @Test
  void aSavepointRolledBack_leavesNothingToCommit() {
    try (ObjectStore s = open("a")) {
      s.put("k", bytes("v"));
      long committed = commitDurably(s);
      s.savepoint();
      s.put("k2", bytes("v"));
      s.rollbackSavepoint();
      assertThat(s.commit()).isEqualTo(committed);
    }
  }

  @Test
  void deleteAll_removesKvTablesAndTheAlarm_inTheOpenBatch() {
    try (ObjectStore s = open("a")) {
      s.put("k", bytes("v"));
      s.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
      s.execute("CREATE TABLE child (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent(id))");
      s.execute("CREATE INDEX child_p ON child (p)");
      s.execute("CREATE VIEW children AS SELECT * FROM child");
      s.execute(
          "CREATE TRIGGER add_child AFTER INSERT ON parent BEGIN INSERT INTO child (p) VALUES"
              + " (NEW.id); END");
      s.execute("INSERT INTO parent (id) VALUES (1)");
      s.setAlarm(at(3_000));
      commitDurably(s);

      s.deleteAll();
      assertThat(s.get("k")).isEmpty();
      assertThat(list(s)).isEmpty();
      assertThat(s.alarm()).isEmpty();
      assertRefused(() -> s.execute("SELECT * FROM parent"), "no such table");
      assertRefused(() -> s.execute("SELECT * FROM children"), "no such table");
      s.put("after", bytes("v"));
      commitDurably(s);
    }
    reopen();
    try (ObjectStore s = open("a")) {
      assertThat(list(s)).containsExactly("after");
      assertThat(s.alarm()).isEmpty();
      assertRefused(() -> s.execute("SELECT * FROM child"), "no such table");
      // every name is free again
      s.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
      s.execute("CREATE INDEX child_p ON parent (id)");
      s.execute("CREATE VIEW children AS SELECT * FROM parent");
      commitDurably(s);
    }
  }

  @Test
  void deleteAll_isUndoneByRollback() {
    try (ObjectStore s = open("a")) {
      s.put("k", bytes("v"));
      s.execute("CREATE TABLE t (x)");
      s.setAlarm(at(3_000));
      long committed = commitDurably(s);
      s.deleteAll();
      s.rollback();
      assertThat(text(s.get("k"))).isEqualTo("v");
      assertThat(s.execute("SELECT count(*) FROM t").rows()).hasSize(1);
      assertThat(s.alarm()).isEqualTo(at(3_000));
      assertThat(s.commit()).isEqualTo(committed);
    }
  }

  @Test
  void deleteAll_ofAnObjectWithoutName_leavesItWithoutState() {
    try (ObjectStore s = open("a")) {
      s.put("k", bytes("v"));
      s.execute("CREATE TABLE t (x)");
      commitDurably(s);
    }
    assertThat(engine.listObjects(NAMESPACE, Optional.empty(), 10)).containsExactly(id("a"));
    try (ObjectStore s = open("a")) {
      s.deleteAll();
      commitDurably(s);
    }
    assertThat(engine.listObjects(NAMESPACE, Optional.empty(), 10)).isEmpty();
    reopen();
    assertThat(engine.listObjects(NAMESPACE, Optional.empty(), 10)).isEmpty();
    try (ObjectStore s = open("a")) {
      assertThat(s.get("k")).isEmpty();
      s.put("again", bytes("v"));
      commitDurably(s);
    }
    assertThat(engine.listObjects(NAMESPACE, Optional.empty(), 10)).containsExactly(id("a"));
  }

  // ---- SQL
  // ---------------------------------------------------------------------------------------

  @Test
  void execute_runsDdlAndDml_andReportsColumnsRowsAndCounts() {
    try (ObjectStore s = open("a")) {
      SqlResult create =
          s.execute("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INT)");
      assertThat(create.columns()).isEmpty();
      assertThat(create.rows()).isEmpty();
      assertThat(create.rowsWritten()).isZero();

      SqlResult insert =
          s.execute(
              "INSERT INTO people (name, age) VALUES (?, ?), (?, ?), (?, ?)",
              "Ada",
              36L,
              "Bob",
              null,
              "Cy",
              7);
      assertThat(insert.rowsWritten()).isEqualTo(3);
      assertThat(insert.rows()).isEmpty();

      SqlResult select = s.execute("SELECT id, name AS who, age FROM people ORDER BY id");
      assertThat(select.columns()).containsExactly("id", "who", "age");
      assertThat(select.rows())
          .containsExactly(
              new Object[] {1L, "Ada", 36L},
              new Object[] {2L, "Bob", null},
              new Object[] {3L, "Cy", 7L});
      assertThat(select.rowsRead()).isGreaterThanOrEqualTo(3);
      assertThat(select.rowsWritten()).isZero();

      assertThat(s.execute("UPDATE people SET age = age + 1 WHERE age IS NOT NULL").rowsWritten())
          .isEqualTo(2);
      assertThat(s.execute("DELETE FROM people WHERE name = ?", "Cy").rowsWritten()).isEqualTo(1);
      SqlResult returning =
          s.execute("INSERT INTO people (name) VALUES ('Dee') RETURNING name, age");
      assertThat(returning.columns()).containsExactly("name", "age");
      assertThat(returning.rows()).containsExactly(new Object[] {"Dee", null});
      assertThat(returning.rowsWritten()).isEqualTo(1);
      commitDurably(s);
    }
    reopen();
    try (ObjectStore s = open("a")) {
      assertThat(s.execute("SELECT name, age FROM people ORDER BY id").rows())
          .containsExactly(
              new Object[] {"Ada", 37L}, new Object[] {"Bob", null}, new Object[] {"Dee", null});
    }
  }

  @Test
  void execute_bindsEveryValueType() {
    byte[] blob = {0, 1, (byte) 0xff};
    try (ObjectStore s = open("a")) {
      s.execute("CREATE TABLE v (n INTEGER PRIMARY KEY, x)");
      Object[] values = {42L, 7, 2.5, "text ✓", blob, true, false, null};
      for (int i = 0; i < values.length; i++) {
        s.execute("INSERT INTO v (n, x) VALUES (?, ?)", (long) i, values[i]);
      }
      List<Object[]> rows = s.execute("SELECT typeof(x), x FROM v ORDER BY n").rows();
      assertThat(rows.stream().map(r -> r[0]).toList())
          .containsExactly(
              "integer", "integer", "real", "text", "blob", "integer", "integer", "null");
      assertThat(rows.get(0)[1]).isEqualTo(42L);
      assertThat(rows.get(1)[1]).isEqualTo(7L);
      assertThat(rows.get(2)[1]).isEqualTo(2.5);
      assertThat(rows.get(3)[1]).isEqualTo("text ✓");
      assertThat((byte[]) rows.get(4)[1]).isEqualTo(blob);
      assertThat(rows.get(5)[1]).isEqualTo(1L);
      assertThat(rows.get(6)[1]).isEqualTo(0L);
      assertThat(rows.get(7)[1]).isNull();
      assertThat(s.execute("SELECT ? = ?", Long.MAX_VALUE, Long.MAX_VALUE).rows().get(0)[0])
          .isEqualTo(1L);
    }
  }

  @Test
  void execute_returnsEachSqliteTypeAsItsJavaType() {
    try (ObjectStore s = open("a")) {
      Object[] row =
          s.execute("SELECT 1, 9007199254740993, 2.5, 'x', x'00ff', x'', NULL").rows().get(0);
      assertThat(row[0]).isEqualTo(1L);
      assertThat(row[1]).isEqualTo(9007199254740993L);
      assertThat(row[2]).isEqualTo(2.5);
      assertThat(row[3]).isEqualTo("x");
      assertThat((byte[]) row[4]).containsExactly(0, 0xff);
      assertThat((byte[]) row[5]).isEmpty();
      assertThat(row[6]).isNull();
    }
  }

  @Test
  void execute_refusesWhatABatchCannotHold_inEveryStatement_withTheSpecsWords() {
    try (ObjectStore s = open("a")) {
      for (String q : List.of("BEGIN", "COMMIT", "SELECT 1; SAVEPOINT x", "SELECT 1; ROLLBACK")) {
        assertRefused(() -> s.execute(q), "please use the ctx.storage().transaction() API");
      }
      assertRefused(() -> s.execute("ATTACH DATABASE 'x.db' AS x"), "ATTACH is not allowed");
      assertRefused(() -> s.execute("SELECT 1; SELECT * FROM _dobj_x"), "_dobj_x is not allowed");
      // nothing of a refused query ran
      assertRefused(() -> s.execute("CREATE TABLE t (x); COMMIT"), "instead of the SQL COMMIT");
      assertThat(s.execute("SELECT count(*) FROM sqlite_master WHERE name = 't'").rows().get(0)[0])
          .isEqualTo(0L);
    }
  }

  @Test
  void execute_reportsWhetherTheQueryChangedTheDatabase() {
    try (ObjectStore s = open("a")) {
      assertThat(s.execute("CREATE TABLE t (x INTEGER)").changed()).isTrue();
      assertThat(s.execute("INSERT INTO t VALUES (1)").changed()).isTrue();
      assertThat(s.execute("SELECT * FROM t").changed()).isFalse();
      assertThat(s.execute("UPDATE t SET x = 2 WHERE x = 99").changed()).isFalse();
      assertThat(s.execute("UPDATE t SET x = 2 WHERE x = 99; DELETE FROM t").changed()).isTrue();
      commitDurably(s);
    }
    try (ObjectStore s = open("a")) {
      assertThat(s.execute("SELECT count(*) FROM t").rows().get(0)[0]).isEqualTo(0L);
    }
  }

  @Test
  void execute_sqliteErrors_areIllegalArgumentWithSqlitesMessage() {
    try (ObjectStore s = open("a")) {
      s.execute(
          "CREATE TABLE t (id INTEGER PRIMARY KEY, u TEXT UNIQUE, n TEXT NOT NULL, c INT CHECK (c >"
              + " 0), p INTEGER REFERENCES t(id))");
      s.execute("INSERT INTO t (id, u, n, c) VALUES (1, 'a', 'x', 1)");
      assertRefused(() -> s.execute("SELEC 1"), "syntax error");
      assertRefused(() -> s.execute("SELECT * FROM nope"), "no such table: nope");
      assertRefused(
          () -> s.execute("INSERT INTO t (u, n, c) VALUES ('a', 'x', 1)"),
          "UNIQUE constraint failed");
      assertRefused(
          () -> s.execute("INSERT INTO t (u, n, c) VALUES ('b', NULL, 1)"),
          "NOT NULL constraint failed");
      assertRefused(
          () -> s.execute("INSERT INTO t (u, n, c) VALUES ('b', 'x', 0)"),
          "CHECK constraint failed");
      assertRefused(
          () -> s.execute("INSERT INTO t (u, n, c, p) VALUES ('b', 'x', 1, 99)"),
          "FOREIGN KEY constraint failed");
      assertThatThrownBy(() -> s.execute("SELECT ?", new Object()))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> s.execute("SELECT ?, ?", 1L))
          .isInstanceOf(IllegalArgumentException.class);
      // the store stays usable and the batch keeps its earlier writes
      s.execute("INSERT INTO t (u, n, c) VALUES ('b', 'x', 1)");
      commitDurably(s);
      assertThat(s.execute("SELECT count(*) FROM t").rows().get(0)[0]).isEqualTo(2L);
    }
  }

  @Test
  void aFailedStatement_keepsTheEarlierWritesOfItsBatch() {
    try (ObjectStore s = open("a")) {
      s.execute("CREATE TABLE t (x UNIQUE)");
      s.put("k", bytes("v"));
      s.execute("INSERT INTO t VALUES (1)");
      assertRefused(() -> s.execute("INSERT INTO t VALUES (2), (1)"), "UNIQUE");
      commitDurably(s);
    }
    reopen();
    try (ObjectStore s = open("a")) {
      assertThat(text(s.get("k"))).isEqualTo("v");
      assertThat(s.execute("SELECT x FROM t").rows()).containsExactly(new Object[] {1L});
    }
  }

  @Test
  void execute_limits_columnsParametersStatementLengthAndValueSize() {
    try (ObjectStore s = open("a")) {
      String columns100 =
          IntStream.range(0, 100).mapToObj(i -> "c" + i).collect(Collectors.joining(", "));
      s.execute("CREATE TABLE wide (" + columns100 + ")");
      assertRefused(
          () -> s.execute("CREATE TABLE wider (" + columns100 + ", c100)"), "too many columns");

      Object[] params100 = IntStream.range(0, 100).mapToObj(i -> (Object) (long) i).toArray();
      String marks100 = String.join(",", java.util.Collections.nCopies(100, "?"));
      assertThat(s.execute("SELECT " + marks100, params100).columns()).hasSize(100);
      Object[] params101 = IntStream.range(0, 101).mapToObj(i -> (Object) (long) i).toArray();
      assertRefused(() -> s.execute("SELECT " + marks100 + ",?", params101), "too many");

      assertThat(s.execute("SELECT 1" + " ".repeat(99_000)).rows()).hasSize(1);
      assertRefused(() -> s.execute("SELECT 1" + " ".repeat(100_001)), "too");

      s.execute("CREATE TABLE blobs (b)");
      s.execute("INSERT INTO blobs VALUES (?)", new byte[1_000_000]);
      assertThatThrownBy(() -> s.execute("INSERT INTO blobs VALUES (?)", new byte[2_000_001]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("too big");
      assertThatThrownBy(() -> s.execute("SELECT zeroblob(2000001)"))
          .isInstanceOf(IllegalArgumentException.class);
      commitDurably(s);
      assertThat(s.execute("SELECT length(b) FROM blobs").rows())
          .containsExactly(new Object[] {1_000_000L});
    }
  }

  @Test
  void aReadOnlyQuery_onAnObjectWithoutState_createsNothing() {
    try (ObjectStore s = open("a")) {
      assertThat(s.execute("SELECT 1 + 1 AS two").rows()).containsExactly(new Object[] {2L});
      assertRefused(() -> s.execute("SELECT * FROM t"), "no such table");
      long sequence = s.commit();
      assertThat(s.commit()).isEqualTo(sequence);
    }
    assertThat(engine.listObjects(NAMESPACE, Optional.empty(), 10)).isEmpty();
  }

  @Test
  void databaseSize_growsWithTheData() {
    try (ObjectStore s = open("a")) {
      s.execute("CREATE TABLE t (b)");
      commitDurably(s);
      long before = s.databaseSize();
      assertThat(before).isPositive();
      s.execute("INSERT INTO t VALUES (?)", new byte[200_000]);
      commitDurably(s);
      assertThat(s.databaseSize()).isGreaterThan(before + 150_000);
    }
  }

  @Test
  void aStatementRunAgain_seesTheSchemaAsItIsNow() {
    try (ObjectStore s = open("a")) {
      s.execute("CREATE TABLE t (x)");
      s.execute("INSERT INTO t VALUES (?)", 1L);
      assertThat(s.execute("SELECT * FROM t").columns()).containsExactly("x");
      s.execute("DROP TABLE t");
      assertRefused(() -> s.execute("SELECT * FROM t"), "no such table: t");
      assertRefused(() -> s.execute("SELECT * FROM t"), "no such table: t"); // again, same error
      s.execute("CREATE TABLE t (y, z)");
      s.execute("INSERT INTO t VALUES (?, ?)", 2L, "two");
      SqlResult r = s.execute("SELECT * FROM t");
      assertThat(r.columns()).containsExactly("y", "z");
      assertThat(r.rows()).containsExactly(new Object[] {2L, "two"});
      // A statement refused for its bindings runs fine with the right ones afterwards.
      assertRefused(() -> s.execute("INSERT INTO t VALUES (?, ?)", 3L), "parameter");
      s.execute("INSERT INTO t VALUES (?, ?)", 3L, "three");
      commitDurably(s);
      assertThat(s.execute("SELECT count(*) FROM t").rows().get(0)[0]).isEqualTo(2L);
    }
  }

  @Test
  void manyDistinctStatements_eachRunAgain_giveTheirOwnResults() {
    try (ObjectStore s = open("a")) {
      s.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v)");
      for (long k = 0; k < 100; k++) {
        s.execute("INSERT INTO t VALUES (" + k + ", " + (k * k) + ")");
      }
      for (int round = 0; round < 3; round++) {
        for (long k = 99; k >= 0; k--) {
          assertThat(s.execute("SELECT v FROM t WHERE k = " + k).rows().get(0)[0]).isEqualTo(k * k);
        }
      }
      s.rollback();
    }
  }

  // ---- atomicity and durability
  // ------------------------------------------------------------------

  @Test
  void kvAndSqlOfOneBatch_surviveAReopenTogether() {
    try (ObjectStore s = open("a")) {
      s.execute("CREATE TABLE t (x)");
      s.execute("INSERT INTO t VALUES ('sql')");
      s.put("k", bytes("kv"));
      commitDurably(s);
    }
    reopen();
    try (ObjectStore s = open("a")) {
      assertThat(text(s.get("k"))).isEqualTo("kv");
      assertThat(s.execute("SELECT x FROM t").rows()).containsExactly(new Object[] {"sql"});
    }
  }

  @Test
  void kvAndSqlOfAnUncommittedBatch_areBothGoneAfterAReopen() {
    try (ObjectStore s = open("a")) {
      s.execute("CREATE TABLE t (x)");
      s.put("old", bytes("v"));
      commitDurably(s);
    }
    ObjectStore s = open("a");
    s.execute("INSERT INTO t VALUES ('sql')");
    s.put("k", bytes("kv"));
    reopen(); // the store is still open, its batch uncommitted
    try (ObjectStore again = open("a")) {
      assertThat(again.get("k")).isEmpty();
      assertThat(again.execute("SELECT count(*) FROM t").rows().get(0)[0]).isEqualTo(0L);
      assertThat(text(again.get("old"))).isEqualTo("v");
    }
  }

  @Test
  void aCommittedBatch_survivesAnOrderlyClose_withoutWaitingForDurability() {
    try (ObjectStore s = open("a")) {
      s.put("k", bytes("v"));
      s.execute("CREATE TABLE t (x)");
      s.commit();
    }
    reopen();
    try (ObjectStore s = open("a")) {
      assertThat(text(s.get("k"))).isEqualTo("v");
      assertThat(s.execute("SELECT count(*) FROM t").rows()).hasSize(1);
    }
  }

  @Test
  void durable_completes_andCoversEveryEarlierBatch() {
    try (ObjectStore s = open("a")) {
      assertThat(s.durable(s.commit())).as("nothing committed yet").succeedsWithin(WAIT);
      List<Long> sequences = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        s.put("k" + i, bytes("v"));
        sequences.add(s.commit());
      }
      List<CompletableFuture<Void>> earlier =
          sequences.subList(0, 4).stream().map(s::durable).toList();
      assertThat(s.durable(sequences.get(4))).succeedsWithin(WAIT);
      for (CompletableFuture<Void> f : earlier) {
        assertThat(f).as("an earlier batch, once a later one is durable").isCompleted();
      }
      assertThat(s.durable(sequences.get(0))).isCompleted();
    }
  }

  @Test
  void durable_completesAfterTheStoreClosed() {
    CompletableFuture<Void> durable;
    try (ObjectStore s = open("a")) {
      s.put("k", bytes("v"));
      durable = s.durable(s.commit());
    }
    assertThat(durable).succeedsWithin(WAIT);
  }

  @Test
  void storesOnManyThreads_commitIndependently_andAllSurvive() throws Exception {
    int threads = 8;
    int objectsPerThread = 10;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < objectsPerThread; i++) {
                    try (ObjectStore s = open("t" + thread + "-" + i)) {
                      for (int batch = 0; batch < 3; batch++) {
                        s.put("k" + batch, bytes("v"));
                        s.execute("CREATE TABLE IF NOT EXISTS t (x)");
                        s.execute("INSERT INTO t VALUES (?)", (long) batch);
                        commitDurably(s);
                      }
                    }
                  }
                }));
      }
      for (Future<?> f : futures) {
        assertThat(f).succeedsWithin(WAIT.multipliedBy(2));
      }
    } finally {
      pool.shutdownNow();
    }
    reopen();
    assertThat(engine.listObjects(NAMESPACE, Optional.empty(), 1000))
        .hasSize(threads * objectsPerThread);
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < objectsPerThread; i++) {
        try (ObjectStore s = open("t" + t + "-" + i)) {
          assertThat(list(s)).containsExactly("k0", "k1", "k2");
          assertThat(s.execute("SELECT count(*) FROM t").rows().get(0)[0]).isEqualTo(3L);
        }
      }
    }
  }

  // ---- alarms
  // ------------------------------------------------------------------------------------

  @Test
  void alarm_isSetReadAndDeleted_inTheBatch_andPersisted() {
    try (ObjectStore s = open("a")) {
      assertThat(s.alarm()).isEmpty();
      s.setAlarm(at(10_000));
      assertThat(s.alarm()).as("uncommitted").isEqualTo(at(10_000));
      commitDurably(s);
      s.setAlarm(at(20_000));
      assertThat(s.alarm()).isEqualTo(at(20_000));
      commitDurably(s);
    }
    reopen();
    try (ObjectStore s = open("a")) {
      assertThat(s.alarm()).isEqualTo(at(20_000));
      s.setAlarm(Optional.empty());
      assertThat(s.alarm()).isEmpty();
      commitDurably(s);
    }
    reopen();
    try (ObjectStore s = open("a")) {
      assertThat(s.alarm()).isEmpty();
    }
  }

  @Test
  void alarmIndex_listsCommittedAlarms_earliestFirst_upToTheLimit() {
    for (String[] a : new String[][] {{"late", "3000"}, {"early", "1000"}, {"middle", "2000"}}) {
      try (ObjectStore s = open(a[0])) {
        s.setAlarm(at(Long.parseLong(a[1])));
        commitDurably(s);
      }
    }
    List<ScheduledAlarm> due = engine.alarmsDue(NAMESPACE, Instant.ofEpochMilli(2_500), 10);
    assertThat(due)
        .containsExactly(
            new ScheduledAlarm(id("early"), Instant.ofEpochMilli(1_000)),
            new ScheduledAlarm(id("middle"), Instant.ofEpochMilli(2_000)));
    assertThat(engine.alarmsDue(NAMESPACE, Instant.ofEpochMilli(2_000), 10)).hasSize(2);
    assertThat(engine.alarmsDue(NAMESPACE, Instant.ofEpochMilli(999), 10)).isEmpty();
    assertThat(engine.alarmsDue(NAMESPACE, Instant.MAX, 1))
        .containsExactly(new ScheduledAlarm(id("early"), Instant.ofEpochMilli(1_000)));
    assertThat(engine.alarmsDue(NAMESPACE, Instant.MAX, Integer.MAX_VALUE)).hasSize(3);
    assertThat(engine.nextAlarm(NAMESPACE))
        .contains(new ScheduledAlarm(id("early"), Instant.ofEpochMilli(1_000)));
    reopen();
    assertThat(engine.alarmsDue(NAMESPACE, Instant.MAX, Integer.MAX_VALUE))
        .extracting(ScheduledAlarm::id)
        .containsExactly(id("early"), id("middle"), id("late"));
  }

  @Test
  void alarmIndex_neverMissesAnAlarm_whenItMovesEarlierOrLater() {
    try (ObjectStore s = open("a")) {
      s.setAlarm(at(5_000));
      commitDurably(s);
      assertIndexCovers("a", 5_000);
      s.setAlarm(at(1_000));
      commitDurably(s);
      assertIndexCovers("a", 1_000);
      s.setAlarm(at(9_000));
      commitDurably(s);
      assertIndexCovers("a", 9_000);
      s.setAlarm(at(4_000));
      s.put("k", bytes("v"));
      s.commit(); // not waited for
    }
    reopen();
    assertIndexCovers("a", 4_000);
  }

  /** The index names the object, at or before {@code time} (it may be early; never missing). */
  private void assertIndexCovers(String name, long time) {
    assertThat(engine.alarmsDue(NAMESPACE, Instant.ofEpochMilli(time), Integer.MAX_VALUE))
        .as("alarms due by %d", time)
        .anySatisfy(
            a -> {
              assertThat(a.id()).isEqualTo(id(name));
              assertThat(a.time()).isBeforeOrEqualTo(Instant.ofEpochMilli(time));
            });
    assertThat(engine.nextAlarm(NAMESPACE))
        .hasValueSatisfying(
            a -> assertThat(a.time()).isBeforeOrEqualTo(Instant.ofEpochMilli(time)));
  }

  @Test
  void alarmIndex_coversAlarmsOfBatchesThatDeleteAllThenSetOne() {
    try (ObjectStore s = open("a")) {
      s.setAlarm(at(8_000));
      commitDurably(s);
      s.deleteAll();
      s.setAlarm(at(6_000));
      commitDurably(s);
    }
    assertIndexCovers("a", 6_000);
  }

  @Test
  void alarmIndex_isPerNamespace_andEmptyForAnUnknownOne() {
    try (ObjectStore s = engine.open(address(OTHER_NAMESPACE, "x"), FencingToken.SINGLE_NODE)) {
      s.setAlarm(at(1_000));
      commitDurably(s);
    }
    assertThat(engine.alarmsDue(NAMESPACE, Instant.MAX, 10)).isEmpty();
    assertThat(engine.nextAlarm(NAMESPACE)).isEmpty();
    assertThat(engine.alarmsDue(OTHER_NAMESPACE, Instant.MAX, 10))
        .containsExactly(
            new ScheduledAlarm(
                address(OTHER_NAMESPACE, "x").id().toString(), Instant.ofEpochMilli(1_000)));
    assertThat(engine.alarmsDue("never-used-namespace", Instant.MAX, 10)).isEmpty();
    assertThat(engine.nextAlarm("never-used-namespace")).isEmpty();
  }

  // ---- objects
  // -----------------------------------------------------------------------------------

  @Test
  void listObjects_namesTheObjectsWithState_inAscendingIdOrder_pageByPage() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      putDurably("o" + i, "k", "v");
      ids.add(id("o" + i));
    }
    try (ObjectStore s = open("opened-only")) {
      s.get("k");
    }
    try (ObjectStore s = open("rolled-back")) {
      s.put("k", bytes("v"));
      s.rollback();
    }
    try (ObjectStore s = engine.open(address(OTHER_NAMESPACE, "o0"), FencingToken.SINGLE_NODE)) {
      s.put("k", bytes("v"));
      commitDurably(s);
    }
    ids.sort(null);
    assertThat(engine.listObjects(NAMESPACE, Optional.empty(), 100)).containsExactlyElementsOf(ids);
    List<String> paged = new ArrayList<>();
    Optional<String> after = Optional.empty();
    while (true) {
      List<String> page = engine.listObjects(NAMESPACE, after, 3);
      assertThat(page.size()).isLessThanOrEqualTo(3);
      if (page.isEmpty()) {
        break;
      }
      paged.addAll(page);
      after = Optional.of(page.get(page.size() - 1));
    }
    assertThat(paged).containsExactlyElementsOf(ids);
    assertThat(engine.listObjects(NAMESPACE, Optional.of(ids.get(4)), 100))
        .containsExactlyElementsOf(ids.subList(5, 10));
    assertThat(engine.listObjects(OTHER_NAMESPACE, Optional.empty(), 100))
        .containsExactly(address(OTHER_NAMESPACE, "o0").id().toString());
    assertThat(engine.listObjects("never-used-namespace", Optional.empty(), 100)).isEmpty();
    reopen();
    assertThat(engine.listObjects(NAMESPACE, Optional.empty(), 100)).containsExactlyElementsOf(ids);
  }

  @Test
  void name_isPersistedWithTheBatch() {
    try (ObjectStore s = open("a")) {
      assertThat(s.name()).isEmpty();
      s.setName("first name");
      assertThat(s.name()).contains("first name");
      s.rollback();
      assertThat(s.name()).isEmpty();
      s.setName("Ünïcödé name");
      commitDurably(s);
    }
    reopen();
    try (ObjectStore s = open("a")) {
      assertThat(s.name()).contains("Ünïcödé name");
    }
  }

  @Test
  void objects_areIsolated_byIdAndByNamespace() {
    ObjectAddress here = address(NAMESPACE, "same");
    ObjectAddress there = address(OTHER_NAMESPACE, "same");
    try (ObjectStore a = engine.open(here, FencingToken.SINGLE_NODE);
        ObjectStore b = engine.open(there, FencingToken.SINGLE_NODE);
        ObjectStore c = open("different")) {
      a.put("k", bytes("here"));
      a.execute("CREATE TABLE t (x)");
      b.put("k", bytes("there"));
      commitDurably(a);
      commitDurably(b);
      assertThat(text(c.get("k"))).isNull();
      assertRefused(() -> c.execute("SELECT * FROM t"), "no such table");
      assertRefused(() -> b.execute("SELECT * FROM t"), "no such table");
      assertThat(text(a.get("k"))).isEqualTo("here");
      assertThat(text(b.get("k"))).isEqualTo("there");
    }
  }

  // ---- lifecycle
  // ---------------------------------------------------------------------------------

  @Test
  void opening_anOpenStore_isRefused_untilItIsClosed() {
    ObjectStore first = open("a");
    assertThatThrownBy(() -> open("a")).isInstanceOf(IllegalStateException.class);
    first.put("k", bytes("v"));
    commitDurably(first);
    first.close();
    try (ObjectStore second = open("a")) {
      assertThat(text(second.get("k"))).isEqualTo("v");
    }
  }

  @Test
  void aClosedStore_refusesUse_andClosingTwiceIsHarmless() {
    ObjectStore s = open("a");
    s.close();
    assertThatThrownBy(() -> s.get("k")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> s.put("k", bytes("v"))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(s::commit).isInstanceOf(IllegalStateException.class);
    assertThatCode(s::close).doesNotThrowAnyException();
  }

  @Test
  void aClosedEngine_refusesToOpen() {
    engine.close();
    assertThatThrownBy(() -> open("a")).isInstanceOf(IllegalStateException.class);
    assertThatCode(engine::close).as("closing twice").doesNotThrowAnyException();
  }

  @Test
  void aStoreLeftOpen_whenItsEngineCloses_refusesUse() {
    ObjectStore s = open("a");
    s.put("k", bytes("v"));
    commitDurably(s);
    reopen();
    assertThatThrownBy(() -> s.get("k")).isInstanceOf(IllegalStateException.class);
    assertThatCode(s::close).doesNotThrowAnyException();
    try (ObjectStore again = open("a")) {
      assertThat(text(again.get("k"))).isEqualTo("v");
    }
  }

  @Test
  void keysAndValues_ofManyEntries_roundTrip() {
    try (ObjectStore s = open("a")) {
      for (int i = 0; i < 500; i++) {
        s.put(String.format("key-%04d", i), bytes("value-" + i));
      }
      commitDurably(s);
    }
    reopen();
    try (ObjectStore s = open("a")) {
      List<Map.Entry<String, byte[]>> all =
          s.list(o(null), o(null), o(null), o("key-"), false, 1000);
      assertThat(all).hasSize(500);
      assertThat(all.get(123).getKey()).isEqualTo("key-0123");
      assertThat(new String(all.get(123).getValue(), StandardCharsets.UTF_8))
          .isEqualTo("value-123");
      assertThat(Arrays.equals(s.get("key-0499").orElseThrow(), bytes("value-499"))).isTrue();
    }
  }
}
