package dev.dobj.runtime.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dobj.DurableObject;
import dev.dobj.DurableObjectException;
import dev.dobj.DurableObjectState;
import dev.dobj.Env;
import dev.dobj.runtime.DurableObjectRuntime;
import dev.dobj.sqlite.SqliteStorageEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Point-in-time recovery (SPEC section 4) through the public API: {@code getCurrentBookmark},
 * {@code getBookmarkForTime}, {@code onNextSessionRestoreBookmark} followed by {@code abort()}.
 */
class PointInTimeRecoveryTest extends StorageTestBase {

  /** The RPC side of an object that keeps KV and SQL state and can be rolled back. */
  public interface Ledger {
    void put(String key, String value);

    Optional<String> get(String key);

    void setNote(String note);

    String note();

    void deleteAll();

    String bookmark();

    String bookmarkAt(long epochMillis);

    /** Asks for the restore and returns the undo bookmark (the object is not reset yet). */
    String prepareRestore(String bookmark);

    void abort();

    void setAlarm(long epochMillis);

    void deleteAlarm();

    Optional<Instant> alarmTime();
  }

  /** Alarms that ran, per object name. */
  static final java.util.List<String> RAN = new java.util.concurrent.CopyOnWriteArrayList<>();

  public static final class LedgerObject extends DurableObject implements Ledger {
    public LedgerObject(DurableObjectState ctx, Env env) {
      super(ctx, env);
      ctx.storage()
          .sql()
          .exec("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY CHECK (id = 1), t TEXT)");
    }

    @Override
    public void put(String key, String value) {
      ctx.storage().put(key, value);
    }

    @Override
    public Optional<String> get(String key) {
      return ctx.storage().get(key, String.class);
    }

    @Override
    public void setNote(String note) {
      ctx.storage()
          .sql()
          .exec(
              "INSERT INTO notes VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET t = excluded.t",
              note);
    }

    @Override
    public String note() {
      var rows = ctx.storage().sql().exec("SELECT t FROM notes").toArray();
      return rows.isEmpty() ? "none" : String.valueOf(rows.get(0).get("t"));
    }

    @Override
    public void deleteAll() {
      ctx.storage().deleteAll();
    }

    @Override
    public String bookmark() {
      return ctx.storage().getCurrentBookmark();
    }

    @Override
    public String bookmarkAt(long epochMillis) {
      return ctx.storage().getBookmarkForTime(Instant.ofEpochMilli(epochMillis));
    }

    @Override
    public String prepareRestore(String bookmark) {
      return ctx.storage().onNextSessionRestoreBookmark(bookmark);
    }

    @Override
    public void abort() {
      ctx.abort("restoring a bookmark");
    }

    @Override
    public void setAlarm(long epochMillis) {
      ctx.storage().setAlarm(Instant.ofEpochMilli(epochMillis));
    }

    @Override
    public void deleteAlarm() {
      ctx.storage().deleteAlarm();
    }

    @Override
    public Optional<Instant> alarmTime() {
      return ctx.storage().getAlarm();
    }

    @Override
    public void alarm(dev.dobj.AlarmInfo info) {
      RAN.add(ctx.id().name().orElse("?") + "@" + info.scheduledTime().toEpochMilli());
    }
  }

  @BeforeEach
  void bindLedger() {
    tweak = b -> b.bind("LEDGER", LedgerObject.class, "ledger-key");
    restart();
  }

  private Ledger ledger(String name) {
    return runtime.env().namespace("LEDGER", Ledger.class).getByName(name).call();
  }

  /** Asks for the restore, then aborts the object, as Cloudflare's documentation does. */
  private String restore(String name, String bookmark) {
    String undo = ledger(name).prepareRestore(bookmark);
    assertThatThrownBy(() -> ledger(name).abort())
        .isInstanceOf(DurableObjectException.class)
        .satisfies(e -> assertThat(((DurableObjectException) e).reset()).isTrue());
    return undo;
  }

  @Test
  void aBookmark_restoresKvAndSql_andTheUndoBookmarkBringsBackWhatCameAfter() {
    Ledger l = ledger("a");
    l.put("a", "1");
    l.setNote("first");
    String first = l.bookmark();
    l.put("a", "2");
    l.put("c", "3");
    l.setNote("second");

    String undo = restore("a", first);
    Ledger restored = ledger("a");
    assertThat(restored.get("a")).contains("1");
    assertThat(restored.get("c")).isEmpty();
    assertThat(restored.note()).isEqualTo("first");

    restore("a", undo);
    Ledger again = ledger("a");
    assertThat(again.get("a")).contains("2");
    assertThat(again.get("c")).contains("3");
    assertThat(again.note()).isEqualTo("second");
    assertThat(ledger("other").get("a")).as("another object is untouched").isEmpty();
  }

  @Test
  void aValueRewrittenManyTimes_restoresToEachBookmark_acrossRestoresAndARestart() {
    // A hot key rewritten in place: most of the history is patches of the same few pages.
    Ledger l = ledger("hot");
    java.util.List<String> bookmarks = new java.util.ArrayList<>();
    for (int i = 1; i <= 120; i++) {
      l.put("n", "value " + i);
      l.setNote("note " + i);
      if (i % 20 == 0) {
        bookmarks.add(l.bookmark()); // after writes 20, 40, ..., 120
      }
    }
    String undo = restore("hot", bookmarks.get(1));
    assertThat(ledger("hot").get("n")).contains("value 40");
    assertThat(ledger("hot").note()).isEqualTo("note 40");
    // Writes after the restore patch the restored pages, not the ones from before it.
    for (int i = 1; i <= 30; i++) {
      ledger("hot").put("n", "after " + i);
    }
    String afterRestore = ledger("hot").bookmark();
    restart();
    for (int i = 0; i < bookmarks.size(); i++) {
      restore("hot", bookmarks.get(i));
      assertThat(ledger("hot").get("n")).as("bookmark " + i).contains("value " + (20 * (i + 1)));
      assertThat(ledger("hot").note()).isEqualTo("note " + (20 * (i + 1)));
    }
    restore("hot", afterRestore);
    assertThat(ledger("hot").get("n")).contains("after 30");
    assertThat(ledger("hot").note()).isEqualTo("note 40");
    restore("hot", undo);
    assertThat(ledger("hot").get("n")).contains("value 120");
  }

  @Test
  void bookmarksSortInTheOrderOfTheirStates_andOutliveARestart() {
    Ledger l = ledger("a");
    l.put("k", "1");
    String b1 = l.bookmark();
    l.put("k", "2");
    String b2 = l.bookmark();
    l.put("k", "3");
    String b3 = l.bookmark();
    assertThat(b1).isLessThan(b2);
    assertThat(b2).isLessThan(b3);
    assertThat(l.bookmark()).as("nothing written since").isEqualTo(b3);

    restart();
    restore("a", b2);
    assertThat(ledger("a").get("k")).contains("2");
    assertThat(ledger("a").bookmark()).as("the restore is a later state").isGreaterThan(b3);
    restart();
    assertThat(ledger("a").get("k")).contains("2");
  }

  @Test
  void bookmarkForTime_namesTheStateAtThatTime() {
    Ledger l = ledger("a");
    assertThat(l.get("k")).isEmpty(); // constructed: its table is the first point
    long before = tick();
    tick();
    l.put("k", "1");
    long between = tick();
    tick(); // the next write carries a later time
    l.put("k", "2");

    restore("a", ledger("a").bookmarkAt(between));
    assertThat(ledger("a").get("k")).contains("1");
    restore("a", ledger("a").bookmarkAt(before));
    assertThat(ledger("a").get("k")).as("before the first put").isEmpty();
    assertThatThrownBy(() -> ledger("a").bookmarkAt(before - 86_400_000L))
        .isInstanceOf(DurableObjectException.class)
        .hasMessageContaining("No bookmark for")
        .hasMessageContaining("kept 7 days");
  }

  /** Moves the clock (the runtime's and the history's) one second on; returns the new time. */
  private long tick() {
    awaitIdle("LEDGER");
    clock.advance(Duration.ofSeconds(1));
    return clock.millis();
  }

  @Test
  void deleteAll_canBeUndone() {
    Ledger l = ledger("a");
    l.put("k", "v");
    l.setNote("kept");
    String full = l.bookmark();
    l.deleteAll();
    String empty = l.bookmark();
    assertThat(ledger("a").get("k")).isEmpty();

    restore("a", full);
    assertThat(ledger("a").get("k")).contains("v");
    assertThat(ledger("a").note()).isEqualTo("kept");
    restore("a", empty);
    assertThat(ledger("a").get("k")).isEmpty();
  }

  @Test
  void aRestoredAlarm_isScheduledAgain_andOneTheRestoreDropped_neverRuns() {
    RAN.clear();
    Ledger l = ledger("alarmed");
    long due = clock.millis() + 60_000;
    l.setAlarm(due);
    String withAlarm = l.bookmark();
    l.deleteAlarm();
    String without = l.bookmark();

    restore("alarmed", withAlarm);
    assertThat(ledger("alarmed").alarmTime()).contains(Instant.ofEpochMilli(due));
    awaitIdle("LEDGER");
    clock.advance(Duration.ofSeconds(61));
    dev.dobj.runtime.testing.Awaits.until(
        () -> RAN.contains("alarmed@" + due), "the restored alarm to run");

    l = ledger("alarmed");
    long later = clock.millis() + 60_000;
    l.setAlarm(later);
    restore("alarmed", without);
    assertThat(ledger("alarmed").alarmTime()).isEmpty();
    awaitIdle("LEDGER");
    clock.advance(Duration.ofSeconds(61));
    awaitIdle("LEDGER");
    assertThat(RAN).doesNotContain("alarmed@" + later);
  }

  @Test
  void badBookmarks_areRefusedWithTheValue_andNothingIsRestored() {
    Ledger l = ledger("a");
    l.put("k", "v");
    assertThatThrownBy(() -> l.prepareRestore("yesterday"))
        .isInstanceOf(DurableObjectException.class)
        .hasMessageContaining("Invalid bookmark \"yesterday\"");
    assertThatThrownBy(() -> l.prepareRestore("00000000000003e7-0000000000000000"))
        .isInstanceOf(DurableObjectException.class)
        .hasMessageContaining("00000000000003e7-0000000000000000 is not in the history");
    assertThatThrownBy(() -> ledger("a").abort()).isInstanceOf(DurableObjectException.class);
    assertThat(ledger("a").get("k")).contains("v");
  }

  @Test
  void withoutAHistory_bookmarksAreRefusedClearly() {
    runtime.close();
    runtime =
        DurableObjectRuntime.builder()
            .clock(clock)
            .storage(
                SqliteStorageEngine.builder(dataDir.resolve("no-history"))
                    .historyRetention(Duration.ZERO)
                    .build())
            .bind("LEDGER", LedgerObject.class, "ledger-key")
            .build();
    assertThatThrownBy(() -> ledger("a").bookmark())
        .isInstanceOf(DurableObjectException.class)
        .hasMessageContaining("historyRetention is 0");
  }
}
