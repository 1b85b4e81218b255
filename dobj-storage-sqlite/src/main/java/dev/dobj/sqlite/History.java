package dev.dobj.sqlite;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The history of one object's database, kept for point-in-time recovery (SPEC section 4,
 * bookmarks): every batch the object commits is a numbered <em>point</em>, and the database as of
 * any point still in the history can be rebuilt, page for page.
 *
 * <p><b>Layout.</b> A directory per object holds <em>generations</em>, one file each, named after
 * its first point (16 hex digits, {@code .gen}): a header, the <em>base</em> (the database file as
 * of the first point, or nothing for an object without data), then one record per later point: its
 * commit time and the pages its batch wrote (from its WAL frames). Rebuilding a point copies the
 * base of its generation and writes the pages of the records up to that point over it, in order,
 * then cuts the file to the page count of the point's commit frame.
 *
 * <p><b>Patches.</b> A batch that changes a few bytes of a page (a counter, a row updated in place)
 * still writes the whole page to the WAL; kept whole, a busy object's history grows by a page per
 * batch. So a record holds a page as a <em>patch</em> (the byte ranges that differ) when this
 * history wrote the same page earlier in the same generation and still has that image in memory (a
 * few of the most recently written pages are kept), and the patch is less than half a page;
 * otherwise whole. A rebuild applies the records in order, so the page a patch applies to is the
 * one the earlier record left. Generations written before patches existed ({@code DOBJHIS1}) hold
 * whole frames and are read, and appended to, as they are.
 *
 * <p><b>Generations</b> start when the object's file is created, when it is emptied, after a
 * restore, after a crash (the last records may not have reached the disk; the points then stop at
 * the last whole record and the next generation's base is the database as found), and when the
 * current one has grown past its base (a fresh base, so that old generations can be dropped whole
 * once they leave the retention window).
 *
 * <p><b>Durability.</b> Records are written without an fsync; {@link #sync} (on close) makes them
 * durable, and a generation that a new one follows is left to the kernel's write-back. A torn
 * record at the end of the last generation is cut when the history is opened; a rebuild that finds
 * an older generation's records cut short refuses rather than restore an earlier state. A
 * generation's header and base are fsync'd (with the directory) before its first record, and (from
 * {@code DOBJHIS2}) its header holds the CRC of its base, which a rebuild checks: a base damaged on
 * the disk is refused, not restored.
 *
 * <p><b>Write-back.</b> Given a {@code writeback} executor, each MiB of records appended is
 * fdatasync'd there, off the object's lock, as it goes: left to the kernel, a busy object's records
 * pile up as dirty pages for half a minute and then reach the disk in bursts of tens of MiB, and
 * every commit log fsync queued behind such a burst stalled its writers for 100 ms or more. This
 * write-back is for pacing, not durability: {@link #sync} still decides what is durable.
 *
 * <p>Not thread-safe: the object's database calls it under its own lock (the write-back task only
 * fsyncs a channel).
 */
final class History implements Closeable {
  /** A generation whose records hold whole WAL frames (as written before patches). */
  private static final long MAGIC_FRAMES = 0x444f424a48495331L; // "DOBJHIS1"

  /** A generation whose records hold pages, whole or patched (see the class comment). */
  private static final long MAGIC_PAGES = 0x444f424a48495332L; // "DOBJHIS2"

  /** A page in a record: page number, commit page count (0 if not the commit), kind, length. */
  private static final int PAGE_HEADER = 4 + 4 + 1 + 4;

  private static final byte WHOLE = 0;
  private static final byte PATCH = 1;

  /** Equal bytes that end a patch's range; fewer stay in it (a range costs 8 bytes). */
  private static final int PATCH_GAP = 8;

  /**
   * How many page images are kept to patch against, the most recently written: a hot object's leaf
   * and interior pages, at most 32 KiB of 4 KiB pages per open database.
   */
  static final int IMAGES = 8;

  /** A DOBJHIS1 header: magic, first point, base time, base length, CRC of what precedes. */
  private static final int HEADER_FRAMES = 8 + 8 + 8 + 8 + 4;

  /** A DOBJHIS2 header: the same, and the CRC of the base before the header's own. */
  private static final int HEADER_PAGES = 8 + 8 + 8 + 8 + 4 + 4;

  /** The chunk a base is copied in (its CRC computed on the way). */
  private static final int COPY_CHUNK = 1 << 20;

  private static final int RECORD_HEADER = 4 + 4;
  private static final int FRAME_HEADER = 24;
  private static final Pattern GENERATION = Pattern.compile("[0-9a-f]{16}\\.gen");
  private static final String CLEAN = "clean";
  private static final long EXTEND = 256 << 10;

  /** How many bytes of records are appended between two write-backs. */
  static final long WRITEBACK_BYTES = 1 << 20;

  /** One generation file: its first point and time, where its records start, and what it holds. */
  private static final class Generation {
    final long first;
    final long baseMillis;
    final long baseLength; // -1: no database
    final Path path;
    final boolean pages; // DOBJHIS2: pages, whole or patched; else whole WAL frames
    final int header; // its header's length: where the base starts
    final int baseCrc; // DOBJHIS2: the CRC32C of the base
    int pageSize; // of its database (0: none)
    long last; // the last point it holds
    long lastMillis; // the commit time of the last point
    long end; // where the next record goes

    Generation(
        long first, long baseMillis, long baseLength, Path path, boolean pages, int baseCrc) {
      this.first = first;
      this.baseMillis = baseMillis;
      this.baseLength = baseLength;
      this.path = path;
      this.pages = pages;
      this.header = pages ? HEADER_PAGES : HEADER_FRAMES;
      this.baseCrc = baseCrc;
      this.last = first;
      this.lastMillis = baseMillis;
      this.end = recordsStart();
    }

    long recordsStart() {
      return header + Math.max(0, baseLength);
    }
  }

  private final Path directory;
  private final boolean fsync;
  private final TreeMap<Long, Generation> generations = new TreeMap<>();
  private FileChannel current; // the last generation, open for appending
  private boolean synced = true;
  private boolean wasClean;
  private long allocated; // the size of the current generation's file
  private final Executor writeback; // null: the kernel's write-back alone
  private long unwritten; // bytes appended since the last write-back was asked for
  private final AtomicBoolean writebackQueued = new AtomicBoolean();

  /**
   * The last image this history wrote of each of the {@link #IMAGES} pages written most recently in
   * the current generation, by page number: what the next write of such a page is patched against.
   */
  private final LinkedHashMap<Long, byte[]> images =
      new LinkedHashMap<>(IMAGES * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
          return size() > IMAGES;
        }
      };

  private History(Path directory, boolean fsync, Executor writeback) {
    this.directory = directory;
    this.fsync = fsync;
    this.writeback = fsync ? writeback : null;
  }

  /**
   * Opens (creating it if missing) the history in {@code directory}; cuts a torn record at the end
   * of the last generation. Without {@code fsync} nothing is ever fsync'd (the engine's {@code OS}
   * durability).
   */
  static History open(Path directory, boolean fsync) throws IOException {
    return open(directory, fsync, null);
  }

  /**
   * As {@link #open(Path, boolean)}, writing records back to the disk on {@code writeback} (if not
   * null, and with {@code fsync}) as they are appended; see the class comment.
   */
  static History open(Path directory, boolean fsync, Executor writeback) throws IOException {
    Files.createDirectories(directory);
    History h = new History(directory, fsync, writeback);
    List<Path> files;
    try (Stream<Path> s = Files.list(directory)) {
      files =
          s.filter(p -> GENERATION.matcher(p.getFileName().toString()).matches()).sorted().toList();
    }
    for (Path p : files) {
      Generation g = readHeader(p);
      if (g == null) {
        Files.delete(p); // a generation whose header never became durable: it held no point yet
        continue;
      }
      h.generations.put(g.first, g);
    }
    Generation previous = null;
    for (Generation g : h.generations.values()) {
      if (previous != null) {
        previous.last = g.first - 1; // a generation ends where the next one starts
      }
      previous = g;
    }
    Path clean = directory.resolve(CLEAN);
    long[] closedAt = readClean(clean);
    Files.deleteIfExists(clean);
    if (!h.generations.isEmpty()) {
      Generation last = h.generations.lastEntry().getValue();
      h.current = FileChannel.open(last.path, StandardOpenOption.READ, StandardOpenOption.WRITE);
      if (closedAt != null && closedAt[0] == last.first && closedAt[1] <= h.current.size()) {
        last.end = closedAt[1];
        last.last = closedAt[2];
        last.lastMillis = closedAt[3];
        h.wasClean = true;
      } else {
        h.scanRecords(last);
      }
      if (h.current.size() > last.end) {
        h.current.truncate(last.end); // a torn record, or room sized ahead
      }
      h.allocated = last.end;
    }
    return h;
  }

  /** Where the last generation ended when the history was closed: first, end, last, lastMillis. */
  private static long[] readClean(Path clean) {
    try {
      String[] parts = Files.readString(clean).trim().split(" ");
      if (parts.length != 4) {
        return null;
      }
      long[] v = new long[4];
      for (int i = 0; i < 4; i++) {
        v[i] = Long.parseLong(parts[i]);
      }
      return v;
    } catch (IOException | NumberFormatException e) {
      return null; // none, or torn: scan
    }
  }

  /**
   * Whether the history was closed (and synced) last time, so that it holds every batch the
   * database committed until then; false after a crash, when the database may hold later batches
   * than the history (the caller then starts a generation from the database as it is), and false
   * for a history without a generation (there is nothing to go on from).
   */
  boolean wasClean() {
    return wasClean;
  }

  /** The time of the first point still in the history (-1 if none). */
  long firstMillis() {
    return generations.isEmpty() ? -1 : generations.firstEntry().getValue().baseMillis;
  }

  /** The commit time of the last point (-1 if none). */
  long lastMillis() {
    return generations.isEmpty() ? -1 : generations.lastEntry().getValue().lastMillis;
  }

  /** The last point in the history, or -1 if it holds none. */
  long lastPoint() {
    return generations.isEmpty() ? -1 : generations.lastEntry().getValue().last;
  }

  /** Whether {@code point} can be rebuilt. */
  boolean contains(long point) {
    var e = generations.floorEntry(point);
    return e != null && point <= e.getValue().last;
  }

  /** The first point still in the history, or -1 if it holds none. */
  long firstPoint() {
    return generations.isEmpty() ? -1 : generations.firstKey();
  }

  /**
   * Starts a generation whose base is {@code base} (a database file image; null: no data) at {@code
   * millis}; durable when this returns.
   *
   * @return its first point
   */
  long startGeneration(byte[] base, long millis) throws IOException {
    return startGeneration(base == null ? null : ByteBuffer.wrap(base), null, millis);
  }

  /**
   * Starts a generation whose base is a copy of the database file {@code file}, which must not
   * change meanwhile (no WAL to fold in); durable when this returns.
   *
   * @return its first point
   */
  long startGeneration(Path file, long millis) throws IOException {
    return startGeneration(null, file, millis);
  }

  private long startGeneration(ByteBuffer image, Path file, long millis) throws IOException {
    long baseMillis = Math.max(millis, lastMillis()); // a base never goes back in time either
    long point = lastPoint() + 1;
    Path path = directory.resolve(String.format(Locale.ROOT, "%016x.gen", point));
    Path partial = directory.resolve(path.getFileName() + ".partial");
    long length = image != null ? image.remaining() : file != null ? Files.size(file) : -1;
    CRC32C baseCrc = new CRC32C();
    try (FileChannel c =
        FileChannel.open(
            partial,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      if (image != null) {
        baseCrc.update(image.duplicate());
        writeFully(c, image.duplicate(), HEADER_PAGES);
      } else if (file != null) {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
          copy(in, 0, c, HEADER_PAGES, length, baseCrc);
        }
      }
      ByteBuffer header = ByteBuffer.allocate(HEADER_PAGES);
      header.putLong(MAGIC_PAGES).putLong(point).putLong(baseMillis).putLong(length);
      header.putInt((int) baseCrc.getValue());
      CRC32C crc = new CRC32C();
      crc.update(header.array(), 0, HEADER_PAGES - 4);
      header.putInt((int) crc.getValue()).flip();
      writeFully(c, header, 0);
      if (fsync) {
        c.force(true);
      }
    }
    Files.move(partial, path, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory();
    if (current != null) {
      // Not fsync'd here: that would flush the whole generation (up to tens of MiB) while the
      // object's lock is held; the kernel writes it back soon, and a rebuild that finds records
      // lost to a power loss meanwhile says so instead of restoring an earlier state.
      current.truncate(generations.lastEntry().getValue().end); // the room sized ahead
      current.close();
    }
    Generation g = new Generation(point, baseMillis, length, path, true, (int) baseCrc.getValue());
    images.clear(); // the new base holds the pages as they are: patches start anew
    g.pageSize = length < 0 ? 0 : readPageSize(path, g.header);
    generations.put(point, g);
    current = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    allocated = current.size();
    synced = true;
    return point;
  }

  /**
   * Adds the next point: a batch committed at {@code millis} that wrote {@code frames} (whole WAL
   * frames, the last one its commit frame) over the previous point's database.
   *
   * @return the point
   * @throws IllegalStateException if no generation was started, or the last one holds no database
   */
  long append(ByteBuffer frames, long millis) throws IOException {
    Generation g = generations.isEmpty() ? null : generations.lastEntry().getValue();
    if (g == null || g.baseLength < 0) {
      throw new IllegalStateException(
          "History in " + directory + ": a batch needs a generation with a database to follow");
    }
    long at = Math.max(millis, g.lastMillis); // points never go back in time
    ByteBuffer committed = frames.duplicate();
    committed.limit(committed.position() + committedLength(committed, g));
    // One buffer for the whole record: its header, its time, then its pages or frames (a page
    // takes less room than its WAL frame, whole or patched).
    ByteBuffer record = ByteBuffer.allocate(RECORD_HEADER + 8 + committed.remaining());
    record.position(RECORD_HEADER).putLong(at);
    long total;
    try {
      if (g.pages) {
        putPages(committed, g.pageSize, record);
      } else {
        record.put(committed);
      }
      record.flip();
      CRC32C crc = new CRC32C();
      crc.update(record.duplicate().position(RECORD_HEADER));
      record.putInt(0, record.remaining() - RECORD_HEADER).putInt(4, (int) crc.getValue());
      total = record.remaining();
      if (g.end + total > allocated) {
        // Sized ahead, so that appends write inside the file instead of growing it each time (a
        // zero header after the last record ends the records, as a torn one does).
        allocated = (g.end + total + EXTEND - 1) / EXTEND * EXTEND;
        current.write(ByteBuffer.allocate(1), allocated - 1);
      }
      writeFully(current, record, g.end);
    } catch (IOException | RuntimeException e) {
      images.clear(); // what they hold may be ahead of the file now
      throw e;
    }
    g.end += total;
    g.last++;
    g.lastMillis = at;
    synced = false;
    unwritten += total;
    if (writeback != null && unwritten >= WRITEBACK_BYTES) {
      writeBack();
    }
    return g.last;
  }

  /**
   * Writes the pages of the WAL frames in {@code frames} to {@code out}, each patched against the
   * image this history last wrote of it when it has one and the patch is under half a page, whole
   * otherwise; remembers each as the page's last image.
   */
  private void putPages(ByteBuffer frames, int pageSize, ByteBuffer out) {
    int frame = FRAME_HEADER + pageSize;
    for (int f = frames.position(); f < frames.limit(); f += frame) {
      long pageNumber = Integer.toUnsignedLong(frames.getInt(f));
      int commitPages = frames.getInt(f + 4);
      byte[] page = new byte[pageSize];
      frames.get(f + FRAME_HEADER, page);
      out.putInt((int) pageNumber).putInt(commitPages);
      byte[] before = images.get(pageNumber);
      int headerAt = out.position();
      if (before == null || !putPatch(before, page, out.position(headerAt + 5), pageSize / 2)) {
        out.position(headerAt).put(WHOLE).putInt(pageSize).put(page);
      }
      images.put(pageNumber, page);
    }
  }

  /**
   * Writes the kind, length and ranges of the patch that turns {@code before} into {@code after} at
   * {@code out}'s position (which is 5 bytes past where the kind goes), unless it would take more
   * than {@code limit} bytes.
   *
   * @return whether it was written ({@code out}'s position then after it)
   */
  private static boolean putPatch(byte[] before, byte[] after, ByteBuffer out, int limit) {
    int start = out.position();
    int n = after.length;
    int end = 0; // of the last range
    int at = 0;
    while (at < n) {
      int m = Arrays.mismatch(before, at, n, after, at, n);
      if (m < 0) {
        break;
      }
      int from = at + m;
      int to = from + 1; // the range's end so far
      int same = 0;
      for (int i = to; i < n && same < PATCH_GAP; i++) {
        if (before[i] == after[i]) {
          same++;
        } else {
          same = 0;
          to = i + 1;
        }
      }
      if (out.position() - start + 8 + (to - from) > limit) {
        return false;
      }
      out.putInt(from - end).putInt(to - from).put(after, from, to - from);
      end = to;
      at = to;
    }
    int length = out.position() - start;
    out.put(start - 5, PATCH).putInt(start - 4, length);
    return true;
  }

  /** Asks the write-back executor to fdatasync the current generation, unless it still does. */
  private void writeBack() {
    if (!writebackQueued.compareAndSet(false, true)) {
      return; // the last one is still running: the next append asks again
    }
    unwritten = 0;
    FileChannel c = current;
    try {
      writeback.execute(
          () -> {
            try {
              c.force(false);
            } catch (IOException e) {
              // closed by a new generation meanwhile, or failed: the kernel writes it back
            } finally {
              writebackQueued.set(false);
            }
          });
    } catch (RejectedExecutionException closing) {
      writebackQueued.set(false);
    }
  }

  /**
   * The length of {@code frames} up to its last commit frame: a transaction whose pages spilled to
   * the WAL before its commit and rolled back can leave stale frames after it.
   */
  private int committedLength(ByteBuffer frames, Generation g) throws IOException {
    int frame = FRAME_HEADER + g.pageSize;
    int n = frames.remaining();
    if (n % frame != 0) {
      throw new IOException(
          "A batch of " + n + " WAL bytes is not whole frames of " + g.pageSize + "-byte pages");
    }
    for (int end = n; end > 0; end -= frame) {
      if (frames.getInt(frames.position() + end - frame + 4) != 0) {
        return end;
      }
    }
    throw new IOException("A batch of " + n + " WAL bytes holds no commit frame");
  }

  /** Makes every point appended so far durable. */
  void sync() throws IOException {
    if (current != null && !synced) {
      if (fsync) {
        current.force(false);
      }
      synced = true;
    }
  }

  /** The bytes the current generation holds beyond its base (to decide when to start anew). */
  long growth() {
    if (generations.isEmpty()) {
      return 0;
    }
    Generation g = generations.lastEntry().getValue();
    return g.end - g.recordsStart();
  }

  /** The size of the current generation's base (-1: no database). */
  long baseLength() {
    return generations.isEmpty() ? -1 : generations.lastEntry().getValue().baseLength;
  }

  /** The commit time of {@code point}. */
  long millisOf(long point) throws IOException {
    Generation g = generationOf(point);
    if (point == g.first) {
      return g.baseMillis;
    }
    long[] found = {-1};
    forEachRecord(
        g,
        (p, millis, at, length) -> {
          if (p == point) {
            found[0] = millis;
            return false;
          }
          return true;
        });
    return found[0];
  }

  /** The last point committed at or before {@code millis}, if the history reaches back that far. */
  OptionalLong pointAt(long millis) throws IOException {
    Generation candidate = null;
    for (Generation g : generations.values()) {
      if (g.baseMillis <= millis) {
        candidate = g;
      }
    }
    if (candidate == null) {
      return OptionalLong.empty();
    }
    long[] found = {candidate.first};
    forEachRecord(
        candidate,
        (p, m, at, length) -> {
          if (m > millis) {
            return false;
          }
          found[0] = p;
          return true;
        });
    return OptionalLong.of(found[0]);
  }

  /**
   * Writes the database as of {@code point} to {@code target} (replacing it).
   *
   * @return false if the object held no data at that point (nothing is written then, and {@code
   *     target} is deleted)
   * @throws IllegalArgumentException if the history does not hold {@code point}
   */
  boolean rebuild(long point, Path target) throws IOException {
    Generation g = generationOf(point);
    Files.deleteIfExists(target);
    if (g.baseLength < 0) {
      return false;
    }
    try (FileChannel src = FileChannel.open(g.path, StandardOpenOption.READ);
        FileChannel out =
            FileChannel.open(
                target,
                StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
      if (g.pages) {
        CRC32C crc = new CRC32C();
        copy(src, g.header, out, 0, g.baseLength, crc);
        if ((int) crc.getValue() != g.baseCrc) {
          throw new IOException(
              "The history lost point "
                  + point
                  + ": the base of its generation (from point "
                  + g.first
                  + ") is damaged (its CRC does not match)");
        }
      } else {
        long at = 0;
        while (at < g.baseLength) {
          at += src.transferTo(g.header + at, g.baseLength - at, out.position(at));
        }
      }
      int pageSize = pageSize(out);
      long[] size = {g.baseLength};
      long[] reached = {g.first};
      forEachRecord(
          g,
          (p, millis, recordAt, length) -> {
            if (p > point) {
              return false;
            }
            if (g.pages) {
              applyPages(src, recordAt, length, pageSize, out, size);
            } else {
              applyFrames(src, recordAt, length, pageSize, out, size);
            }
            reached[0] = p;
            return true;
          });
      if (reached[0] < point) {
        throw new IOException(
            "The history lost point "
                + point
                + ": its generation's records end at point "
                + reached[0]
                + " (a power loss before they reached the disk)");
      }
      out.truncate(size[0]);
      out.force(true);
    }
    return true;
  }

  /**
   * Drops the generations that hold only points older than {@code millis}: each one whose
   * successor's base was taken at or before then. The last generation always stays.
   */
  void dropBefore(long millis) throws IOException {
    List<Generation> all = new ArrayList<>(generations.values());
    for (int i = 0; i + 1 < all.size(); i++) {
      if (all.get(i + 1).baseMillis > millis) {
        break;
      }
      Files.deleteIfExists(all.get(i).path);
      generations.remove(all.get(i).first);
    }
  }

  /** Syncs and closes, noting where it ended (so the next open need not scan). */
  @Override
  public void close() throws IOException {
    images.clear();
    if (current != null) {
      Generation g = generations.lastEntry().getValue();
      current.truncate(g.end); // the room sized ahead
      sync();
      current.close();
      current = null;
      Files.writeString(
          directory.resolve(CLEAN), g.first + " " + g.end + " " + g.last + " " + g.lastMillis);
    }
    // Without a generation there is nothing to go on from, and nothing to note: no file (an
    // object is created with its history opened and closed once before its first generation).
  }

  /** Closes without noting a clean end: the next open starts over from the database. */
  void abandon() {
    images.clear();
    try {
      if (current != null) {
        current.close();
      }
    } catch (IOException e) {
      // being abandoned anyway
    }
    current = null;
  }

  // ---- reading -----------------------------------------------------------------------------

  private Generation generationOf(long point) {
    var e = generations.floorEntry(point);
    if (e == null || point > e.getValue().last) {
      throw new IllegalArgumentException(
          "Point "
              + point
              + " is not in the history"
              + (generations.isEmpty()
                  ? " (it holds none)"
                  : " (it holds " + firstPoint() + " to " + lastPoint() + ")"));
    }
    return e.getValue();
  }

  private static Generation readHeader(Path p) throws IOException {
    try (FileChannel c = FileChannel.open(p, StandardOpenOption.READ)) {
      if (c.size() < 8) {
        return null;
      }
      ByteBuffer m = ByteBuffer.allocate(8);
      readFully(c, m, 0);
      long magic = m.getLong(0);
      int headerLength = magic == MAGIC_FRAMES ? HEADER_FRAMES : HEADER_PAGES;
      if (c.size() < headerLength) {
        return null;
      }
      ByteBuffer b = ByteBuffer.allocate(headerLength);
      readFully(c, b, 0);
      CRC32C crc = new CRC32C();
      crc.update(b.array(), 0, headerLength - 4);
      if ((magic != MAGIC_PAGES && magic != MAGIC_FRAMES)
          || b.getInt(headerLength - 4) != (int) crc.getValue()) {
        throw new IOException("History file " + p + " has no valid header");
      }
      long length = b.getLong(24);
      if (c.size() < headerLength + Math.max(0, length)) {
        return null;
      }
      boolean pages = magic == MAGIC_PAGES;
      Generation g =
          new Generation(b.getLong(8), b.getLong(16), length, p, pages, pages ? b.getInt(32) : 0);
      g.pageSize = length < 0 ? 0 : readPageSize(c, g.header);
      return g;
    }
  }

  private static int readPageSize(Path generation, int header) throws IOException {
    try (FileChannel c = FileChannel.open(generation, StandardOpenOption.READ)) {
      return readPageSize(c, header);
    }
  }

  /**
   * Copies {@code length} bytes from {@code in} at {@code from} to {@code out} at {@code to},
   * adding them to {@code crc}.
   */
  private static void copy(
      FileChannel in, long from, FileChannel out, long to, long length, CRC32C crc)
      throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(COPY_CHUNK, Math.max(1, length)));
    long at = 0;
    while (at < length) {
      chunk.clear().limit((int) Math.min(chunk.capacity(), length - at));
      readFully(in, chunk, from + at); // flips it
      crc.update(chunk.duplicate());
      int n = chunk.remaining();
      writeFully(out, chunk, to + at);
      at += n;
    }
  }

  /** The page size written in the base's database header. */
  private static int readPageSize(FileChannel generation, int header) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(2);
    readFully(generation, b, header + 16);
    int size = Short.toUnsignedInt(b.getShort(0));
    return size == 1 ? 65536 : size;
  }

  /** Sets {@code g.last} and {@code g.end} after its last whole record. */
  private void scanRecords(Generation g) throws IOException {
    g.last = g.first;
    g.end = g.recordsStart();
    try (FileChannel c = FileChannel.open(g.path, StandardOpenOption.READ)) {
      forEachRecord(
          g,
          c,
          (p, millis, at, length) -> {
            g.last = p;
            g.lastMillis = millis;
            g.end = at + length;
            return true;
          });
    }
  }

  @FunctionalInterface
  private interface RecordVisitor {
    /** A record of point {@code p}: its frames are {@code length} bytes at {@code at}. */
    boolean visit(long p, long millis, long at, int length) throws IOException;
  }

  private void forEachRecord(Generation g, RecordVisitor v) throws IOException {
    try (FileChannel c = FileChannel.open(g.path, StandardOpenOption.READ)) {
      forEachRecord(g, c, v);
    }
  }

  /** Visits the whole, intact records of {@code g} in order, until the visitor returns false. */
  private static void forEachRecord(Generation g, FileChannel c, RecordVisitor v)
      throws IOException {
    long at = g.recordsStart();
    long size = c.size();
    long point = g.first;
    ByteBuffer head = ByteBuffer.allocate(RECORD_HEADER + 8);
    while (at + RECORD_HEADER + 8 <= size) {
      head.clear();
      readFully(c, head, at);
      int length = head.getInt(0);
      if (length < 8 || at + RECORD_HEADER + length > size) {
        return; // torn
      }
      ByteBuffer payload = ByteBuffer.allocate(length);
      readFully(c, payload, at + RECORD_HEADER);
      CRC32C crc = new CRC32C();
      crc.update(payload.array());
      if (head.getInt(4) != (int) crc.getValue()) {
        return; // torn
      }
      point++;
      if (!v.visit(point, payload.getLong(0), at + RECORD_HEADER + 8, length - 8)) {
        return;
      }
      at += RECORD_HEADER + length;
    }
  }

  private static int pageSize(FileChannel db) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(2);
    readFully(db, b, 16);
    int size = Short.toUnsignedInt(b.getShort(0));
    return size == 1 ? 65536 : size;
  }

  /** Writes the pages of the frames at {@code at} into {@code out}; size[0]: the database size. */
  private static void applyFrames(
      FileChannel src, long at, int length, int pageSize, FileChannel out, long[] size)
      throws IOException {
    int frame = FRAME_HEADER + pageSize;
    if (length % frame != 0) {
      throw new IOException(
          "A history record of " + length + " bytes is not whole frames of " + pageSize + " bytes");
    }
    ByteBuffer header = ByteBuffer.allocate(FRAME_HEADER);
    ByteBuffer page = ByteBuffer.allocate(pageSize);
    for (long f = at; f < at + length; f += frame) {
      header.clear();
      readFully(src, header, f);
      long pageNumber = Integer.toUnsignedLong(header.getInt(0));
      long commitPages = Integer.toUnsignedLong(header.getInt(4));
      page.clear();
      readFully(src, page, f + FRAME_HEADER);
      writeFully(out, page, (pageNumber - 1) * pageSize);
      size[0] = Math.max(size[0], pageNumber * pageSize);
      if (commitPages != 0) {
        size[0] = commitPages * pageSize;
      }
    }
  }

  /**
   * Writes the pages of the record at {@code at} (whole or patched) into {@code out}; size[0]: the
   * database size.
   */
  private static void applyPages(
      FileChannel src, long at, int length, int pageSize, FileChannel out, long[] size)
      throws IOException {
    ByteBuffer body = ByteBuffer.allocate(length);
    readFully(src, body, at);
    byte[] page = new byte[pageSize];
    while (body.hasRemaining()) {
      if (body.remaining() < PAGE_HEADER) {
        throw new IOException("A history record ends inside a page's header");
      }
      long pageNumber = Integer.toUnsignedLong(body.getInt());
      long commitPages = Integer.toUnsignedLong(body.getInt());
      byte kind = body.get();
      int n = body.getInt();
      if (pageNumber == 0 || n < 0 || n > body.remaining()) {
        throw new IOException(
            "A history record holds a page " + pageNumber + " of " + n + " bytes: corrupt");
      }
      long offset = (pageNumber - 1) * pageSize;
      if (kind == WHOLE) {
        if (n != pageSize) {
          throw new IOException(
              "A history record holds page "
                  + pageNumber
                  + " whole in "
                  + n
                  + " bytes, not "
                  + pageSize);
        }
        body.get(page);
      } else if (kind == PATCH) {
        if (offset + pageSize > out.size()) {
          throw new IOException(
              "A history record patches page " + pageNumber + ", which the rebuilt file lacks");
        }
        ByteBuffer current = ByteBuffer.wrap(page);
        readFully(out, current, offset);
        int end = body.position() + n;
        int to = 0;
        while (body.position() < end) {
          if (end - body.position() < 8) {
            throw new IOException("A patch of page " + pageNumber + " ends inside a range");
          }
          int from = to + body.getInt();
          int count = body.getInt();
          if (from < to || count <= 0 || from + count > pageSize || count > end - body.position()) {
            throw new IOException("A patch of page " + pageNumber + " is corrupt");
          }
          body.get(page, from, count);
          to = from + count;
        }
      } else {
        throw new IOException(
            "A history record holds page " + pageNumber + " of unknown kind " + kind);
      }
      writeFully(out, ByteBuffer.wrap(page), offset);
      size[0] = Math.max(size[0], pageNumber * pageSize);
      if (commitPages != 0) {
        size[0] = commitPages * pageSize;
      }
    }
  }

  private void syncDirectory() throws IOException {
    if (!fsync) {
      return;
    }
    try (FileChannel d = FileChannel.open(directory, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  private static void readFully(FileChannel c, ByteBuffer b, long at) throws IOException {
    while (b.hasRemaining()) {
      int n = c.read(b, at + b.position());
      if (n < 0) {
        throw new IOException("Unexpected end of history file");
      }
    }
    b.flip();
  }

  private static void writeFully(FileChannel c, ByteBuffer b, long at) throws IOException {
    long pos = at;
    while (b.hasRemaining()) {
      pos += c.write(b, pos);
    }
  }
}
