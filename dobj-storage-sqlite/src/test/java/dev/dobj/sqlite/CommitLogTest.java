package dev.dobj.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dobj.NamespaceKey;
import dev.dobj.spi.ObjectAddress;
import dev.dobj.spi.storage.Durability;
import dev.dobj.spi.storage.DurabilityFollowUps;
import dev.dobj.spi.storage.FencingToken;
import dev.dobj.spi.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared commit log of {@code FSYNC} durability: one log fsync covers the batches of many
 * objects, and what it made durable survives the loss of everything else that was never fsync'd.
 *
 * <p>A power loss is simulated by copying the data directory while the engine runs (the copy sees
 * the page cache, as a later boot would see the disk) and then damaging what only the page cache
 * held for sure: the objects' {@code -wal} files, which nothing fsyncs on the commit path. The
 * database files and the log's synced segments are durable by then.
 */
class CommitLogTest {
  private static final String NAMESPACE = "log";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dataDir;
  @TempDir Path copyDir;
  private final RecordingHooks hooks = new RecordingHooks();
  private SqliteStorageEngine engine;
  private SqliteStorageEngine copy;
  // a log opened by openLog, and its retirement executor: closed after the test
  private CommitLog openedLog;
  private final java.util.concurrent.ExecutorService openedRetirer =
      java.util.concurrent.Executors.newSingleThreadExecutor();

  @AfterEach
  void close() {
    hooks.release();
    if (openedLog != null) {
      openedLog.close(true);
    }
    openedRetirer.shutdownNow();
    if (engine != null) {
      engine.close();
    }
    if (copy != null) {
      copy.close();
    }
  }

  private static ObjectAddress address(int i) {
    return new ObjectAddress(NAMESPACE, NamespaceKey.of(NAMESPACE).idFromName("o" + i));
  }

  private static byte[] value(int object, int round) {
    return ("object " + object + " round " + round).getBytes();
  }

  private SqliteStorageEngine.Builder fsync(Path dir) {
    return SqliteStorageEngine.builder(dir).durability(Durability.FSYNC).hooks(hooks);
  }

  /** Commits {@code rounds} durable batches on each of {@code objects} objects. */
  private void writeRounds(int objects, int rounds) {
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < objects; i++) {
        try (ObjectStore s = engine.open(address(i), FencingToken.SINGLE_NODE)) {
          s.put("k", value(i, r));
          s.put("round " + r, new byte[] {(byte) r});
          s.execute("CREATE TABLE IF NOT EXISTS t (x)");
          s.execute("INSERT INTO t VALUES (?)", r);
          assertThat(s.durable(s.commit())).succeedsWithin(WAIT);
        }
      }
    }
  }

  private void assertRounds(SqliteStorageEngine e, int objects, int rounds) {
    for (int i = 0; i < objects; i++) {
      try (ObjectStore s = e.open(address(i), FencingToken.SINGLE_NODE)) {
        assertThat(s.get("k")).as("object %d", i).hasValue(value(i, rounds - 1));
        for (int r = 0; r < rounds; r++) {
          assertThat(s.get("round " + r)).as("object %d round %d", i, r).isPresent();
        }
        assertThat(s.execute("SELECT count(*) AS n FROM t").rows().get(0)[0])
            .as("object %d rows", i)
            .isEqualTo((long) rounds);
      }
    }
  }

  /** Copies the data directory, then applies {@code damage} to every {@code -wal} in the copy. */
  private void powerLossCopy(WalDamage damage) throws IOException {
    try (Stream<Path> files = Files.walk(dataDir)) {
      for (Path f : files.toList()) {
        Path to = copyDir.resolve(dataDir.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else if (!f.getFileName().toString().equals("dobj.lock")) {
          Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    try (Stream<Path> files = Files.walk(copyDir)) {
      for (Path wal : files.filter(p -> p.toString().endsWith(".sqlite-wal")).toList()) {
        damage.apply(wal);
      }
    }
  }

  @FunctionalInterface
  private interface WalDamage {
    void apply(Path wal) throws IOException;
  }

  private static Predicate<Path> segments() {
    return p -> p.getParent().getFileName().toString().equals(CommitLog.DIRECTORY);
  }

  @Test
  void commitsOfManyObjects_duringASlowLogFsync_shareTheNextOne() throws Exception {
    engine = fsync(dataDir).build();
    writeRounds(50, 1); // every object has its file (created durably without the log)
    hooks.holdFsyncsOf(segments());
    List<ObjectStore> stores = new ArrayList<>();
    List<CompletableFuture<Void>> durable = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        ObjectStore s = engine.open(address(i), FencingToken.SINGLE_NODE);
        stores.add(s);
        s.put("k", value(i, 1));
        durable.add(s.durable(s.commit()));
        if (i == 0) {
          hooks.awaitHeld();
        }
      }
      assertThat(durable).noneMatch(CompletableFuture::isDone);
      long before = hooks.fsyncs.stream().filter(segments()).count();
      hooks.release();
      for (CompletableFuture<Void> f : durable) {
        assertThat(f).succeedsWithin(WAIT);
      }
      long logSyncs = hooks.fsyncs.stream().filter(segments()).count() - before;
      assertThat(logSyncs)
          .as("log fsyncs for the 49 batches of 49 objects committed during the held one")
          .isLessThanOrEqualTo(2);
      assertThat(hooks.fsyncs)
          .as("no object's WAL is fsync'd on the commit path")
          .noneMatch(p -> p.toString().endsWith(".sqlite-wal"));
    } finally {
      stores.forEach(ObjectStore::close);
    }
  }

  @Test
  void everyAcknowledgedBatch_survivesTheLossOfEveryWal() throws Exception {
    engine = fsync(dataDir).build();
    writeRounds(20, 5);
    powerLossCopy(Files::delete);
    copy = fsync(copyDir).build();
    assertRounds(copy, 20, 5);
    assertThat(Files.list(copyDir.resolve(CommitLog.DIRECTORY)).toList())
        .as("the replayed log is gone; a new one started")
        .hasSize(1);
  }

  @Test
  void everyAcknowledgedBatch_survivesWalsCutShortOrOverwrittenWithGarbage() throws Exception {
    engine = fsync(dataDir).build();
    writeRounds(10, 6);
    int[] n = {0};
    powerLossCopy(
        wal -> {
          long size = Files.size(wal);
          try (FileChannel c = FileChannel.open(wal, StandardOpenOption.WRITE)) {
            if (n[0]++ % 2 == 0) {
              c.truncate(size / 3 + 7); // in the middle of a frame
            } else {
              ByteBuffer junk = ByteBuffer.allocate(5000);
              for (int i = 0; i < junk.capacity(); i++) {
                junk.put((byte) (i * 31));
              }
              junk.flip();
              c.write(junk, size / 2);
            }
          }
        });
    copy = fsync(copyDir).build();
    assertRounds(copy, 10, 6);
  }

  @Test
  void batchesInEverySegment_survive_notOnlyThoseOfTheFirst() throws Exception {
    // Segments end in zero-filled space; each must be read to its end, then the next one.
    engine = fsync(dataDir).logSegmentBytes(256 * 1024).build();
    // Retirement would fsync the WALs and drop segments; hold it so every segment stays.
    hooks.holdFsyncsOf(p -> p.toString().endsWith(".sqlite-wal"));
    writeRounds(10, 20);
    try (Stream<Path> files = Files.list(dataDir.resolve(CommitLog.DIRECTORY))) {
      assertThat(files.filter(p -> p.toString().endsWith(".log")).count())
          .as("segments written")
          .isGreaterThan(3);
    }
    powerLossCopy(Files::delete);
    hooks.release();
    copy = fsync(copyDir).build();
    assertRounds(copy, 10, 20);
  }

  @Test
  void aProcessCrash_replaysBytesTheWalsStillHold_unchanged() throws Exception {
    engine = fsync(dataDir).build();
    writeRounds(10, 4);
    powerLossCopy(wal -> {}); // a crash: the page cache, and so every WAL, survives
    copy = fsync(copyDir).build();
    assertRounds(copy, 10, 4);
  }

  @Test
  void aTornLastRecord_endsTheReplay_theBatchesBeforeItSurvive() throws Exception {
    engine = fsync(dataDir).build();
    writeRounds(1, 3);
    writeRounds(1, 4); // rounds 0..3 again: the last batch writes round 3
    powerLossCopy(Files::delete);
    Path copied;
    try (Stream<Path> s = Files.list(copyDir.resolve(CommitLog.DIRECTORY))) {
      copied = s.filter(p -> p.toString().endsWith(".log")).findFirst().orElseThrow();
    }
    try (FileChannel c =
        FileChannel.open(copied, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long last = lastRecord(c);
      int length = readInt(c, last);
      // the last record lost its tail: its last 100 bytes never reached the disk
      c.write(ByteBuffer.allocate(100), last + CommitLog.HEADER + length - 100);
    }
    copy = fsync(copyDir).build();
    try (ObjectStore s = copy.open(address(0), FencingToken.SINGLE_NODE)) {
      assertThat(s.get("k")).as("the batch before the torn record").hasValue(value(0, 2));
      assertThat(s.execute("SELECT count(*) FROM t").rows().get(0)[0])
          .isEqualTo(3L + 3L); // rounds 0-2 twice; round 3's insert was in the torn batch
    }
  }

  /** The position of the last record of a segment (whose records start at 0). */
  private static long lastRecord(FileChannel c) throws IOException {
    long at = CommitLog.SEGMENT_HEADER;
    long last = -1;
    while (at + CommitLog.HEADER <= c.size()) {
      int length = readInt(c, at);
      if (length == 0) {
        break;
      }
      last = at;
      at += CommitLog.HEADER + length;
    }
    assertThat(last).as("a record in the segment").isNotNegative();
    return last;
  }

  private static int readInt(FileChannel c, long at) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4);
    c.read(b, at);
    return b.getInt(0);
  }

  @Test
  void checkpointedWals_areNeverReplayedOver_byTheirOlderRecords() throws Exception {
    // One connection for five objects: opening the next one checkpoints and closes the last one's
    // (before the open returns), so every batch but the last is checkpointed, at known moments.
    engine = fsync(dataDir).maxOpenConnections(1).build();
    writeRounds(5, 8);
    assertThat(hooks.checkpoints).hasSizeGreaterThanOrEqualTo(5 * 8 - 1);
    powerLossCopy(Files::delete);
    copy = fsync(copyDir).build();
    assertRounds(copy, 5, 8);
  }

  @Test
  void anObjectDeletedAndWrittenAgain_neverReceivesTheFramesOfItsOldDatabase() throws Exception {
    engine = fsync(dataDir).build();
    writeRounds(3, 5);
    for (int i = 0; i < 2; i++) {
      try (ObjectStore s = engine.open(address(i), FencingToken.SINGLE_NODE)) {
        s.deleteAll();
        assertThat(s.durable(s.commit())).succeedsWithin(WAIT);
      }
      // object 0: one batch (it makes the new file); object 1: a second one (logged)
      for (int b = 0; b <= i; b++) {
        try (ObjectStore s = engine.open(address(i), FencingToken.SINGLE_NODE)) {
          s.put("fresh", new byte[] {(byte) b});
          assertThat(s.durable(s.commit())).succeedsWithin(WAIT);
        }
      }
    }
    powerLossCopy(Files::delete);
    copy = fsync(copyDir).build();
    for (int i = 0; i < 2; i++) {
      try (ObjectStore s = copy.open(address(i), FencingToken.SINGLE_NODE)) {
        assertThat(s.get("fresh")).as("object %d", i).hasValue(new byte[] {(byte) i});
        assertThat(s.get("k")).isEmpty();
        assertThat(s.execute("SELECT name FROM sqlite_master WHERE name = 't'").rows()).isEmpty();
        assertThat(
                s.list(
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    false,
                    100))
            .hasSize(1);
      }
    }
    try (ObjectStore s = copy.open(address(2), FencingToken.SINGLE_NODE)) {
      assertThat(s.get("k")).hasValue(value(2, 4));
    }
  }

  @Test
  void fullSegments_retire_afterTheirObjectsWalsAreSynced() throws Exception {
    engine = fsync(dataDir).logSegmentBytes(64 * 1024).build();
    writeRounds(10, 30);
    Path log = dataDir.resolve(CommitLog.DIRECTORY);
    assertThat(hooks.fsyncs)
        .as("retirements fsync the objects' WALs")
        .anyMatch(p -> p.toString().endsWith(".sqlite-wal"));
    // retirement runs on the committer after the sync that covered the segment: wait for it
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (segmentFiles(log) > 2 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(segmentFiles(log)).as("segments left after 30 rounds").isLessThanOrEqualTo(2);
    try (Stream<Path> files = Files.list(log)) {
      assertThat(files.toList()).as("segments, and at most one spare").hasSizeLessThanOrEqualTo(3);
    }
    engine.close();
    engine = null;
    assertThat(Files.list(log).toList()).as("a clean close deletes the log").isEmpty();
    copy = fsync(dataDir).build();
    assertRounds(copy, 10, 30);
  }

  private static long segmentFiles(Path log) throws IOException {
    try (Stream<Path> files = Files.list(log)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".log")).count();
    }
  }

  /** A writer for driving a {@link CommitLog} directly. */
  /**
   * A thread that waits for the log's durability fsyncs the log itself instead of waiting for the
   * syncer: the syncer may itself be waiting for that thread (for a database's lock, or for the
   * committer), so waiting for it could deadlock. Here the syncer is stuck in its fsync, and a
   * later record still becomes durable for the thread that asks.
   */
  @Test
  void awaitDurable_syncsOnTheCallersThread_whileTheSyncerIsStuck() throws Exception {
    hooks.holdFsyncsOf(p -> Thread.currentThread().getName().equals("dobj-sqlite-log"));
    CommitLog log = openLog();
    byte[] name = CommitLog.name(dataDir, databaseFile("x"));
    List<Long> durable = new java.util.concurrent.CopyOnWriteArrayList<>();
    CommitLog.Writer w = recording(durable);
    log.append(w, 1, filled(name, 0, (byte) 'A'));
    hooks.awaitHeld(); // the syncer is in the fsync for sequence 1, and stays there
    long end = log.append(w, 2, filled(name, 1000, (byte) 'B'));

    assertThat(CompletableFuture.runAsync(() -> awaitQuietly(log, end)))
        .as("durable without the syncer")
        .succeedsWithin(WAIT);
    assertThat(durable).as("the syncer's waiters are still the syncer's to complete").isEmpty();

    hooks.release();
    awaitTrue(() -> durable.size() == 2);
    assertThat(durable).containsExactly(1L, 2L);
  }

  /**
   * A thread syncing the log in {@code awaitDurable} while the log closes: its fsync fails on the
   * closed segment, which is the close, not a disk failure. The caller hears that the log is
   * closed, and the log does not record a failure (a clean close keeps deleting its segments).
   */
  @Test
  void awaitDurable_cutShortByClose_reportsTheClose_notAFailure() throws Exception {
    hooks.holdFsyncsOf(p -> Thread.currentThread().getName().equals("awaiter"));
    CommitLog log = openLog();
    byte[] name = CommitLog.name(dataDir, databaseFile("x"));
    // A reset record has no waiter: the syncer leaves it alone, only awaitDurable syncs it.
    long end = log.appendReset(name);
    CompletableFuture<Void> awaiting = new CompletableFuture<>();
    Thread.ofPlatform()
        .name("awaiter")
        .start(
            () -> {
              try {
                log.awaitDurable(end);
                awaiting.complete(null);
              } catch (IOException | RuntimeException e) {
                awaiting.completeExceptionally(e);
              }
            });
    hooks.awaitHeld();
    log.close(true);
    hooks.release();

    assertThat(awaiting)
        .failsWithin(WAIT)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause()
        .isInstanceOf(IOException.class)
        .withMessageStartingWith("The commit log is closed");
    assertThat(dataDir.resolve(CommitLog.DIRECTORY)).isEmptyDirectory();
  }

  /**
   * After a sync the syncer completes its waiters, then runs the first follow-up they offered
   * itself (the next batch's commit, in the runtime) and hands the others elsewhere; a follow-up
   * that throws does not stop it from syncing.
   */
  @Test
  void theSyncer_runsTheFirstFollowUpItself_handsTheRestOver_andSurvivesAThrowingOne()
      throws Exception {
    CommitLog log = openLog();
    byte[] name = CommitLog.name(dataDir, databaseFile("x"));
    List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
    CommitLog.Writer w =
        new FakeWriter() {
          @Override
          public void logDurable(long sequence) {
            DurabilityFollowUps.offer(followUp(ran, "first", sequence));
            DurabilityFollowUps.offer(followUp(ran, "second", sequence));
          }
        };
    log.append(w, 1, filled(name, 0, (byte) 'A'));
    log.append(w, 2, filled(name, 1000, (byte) 'B'));
    awaitTrue(() -> ran.contains("second 2 elsewhere"));
    // Both records were made durable by one sync or two; per sync, one follow-up ran here.
    assertThat(ran).contains("first 1 here on dobj-sqlite-log");
    assertThat(ran).filteredOn(r -> r.contains(" here ")).allMatch(r -> r.startsWith("first"));

    // A follow-up that throws: logged, and the syncer goes on.
    CommitLog.Writer thrower =
        new FakeWriter() {
          @Override
          public void logDurable(long sequence) {
            DurabilityFollowUps.offer(
                new DurabilityFollowUps.FollowUp() {
                  @Override
                  public void runHere() {
                    throw new IllegalStateException("a bug in a follow-up");
                  }

                  @Override
                  public void runElsewhere() {}
                });
          }
        };
    log.append(thrower, 1, filled(name, 2000, (byte) 'C'));
    List<Long> later = new java.util.concurrent.CopyOnWriteArrayList<>();
    log.append(recording(later), 7, filled(name, 3000, (byte) 'D'));
    awaitTrue(() -> !later.isEmpty());
    assertThat(later).as("a later record still becomes durable").containsExactly(7L);
  }

  /** A writer that adds each sequence the log made durable to {@code durable}. */
  private static CommitLog.Writer recording(List<Long> durable) {
    return new FakeWriter() {
      @Override
      public void logDurable(long sequence) {
        durable.add(sequence);
      }
    };
  }

  /** A log of 1 MiB segments on the data directory, closed after the test. */
  private CommitLog openLog() throws IOException {
    openedLog = CommitLog.open(dataDir, 1 << 20, hooks, openedRetirer);
    return openedLog;
  }

  /** Waits (spinning, up to {@link #WAIT}) until {@code done}; the assertion after it checks. */
  private static void awaitTrue(java.util.function.BooleanSupplier done) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!done.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
  }

  private static DurabilityFollowUps.FollowUp followUp(
      List<String> ran, String name, long sequence) {
    return new DurabilityFollowUps.FollowUp() {
      @Override
      public void runHere() {
        ran.add(name + " " + sequence + " here on " + Thread.currentThread().getName());
      }

      @Override
      public void runElsewhere() {
        ran.add(name + " " + sequence + " elsewhere");
      }
    };
  }

  private static ByteBuffer filled(byte[] name, long walOffset, byte fill) {
    ByteBuffer r = CommitLog.framesRecord(name, walOffset, 1000);
    while (r.hasRemaining()) {
      r.put(fill);
    }
    return r;
  }

  private static void awaitQuietly(CommitLog log, long position) {
    try {
      log.awaitDurable(position);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static class FakeWriter implements CommitLog.Writer {
    @Override
    public void logDurable(long sequence) {}

    @Override
    public void logFailed(IOException cause) {}

    @Override
    public boolean syncForRetirement() {
      return false;
    }

    @Override
    public Path walDirectory() {
      return Path.of("/");
    }
  }

  private static void appendFrames(
      CommitLog log, CommitLog.Writer w, byte[] name, long walOffset, byte fill, int length)
      throws IOException {
    ByteBuffer r = CommitLog.framesRecord(name, walOffset, length);
    while (r.hasRemaining()) {
      r.put(fill);
    }
    log.awaitDurable(log.append(w, 1, r));
  }

  /** A one-byte database file {@code ns/<name>.sqlite}, for records that recovery replays. */
  private Path databaseFile(String name) throws IOException {
    Path database = dataDir.resolve("ns").resolve(name + ".sqlite");
    Files.createDirectories(database.getParent());
    Files.write(database, new byte[] {0});
    return database;
  }

  /** Waits until a retired segment is kept as the spare, and returns it. */
  private Path awaitSpare() {
    Path spare = dataDir.resolve(CommitLog.DIRECTORY).resolve("spare");
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!Files.exists(spare) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(spare).as("a retired segment kept for reuse").exists();
    return spare;
  }

  @Test
  void aReusedSegment_neverReplaysTheRecordsOfItsEarlierUse_evenAfterTheNumbersRestart()
      throws Exception {
    java.util.concurrent.ExecutorService retirer =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      Path database = databaseFile("x");
      Path wal = database.resolveSibling("x.sqlite-wal");
      byte[] name = CommitLog.name(dataDir, database);
      FakeWriter w = new FakeWriter();
      // Run 1: records of one size, 'A' bytes: four fill segment 1, the fifth starts segment 2,
      // and segment 1 retires as the spare.
      CommitLog log = CommitLog.open(dataDir, 4096, hooks, retirer);
      for (int i = 0; i < 5; i++) {
        appendFrames(log, w, name, 0, (byte) 'A', 1000);
      }
      awaitSpare();
      log.close(false); // a crash: the segments stay
      assertThat(CommitLog.recover(dataDir, hooks)).isPositive();
      // Run 2: the spare becomes segment 1 again; one record of the same size, 'B' bytes.
      log = CommitLog.open(dataDir, 4096, hooks, retirer);
      appendFrames(log, w, name, 0, (byte) 'B', 1000);
      log.close(false);
      Files.delete(wal);
      assertThat(CommitLog.recover(dataDir, hooks)).as("records replayed").isEqualTo(1);
      byte[] replayed = Files.readAllBytes(wal);
      assertThat(replayed).hasSize(1000).containsOnly((byte) 'B');
    } finally {
      retirer.shutdownNow();
    }
  }

  /**
   * A new segment made from the spare is renamed first and given its header after: a crash in
   * between leaves a file under the newest segment's name that still holds what the retired segment
   * held. Those records are older than every other segment's, so replaying them last would write
   * stale frames into the WAL and cut it after them (acknowledged frames lost).
   */
  @Test
  void aSpareRenamedAsTheNextSegment_beforeItsNewHeader_replaysNothingOfItsEarlierUse()
      throws Exception {
    java.util.concurrent.ExecutorService retirer =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      Path database = databaseFile("x");
      Path wal = database.resolveSibling("x.sqlite-wal");
      byte[] name = CommitLog.name(dataDir, database);
      FakeWriter w = new FakeWriter();
      CommitLog log = CommitLog.open(dataDir, 4096, hooks, retirer);
      // Segment 1: x's first WAL generation, 'A' bytes; then its reset and the first batch of the
      // next generation, 'B' bytes, in segment 2; segment 1 retires as the spare.
      for (int i = 0; i < 4; i++) {
        appendFrames(log, w, name, i * 1000L, (byte) 'A', 1000);
      }
      log.awaitDurable(log.appendReset(name));
      appendFrames(log, w, name, 0, (byte) 'B', 1000);
      Path spare = awaitSpare();
      log.close(false);
      // The crash: the spare was renamed as segment 3, and the process died before its header.
      Files.move(spare, spare.resolveSibling(String.format("%020d.log", 3)));
      CommitLog.recover(dataDir, hooks);
      assertThat(Files.readAllBytes(wal))
          .as("x's WAL holds its newest generation only")
          .hasSize(1000)
          .containsOnly((byte) 'B');
    } finally {
      retirer.shutdownNow();
    }
  }

  /**
   * Segments retire in log order, whatever order the committer runs the work in. The retirement
   * work the syncer hands over is held here and run newest first: if a newer segment (holding an
   * object's reset record) could go before an older one (holding that object's earlier frames), a
   * crash in between would leave a log whose recovery writes the stale frames into the WAL.
   */
  @Test
  void segmentsRetireInLogOrder_soARecoveryNeverFindsFramesWithoutTheirLaterReset()
      throws Exception {
    java.util.Deque<Runnable> held = new java.util.concurrent.ConcurrentLinkedDeque<>();
    // Retirement work, handed over by whichever thread synced (the syncer, or awaitDurable's
    // caller): run later, newest first.
    java.util.concurrent.Executor lifo = held::push;
    Path x = databaseFile("x");
    Path xWal = x.resolveSibling("x.sqlite-wal");
    byte[] xName = CommitLog.name(dataDir, x);
    byte[] yName = CommitLog.name(dataDir, dataDir.resolve("ns").resolve("y.sqlite"));
    FakeWriter w = new FakeWriter();
    CommitLog log = CommitLog.open(dataDir, 4096, hooks, lifo);
    // Segment 1: four records of x's first WAL generation.
    for (int i = 0; i < 4; i++) {
      appendFrames(log, w, xName, i * 1000L, (byte) 'A', 1000);
    }
    // Segment 2: x's WAL was checkpointed (its reset record), then y's records fill it and start
    // segment 3, so segments 1 and 2 are both sealed and synced.
    log.awaitDurable(log.appendReset(xName));
    for (int i = 0; i < 5; i++) {
      appendFrames(log, w, yName, i * 1000L, (byte) 'C', 1000);
    }
    assertThat(held).as("retirement work handed over").isNotEmpty();
    held.pop().run(); // the newest retirement work first
    log.close(false); // a crash: whatever segments are left stay
    CommitLog.recover(dataDir, hooks);
    assertThat(xWal)
        .as("x's frames from before its reset are never replayed")
        .satisfiesAnyOf(
            f -> assertThat(f).doesNotExist(),
            f -> assertThat(Files.readAllBytes(f)).doesNotContain((byte) 'A'));
  }

  @Test
  void aFailedLogFsync_failsTheBatch_andTheEngineRefusesDurableWrites_untilRestarted()
      throws Exception {
    engine = fsync(dataDir).build();
    writeRounds(1, 2);
    hooks.failFsyncsOf(segments());
    try (ObjectStore s = engine.open(address(0), FencingToken.SINGLE_NODE)) {
      s.put("k", new byte[] {9});
      assertThat(s.durable(s.commit()))
          .failsWithin(WAIT)
          .withThrowableThat()
          .havingRootCause()
          .isInstanceOf(IOException.class)
          .withMessageContaining("injected fsync failure");
      assertThatThrownBy(() -> s.get("k")).isInstanceOf(UncheckedIOException.class);
    }
    try (ObjectStore s = engine.open(address(0), FencingToken.SINGLE_NODE)) {
      assertThatThrownBy(
              () -> {
                s.put("k", new byte[] {10});
                s.commit();
              })
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("commit log failed");
    }
    hooks.failFsyncsOf(p -> false);
    engine.close();
    engine = fsync(dataDir).build();
    try (ObjectStore s = engine.open(address(0), FencingToken.SINGLE_NODE)) {
      assertThat(s.get("round 1")).isPresent();
      s.put("k", new byte[] {11});
      assertThat(s.durable(s.commit())).succeedsWithin(WAIT);
    }
  }
}
