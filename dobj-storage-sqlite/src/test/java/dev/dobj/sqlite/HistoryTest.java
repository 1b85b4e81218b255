package dev.dobj.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history of a real SQLite database, fed with the WAL frames its commits write: every point
 * rebuilds to exactly the rows the database held then.
 */
class HistoryTest {
  @TempDir Path dir;
  private Path dbFile;
  private Database db;
  private long walRead;

  @BeforeEach
  void createDatabase() throws SQLException, IOException {
    // Made as the engine makes an object's file: a memory database's image, marked WAL.
    dbFile = dir.resolve("object.sqlite");
    Database memory = Database.openMemoryObject();
    memory.run("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)");
    byte[] image = memory.serialize();
    memory.close();
    image[18] = 2;
    image[19] = 2;
    Files.write(dbFile, image);
    db = Database.openObject(dbFile);
  }

  @AfterEach
  void closeDatabase() throws SQLException {
    db.close();
  }

  /** Runs {@code sql} as one batch and returns the WAL frames it wrote. */
  private ByteBuffer batch(String... sql) throws SQLException, IOException {
    db.run("BEGIN");
    for (String s : sql) {
      db.run(s);
    }
    db.run("COMMIT");
    FileChannel wal = db.wal();
    long size = wal.size();
    long from = Math.max(walRead, 32); // the WAL's own header
    ByteBuffer frames = ByteBuffer.allocate((int) (size - from));
    while (frames.hasRemaining()) {
      wal.read(frames, from + frames.position());
    }
    walRead = size;
    return frames.flip();
  }

  /** A checkpoint truncates the WAL: the next batch's frames start at its beginning again. */
  private void checkpoint() throws SQLException {
    db.checkpoint();
    walRead = 0;
  }

  private String rows() throws SQLException {
    return rowsOf(db);
  }

  private static String rowsOf(Database d) throws SQLException {
    StringBuilder b = new StringBuilder();
    try (var r = d.statement("SELECT k, v FROM t ORDER BY k").executeQuery()) {
      while (r.next()) {
        b.append(r.getLong(1)).append('=').append(r.getString(2)).append(';');
      }
    }
    return b.toString();
  }

  private String rebuilt(History h, long point) throws Exception {
    Path target = dir.resolve("rebuilt-" + point + ".sqlite");
    assertThat(h.rebuild(point, target)).isTrue();
    Database d = Database.openObject(target);
    try {
      try (var r = d.statement("PRAGMA integrity_check").executeQuery()) {
        r.next();
        assertThat(r.getString(1)).as("integrity of point " + point).isEqualTo("ok");
      }
      return rowsOf(d);
    } finally {
      d.close();
      Files.deleteIfExists(target);
    }
  }

  @Test
  void everyPoint_rebuildsToTheRowsOfThatBatch_acrossCheckpointsAndGrowth() throws Exception {
    List<String> expected = new ArrayList<>();
    try (History h = History.open(dir.resolve("history"), true)) {
      assertThat(h.lastPoint()).isEqualTo(-1);
      long first = h.startGeneration(dbFile, 1_000);
      expected.add(rows());
      assertThat(first).isZero();
      String big = "x".repeat(3_000);
      for (int i = 1; i <= 40; i++) {
        ByteBuffer frames =
            i % 7 == 0
                ? batch(
                    "DELETE FROM t WHERE k % 3 = 0", "UPDATE t SET v = 'u" + i + "' WHERE k < 5")
                : batch(
                    "INSERT INTO t VALUES (" + i + ", '" + big + i + "')",
                    "INSERT INTO t VALUES (" + (1000 + i) + ", 'small" + i + "')");
        assertThat(h.append(frames, 1_000 + i)).isEqualTo(i);
        expected.add(rows());
        if (i % 10 == 0) {
          checkpoint();
        }
      }
      assertThat(h.lastPoint()).isEqualTo(40);
      for (int p = 0; p <= 40; p++) {
        assertThat(rebuilt(h, p)).as("point " + p).isEqualTo(expected.get(p));
      }
    }
  }

  @Test
  void eachMibAppended_isWrittenBack_once_andNotWhileTheLastWriteBackRuns() throws Exception {
    List<Runnable> asked = new ArrayList<>();
    try (History h = History.open(dir.resolve("history"), true, asked::add)) {
      h.startGeneration(dbFile, 1_000);
      String big = "y".repeat(3_000);
      long appended = 0;
      int i = 0;
      while (appended < History.WRITEBACK_BYTES - 64 * 1024) {
        ByteBuffer frames = batch("INSERT INTO t VALUES (" + ++i + ", '" + big + i + "')");
        appended += frames.remaining();
        h.append(frames, 1_000 + i);
      }
      assertThat(asked).as("less than a MiB appended").isEmpty();
      while (asked.isEmpty()) {
        h.append(batch("INSERT INTO t VALUES (" + ++i + ", '" + big + i + "')"), 1_000 + i);
      }
      assertThat(asked).hasSize(1);

      // While it has not run, more MiBs ask for nothing more: one runs at a time.
      for (int j = 0; j < 600; j++) {
        h.append(batch("INSERT INTO t VALUES (" + ++i + ", '" + big + i + "')"), 1_000 + i);
      }
      assertThat(asked).hasSize(1);
      asked.get(0).run();
      h.append(batch("INSERT INTO t VALUES (" + ++i + ", '" + big + i + "')"), 1_000 + i);
      assertThat(asked).as("the next append after it ran").hasSize(2);
      asked.get(1).run();
      assertThat(rebuilt(h, h.lastPoint())).isEqualTo(rows());
    }
  }

  @Test
  void withoutFsync_nothingIsWrittenBack() throws Exception {
    List<Runnable> asked = new ArrayList<>();
    try (History h = History.open(dir.resolve("history"), false, asked::add)) {
      h.startGeneration(dbFile, 1_000);
      String big = "z".repeat(3_000);
      for (int i = 1; i <= 500; i++) {
        h.append(batch("INSERT INTO t VALUES (" + i + ", '" + big + i + "')"), 1_000 + i);
      }
      assertThat(asked).isEmpty();
    }
  }

  @Test
  void aTornRecordAtTheEnd_isCutWhenTheHistoryOpens_andTheEarlierPointsStay() throws Exception {
    Path history = dir.resolve("history");
    String afterTwo;
    try (History h = History.open(history, true)) {
      h.startGeneration(dbFile, 1_000);
      h.append(batch("INSERT INTO t VALUES (1, 'one')"), 1_001);
      h.append(batch("INSERT INTO t VALUES (2, 'two')"), 1_002);
      afterTwo = rows();
    }
    Path gen;
    try (Stream<Path> s = Files.list(history)) {
      gen = s.filter(p -> p.toString().endsWith(".gen")).findFirst().orElseThrow();
    }
    long intact = Files.size(gen);
    try (History h = History.open(history, true)) {
      assertThat(h.wasClean()).isTrue();
      assertThat(h.lastPoint()).isEqualTo(2);
    }
    // A crash: a third record only half reached the disk, and the history was not closed.
    try (FileChannel c = FileChannel.open(gen, StandardOpenOption.WRITE)) {
      c.write(ByteBuffer.wrap(new byte[] {0, 0, 0x10, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9}), intact);
    }
    Files.delete(history.resolve("clean"));
    try (History h = History.open(history, true)) {
      assertThat(h.wasClean()).isFalse();
      assertThat(h.lastPoint()).isEqualTo(2);
      assertThat(Files.size(gen)).isEqualTo(intact);
      assertThat(rebuilt(h, 2)).isEqualTo(afterTwo);
      // and it goes on from there
      assertThat(h.append(batch("INSERT INTO t VALUES (3, 'three')"), 1_003)).isEqualTo(3);
      assertThat(rebuilt(h, 3)).isEqualTo(rows());
    }
  }

  @Test
  void anOlderGenerationCutShort_refusesThePointsItLost_ratherThanRebuildAnEarlierState()
      throws Exception {
    Path history = dir.resolve("history");
    String atOne;
    try (History h = History.open(history, true)) {
      h.startGeneration(dbFile, 1_000); // 0
      h.append(batch("INSERT INTO t VALUES (1, 'one')"), 1_001); // 1
      atOne = rows();
      h.append(batch("INSERT INTO t VALUES (2, 'two')"), 1_002); // 2
      checkpoint();
      h.startGeneration(dbFile, 2_000); // 3
    }
    Path first = history.resolve(String.format("%016x.gen", 0));
    try (FileChannel c = FileChannel.open(first, StandardOpenOption.WRITE)) {
      c.truncate(c.size() - 10); // a power loss kept the first generation only in part
    }
    try (History h = History.open(history, true)) {
      assertThat(rebuilt(h, 1)).isEqualTo(atOne);
      assertThatThrownBy(() -> h.rebuild(2, dir.resolve("lost.sqlite")))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(
              "The history lost point 2: its generation's records end at point 1");
    }
  }

  @Test
  void pointsAreFoundByTime_andOldGenerationsAreDroppedWhole() throws Exception {
    String atThree;
    try (History h = History.open(dir.resolve("history"), true)) {
      h.startGeneration(dbFile, 1_000); // 0
      h.append(batch("INSERT INTO t VALUES (1, 'a')"), 2_000); // 1
      h.append(batch("INSERT INTO t VALUES (2, 'b')"), 1_500); // 2: a clock step back
      checkpoint();
      atThree = rows();
      assertThat(h.startGeneration(dbFile, 5_000)).isEqualTo(3);
      h.append(batch("INSERT INTO t VALUES (3, 'c')"), 6_000); // 4

      assertThat(h.millisOf(2)).as("never before the point it follows").isEqualTo(2_000);
      assertThat(h.pointAt(999)).isEmpty();
      assertThat(h.pointAt(1_000)).hasValue(0);
      assertThat(h.pointAt(1_999)).hasValue(0);
      assertThat(h.pointAt(2_000)).hasValue(2);
      assertThat(h.pointAt(5_999)).hasValue(3);
      assertThat(h.pointAt(Long.MAX_VALUE)).hasValue(4);
    }
    try (History h = History.open(dir.resolve("history"), true)) {
      assertThat(h.contains(2)).as("an older generation's points, after a reopen").isTrue();
      assertThat(rebuilt(h, 2)).isEqualTo(atThree);
      h.dropBefore(4_999); // the first generation still holds points after 4,999
      assertThat(h.contains(0)).isTrue();
      h.dropBefore(5_000);
      assertThat(h.contains(2)).isFalse();
      assertThat(h.firstPoint()).isEqualTo(3);
      assertThat(rebuilt(h, 3)).isEqualTo(atThree);
      assertThatThrownBy(() -> h.rebuild(2, dir.resolve("x")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Point 2 is not in the history (it holds 3 to 4)");
      h.dropBefore(Long.MAX_VALUE);
      assertThat(h.firstPoint()).as("the last generation always stays").isEqualTo(3);
    }
  }

  @Test
  void aGenerationStartedAfterTheClockSteppedBack_isNotFoundForTheTimesBeforeItsBase()
      throws Exception {
    try (History h = History.open(dir.resolve("history"), true)) {
      h.startGeneration(dbFile, 1_000); // 0
      h.append(batch("INSERT INTO t VALUES (1, 'a')"), 2_000); // 1
      checkpoint();
      assertThat(h.startGeneration(dbFile, 1_500)).isEqualTo(2); // the clock stepped back

      assertThat(h.millisOf(2)).as("never before the point it follows").isEqualTo(2_000);
      assertThat(h.pointAt(1_800))
          .as("1,800 is before the row of 2,000, which the new base holds")
          .hasValue(0);
      assertThat(h.pointAt(2_000)).hasValue(2);
    }
  }

  @Test
  void aGenerationWithoutData_rebuildsToNoFile_andTakesNoBatch() throws Exception {
    try (History h = History.open(dir.resolve("history"), true)) {
      h.startGeneration(dbFile, 1_000);
      long emptied = h.startGeneration((byte[]) null, 2_000);
      Path target = dir.resolve("rebuilt.sqlite");
      Files.writeString(target, "stale");
      assertThat(h.rebuild(emptied, target)).isFalse();
      assertThat(target).doesNotExist();
      assertThatThrownBy(() -> h.append(ByteBuffer.allocate(0), 3_000))
          .isInstanceOf(IllegalStateException.class);
      assertThat(h.baseLength()).isEqualTo(-1);
    }
  }

  @Test
  void aRowUpdatedInPlace_isKeptAsPatches_farSmallerThanItsPages_andEveryPointRebuilds()
      throws Exception {
    List<String> expected = new ArrayList<>();
    int batches = 200;
    try (History h = History.open(dir.resolve("history"), true)) {
      h.startGeneration(dbFile, 1_000);
      h.append(batch("INSERT INTO t VALUES (1, 'count 0')"), 1_001);
      expected.add(rows());
      long before = h.growth();
      for (int i = 1; i <= batches; i++) {
        h.append(batch("UPDATE t SET v = 'count " + i + "' WHERE k = 1"), 1_001 + i);
        expected.add(rows());
        if (i % 50 == 0) {
          checkpoint(); // the WAL starts over; the history's images of the pages stay valid
        }
      }
      // Whole pages would take a page (4,096 bytes) per batch; a patch of a few bytes takes tens.
      long perBatch = (h.growth() - before) / batches;
      assertThat(perBatch).as("history bytes per batch").isLessThan(100);
      for (int i = 0; i <= batches; i++) {
        assertThat(rebuilt(h, 1 + i)).as("point " + (1 + i)).isEqualTo(expected.get(i));
      }
    }
    // After a clean reopen the images are gone: the next write of the page is whole, then patched.
    try (History h = History.open(dir.resolve("history"), true)) {
      long before = h.growth();
      h.append(batch("UPDATE t SET v = 'reopened' WHERE k = 1"), 5_000);
      assertThat(h.growth() - before).as("a whole page").isGreaterThan(4_096);
      long whole = h.growth();
      h.append(batch("UPDATE t SET v = 'patched' WHERE k = 1"), 5_001);
      assertThat(h.growth() - whole).as("a patch").isLessThan(100);
      assertThat(rebuilt(h, h.lastPoint() - 1)).isEqualTo("1=reopened;");
      assertThat(rebuilt(h, h.lastPoint())).isEqualTo("1=patched;");
    }
  }

  @Test
  void morePagesThanItKeepsImagesOf_areWrittenWhole_whenTheirImageWasDropped_andRebuild()
      throws Exception {
    // Each row fills most of a page of its own: updating them in turn writes more distinct pages
    // than the history keeps images of, so some pages go whole and some as patches.
    int rows = History.IMAGES * 2;
    String big = "r".repeat(3_000);
    List<String> expected = new ArrayList<>();
    try (History h = History.open(dir.resolve("history"), true)) {
      h.startGeneration(dbFile, 1_000);
      for (int k = 0; k < rows; k++) {
        h.append(batch("INSERT INTO t VALUES (" + k + ", '" + big + k + "')"), 1_001 + k);
        expected.add(rows());
      }
      long millis = 2_000;
      for (int round = 0; round < 3; round++) {
        for (int k = 0; k < rows; k += round + 1) {
          String v = big.substring(0, 2_000 + round * 100 + k) + "u" + round;
          h.append(batch("UPDATE t SET v = '" + v + "' WHERE k = " + k), millis++);
          expected.add(rows());
        }
        // a batch of several rows at once, each page changed in place
        h.append(batch("UPDATE t SET v = v || 'x' WHERE k % 5 = " + round), millis++);
        expected.add(rows());
      }
      for (int p = 1; p <= expected.size(); p++) {
        assertThat(rebuilt(h, p)).as("point " + p).isEqualTo(expected.get(p - 1));
      }
    }
  }

  @Test
  void aGenerationWrittenInTheFirstFormat_wholeFrames_isRebuilt_andTakesMoreBatches()
      throws Exception {
    // Written here as dobj wrote generations before patches: magic DOBJHIS1, records of whole
    // WAL frames.
    Path history = dir.resolve("history");
    Files.createDirectories(history);
    byte[] base = Files.readAllBytes(dbFile);
    ByteBuffer file = ByteBuffer.allocate(1 << 20);
    file.putLong(0x444f424a48495331L).putLong(0).putLong(1_000).putLong(base.length);
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(file.array(), 0, 32);
    file.putInt((int) crc.getValue()).put(base);
    List<String> expected = new ArrayList<>();
    expected.add(rows());
    for (int i = 1; i <= 5; i++) {
      ByteBuffer frames = batch("INSERT INTO t VALUES (" + i + ", 'old " + i + "')");
      expected.add(rows());
      ByteBuffer payload =
          ByteBuffer.allocate(8 + frames.remaining()).putLong(1_000 + i).put(frames).flip();
      crc = new java.util.zip.CRC32C();
      crc.update(payload.duplicate());
      file.putInt(payload.remaining()).putInt((int) crc.getValue()).put(payload);
    }
    Files.write(
        history.resolve(String.format("%016x.gen", 0)),
        Arrays.copyOf(file.array(), file.position()));

    try (History h = History.open(history, true)) {
      assertThat(h.lastPoint()).isEqualTo(5);
      for (int p = 0; p <= 5; p++) {
        assertThat(rebuilt(h, p)).as("point " + p).isEqualTo(expected.get(p));
      }
      // It goes on in its own format, then a new generation takes the new one.
      h.append(batch("UPDATE t SET v = 'appended' WHERE k = 1"), 2_000);
      expected.add(rows());
      assertThat(rebuilt(h, 6)).isEqualTo(expected.get(6));
      checkpoint();
      long next = h.startGeneration(dbFile, 3_000);
      h.append(batch("UPDATE t SET v = 'new' WHERE k = 2"), 3_001);
      long growth = h.growth();
      h.append(batch("UPDATE t SET v = 'newer' WHERE k = 2"), 3_002);
      assertThat(h.growth() - growth).as("patched in the new generation").isLessThan(100);
      assertThat(rebuilt(h, 5)).isEqualTo(expected.get(5));
      assertThat(rebuilt(h, next + 2)).isEqualTo(rows());
    }
  }

  @Test
  void afterARestore_theNextBatchesPatchTheRestoredPages_notTheImagesOfBefore() throws Exception {
    try (History h = History.open(dir.resolve("history"), true)) {
      h.startGeneration(dbFile, 1_000); // 0
      h.append(batch("INSERT INTO t VALUES (1, 'aaaaaaaa')"), 1_001); // 1
      for (int i = 2; i <= 10; i++) {
        h.append(batch("UPDATE t SET v = 'bbbbbbb" + (i % 10) + "' WHERE k = 1"), 1_000 + i);
      }
      // Restore point 1 as the engine does: the rebuilt file replaces the database, whose WAL
      // goes, and a generation starts from it.
      Path restored = dir.resolve("restored.sqlite");
      assertThat(h.rebuild(1, restored)).isTrue();
      db.close();
      Files.deleteIfExists(dir.resolve("object.sqlite-wal"));
      Files.deleteIfExists(dir.resolve("object.sqlite-shm"));
      Files.move(restored, dbFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      db = Database.openObject(dbFile);
      walRead = 0;
      assertThat(rows()).isEqualTo("1=aaaaaaaa;");
      long base = h.startGeneration(dbFile, 2_000);
      // The page as it was before the restore: patched against that image, the bytes it shares
      // with it would be missing from the restored page.
      h.append(batch("UPDATE t SET v = 'bbbbbbb0' WHERE k = 1"), 2_001);
      h.append(batch("UPDATE t SET v = 'dddddddd' WHERE k = 1"), 2_002);
      assertThat(rebuilt(h, base + 1)).isEqualTo("1=bbbbbbb0;");
      assertThat(rebuilt(h, base + 2)).isEqualTo("1=dddddddd;");
      assertThat(rebuilt(h, 10)).isEqualTo("1=bbbbbbb0;");
    }
  }

  @Test
  void aBaseDamagedOnTheDisk_refusesItsPoints_andTheGenerationsBeforeItStay() throws Exception {
    Path history = dir.resolve("history");
    String atOne;
    long second;
    try (History h = History.open(history, true)) {
      h.startGeneration(dbFile, 1_000); // 0
      h.append(batch("INSERT INTO t VALUES (1, 'one')"), 1_001); // 1
      atOne = rows();
      checkpoint();
      second = h.startGeneration(dbFile, 2_000); // 2
      h.append(batch("INSERT INTO t VALUES (2, 'two')"), 2_001); // 3
    }
    // A block of the second generation's base goes bad on the disk (or a file system lost it),
    // while its header and records are intact.
    Path gen = history.resolve(String.format("%016x.gen", second));
    byte[] stale = new byte[512];
    Arrays.fill(stale, (byte) 0x5a);
    try (FileChannel c = FileChannel.open(gen, StandardOpenOption.WRITE)) {
      c.write(ByteBuffer.wrap(stale), 40 + 1_024); // inside the base, past its 40-byte header
    }
    try (History h = History.open(history, true)) {
      assertThat(h.lastPoint()).isEqualTo(3);
      assertThat(rebuilt(h, 1)).isEqualTo(atOne);
      Path target = dir.resolve("lost.sqlite");
      for (long p : new long[] {second, second + 1}) {
        assertThatThrownBy(() -> h.rebuild(p, target))
            .isInstanceOf(IOException.class)
            .hasMessage(
                "The history lost point "
                    + p
                    + ": the base of its generation (from point 2) is damaged (its CRC does not"
                    + " match)");
      }
    }
  }

  @Test
  void aHistoryWithoutAGeneration_leavesNoFileWhenClosed_andHasNothingToGoOnFrom()
      throws Exception {
    Path history = dir.resolve("history");
    History.open(history, true).close(); // as for an object created: opened, closed, reopened
    try (Stream<Path> files = Files.list(history)) {
      assertThat(files).isEmpty();
    }
    try (History h = History.open(history, true)) {
      assertThat(h.wasClean()).isFalse();
      assertThat(h.lastPoint()).isEqualTo(-1);
    }
  }
}
