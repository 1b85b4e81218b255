package dev.dobj.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dobj.NamespaceKey;
import dev.dobj.spi.ObjectAddress;
import dev.dobj.spi.storage.Durability;
import dev.dobj.spi.storage.FencingToken;
import dev.dobj.spi.storage.ObjectStore;
import dev.dobj.spi.storage.StorageEngine.ScheduledAlarm;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-namespace alarm index: durable before the batch, settled after, repaired on open. */
class AlarmIndexTest {
  private static final String NAMESPACE = "alarm-index";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dataDir;
  private final RecordingHooks hooks = new RecordingHooks();
  private SqliteStorageEngine engine;

  @AfterEach
  void close() {
    hooks.release();
    if (engine != null) {
      engine.close();
    }
  }

  private static ObjectAddress address(String name) {
    return new ObjectAddress(NAMESPACE, NamespaceKey.of(NAMESPACE).idFromName(name));
  }

  private void start() {
    engine = SqliteStorageEngine.builder(dataDir).durability(Durability.FSYNC).hooks(hooks).build();
  }

  private Path index() {
    return dataDir.resolve(NAMESPACE).resolve("_alarms.sqlite").toAbsolutePath();
  }

  @Test
  void inFsyncDurability_anEarlierAlarm_isInTheDurableIndexBeforeCommitReturns() throws Exception {
    start();
    Path indexWal = index().resolveSibling("_alarms.sqlite-wal");
    Path objectWal = dataDir.resolve(NAMESPACE).resolve(address("a").id() + ".sqlite-wal");
    try (ObjectStore s = engine.open(address("a"), FencingToken.SINGLE_NODE)) {
      s.put("k", new byte[] {1});
      assertThat(s.durable(s.commit())).succeedsWithin(WAIT);
      // Hold the object's WAL fsync: the batch cannot become durable through this engine.
      hooks.holdFsyncsOf(objectWal.toAbsolutePath()::equals);
      s.setAlarm(Optional.of(Instant.ofEpochMilli(5_000)));
      s.commit();
      assertThat(hooks.fsyncs).as("fsync'd before commit() returned").contains(indexWal);
      assertThat(engine.alarmsDue(NAMESPACE, Instant.MAX, 10))
          .containsExactly(
              new ScheduledAlarm(address("a").id().toString(), Instant.ofEpochMilli(5_000)));
      hooks.release();
    }
  }

  @Test
  void aLaterAlarm_needsNoIndexFsyncBeforeCommit_andIsSettledOnceDurable() {
    start();
    String id = address("a").id().toString();
    try (ObjectStore s = engine.open(address("a"), FencingToken.SINGLE_NODE)) {
      s.setAlarm(Optional.of(Instant.ofEpochMilli(1_000)));
      assertThat(s.durable(s.commit())).succeedsWithin(WAIT);
      long indexFsyncs =
          hooks.fsyncs.stream()
              .filter(
                  p ->
                      p.startsWith(index().getParent())
                          && p.getFileName().toString().startsWith("_alarms"))
              .count();
      s.setAlarm(Optional.of(Instant.ofEpochMilli(2_000)));
      assertThat(s.durable(s.commit())).succeedsWithin(WAIT);
      assertThat(
              hooks.fsyncs.stream()
                  .filter(
                      p ->
                          p.startsWith(index().getParent())
                              && p.getFileName().toString().startsWith("_alarms"))
                  .count())
          .isEqualTo(indexFsyncs);
      assertThat(engine.alarmsDue(NAMESPACE, Instant.MAX, 10))
          .containsExactly(new ScheduledAlarm(id, Instant.ofEpochMilli(2_000)));
      s.setAlarm(Optional.empty());
      assertThat(s.durable(s.commit())).succeedsWithin(WAIT);
      assertThat(engine.alarmsDue(NAMESPACE, Instant.MAX, 10)).as("settled: deleted").isEmpty();
    }
  }

  @Test
  void aStaleEntry_leftByACrash_isCleanedWhenTheObjectIsNextOpened() throws Exception {
    start();
    String a = address("a").id().toString();
    String b = address("b").id().toString();
    try (ObjectStore s = engine.open(address("a"), FencingToken.SINGLE_NODE)) {
      s.setAlarm(Optional.of(Instant.ofEpochMilli(1_000)));
      assertThat(s.durable(s.commit())).succeedsWithin(WAIT);
    }
    try (ObjectStore s = engine.open(address("b"), FencingToken.SINGLE_NODE)) {
      s.put("k", new byte[] {1});
      assertThat(s.durable(s.commit())).succeedsWithin(WAIT);
    }
    engine.close();
    // What a crash can leave: an entry for b, which has no alarm, and a too-early one for a.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + index());
        Statement st = c.createStatement()) {
      st.execute("INSERT INTO alarms (id, time) VALUES ('" + b + "', 500)");
      st.execute("UPDATE alarms SET time = 100 WHERE id = '" + a + "'");
    }
    start();
    assertThat(engine.alarmsDue(NAMESPACE, Instant.MAX, 10))
        .extracting(ScheduledAlarm::id)
        .containsExactly(a, b);
    try (ObjectStore s = engine.open(address("b"), FencingToken.SINGLE_NODE)) {
      assertThat(s.alarm()).isEmpty();
    }
    try (ObjectStore s = engine.open(address("a"), FencingToken.SINGLE_NODE)) {
      assertThat(s.alarm()).contains(Instant.ofEpochMilli(1_000));
    }
    assertThat(engine.alarmsDue(NAMESPACE, Instant.MAX, 10))
        .containsExactly(new ScheduledAlarm(a, Instant.ofEpochMilli(1_000)));
  }

  @Test
  void inFsyncDurability_aRetryNote_isInTheDurableIndexWhenAlarmRetriedReturns() {
    start();
    Path indexWal = index().resolveSibling("_alarms.sqlite-wal");
    var retry =
        new dev.dobj.spi.storage.StorageEngine.AlarmRetry(
            address("a").id().toString(),
            java.time.Instant.ofEpochMilli(1_000),
            1,
            java.time.Instant.ofEpochMilli(3_000));
    engine.alarmRetried(NAMESPACE, retry);
    assertThat(hooks.fsyncs)
        .as("the index fsync'd before alarmRetried returned")
        .contains(indexWal);
    hooks.fsyncs.clear();
    engine.alarmRetried(
        NAMESPACE,
        new dev.dobj.spi.storage.StorageEngine.AlarmRetry(
            retry.id(), retry.scheduled(), 2, java.time.Instant.ofEpochMilli(7_000)));
    assertThat(hooks.fsyncs).as("again for the next note").contains(indexWal);
  }

  @Test
  void alarmRetries_areKeptBesideTheAlarms_acrossARestart_untilEnded() {
    start();
    var first =
        new dev.dobj.spi.storage.StorageEngine.AlarmRetry(
            address("a").id().toString(),
            java.time.Instant.ofEpochMilli(1_000),
            2,
            java.time.Instant.ofEpochMilli(7_000));
    var second =
        new dev.dobj.spi.storage.StorageEngine.AlarmRetry(
            address("b").id().toString(),
            java.time.Instant.ofEpochMilli(5_000),
            1,
            java.time.Instant.ofEpochMilli(7_000));
    assertThat(engine.alarmRetries(NAMESPACE)).isEmpty();
    engine.alarmRetried(NAMESPACE, first);
    engine.alarmRetried(NAMESPACE, second);
    var later =
        new dev.dobj.spi.storage.StorageEngine.AlarmRetry(
            first.id(), first.scheduled(), 3, java.time.Instant.ofEpochMilli(15_000));
    engine.alarmRetried(NAMESPACE, later); // replaces the first
    engine.close();

    start();
    assertThat(engine.alarmRetries(NAMESPACE)).containsExactlyInAnyOrder(later, second);
    engine.alarmRetriesEnded(NAMESPACE, second.id());
    engine.alarmRetriesEnded(NAMESPACE, "not-there");
    assertThat(engine.alarmRetries(NAMESPACE)).containsExactly(later);
    assertThat(engine.alarmRetries("another-namespace")).isEmpty();
  }
}
