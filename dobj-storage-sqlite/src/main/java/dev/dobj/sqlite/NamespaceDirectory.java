package dev.dobj.sqlite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * The directory of one namespace: {@code <data>/<encoded unique key>/}, holding {@code <id>.sqlite}
 * per object with state and the alarm index {@code _alarms.sqlite}. The directory listing is the
 * index of objects with state: a database file appears (atomically, by rename) with the first
 * commit that writes and disappears when {@code deleteAll} leaves the object empty.
 *
 * <p>Thread-safe: {@code lock} guards whether the directory's own entry in the data directory still
 * needs an fsync; everything else is immutable or on disk.
 */
final class NamespaceDirectory {
  private static final Pattern OBJECT_FILE = Pattern.compile("[0-9a-f]{64}\\.sqlite");
  private static final String SUFFIX = ".sqlite";
  private static final int MAX_NAME = 100;

  private final String namespace;
  private final Path dataDirectory;
  private final Path path;
  private final EngineHooks hooks;
  private final AlarmIndex alarms;
  private final ReentrantLock lock = new ReentrantLock();
  // @GuardedBy("lock"): created by this process and its entry in the data directory not fsync'd
  private boolean entryUnsynced;

  NamespaceDirectory(String namespace, Path dataDirectory, SqliteStorageEngine engine) {
    this.namespace = namespace;
    this.dataDirectory = dataDirectory;
    this.path = dataDirectory.resolve(encode(namespace));
    this.hooks = engine.hooks();
    this.alarms = new AlarmIndex(this, engine);
  }

  /**
   * A file name for {@code namespace} that is stable, safe on every common file system
   * (case-insensitive ones included) and unique: lower-case letters, digits, {@code -} and {@code
   * _} stay (and {@code .} after the first character); every other UTF-8 byte becomes {@code %XX}.
   * A name longer than 100 characters keeps its first 60 and ends in {@code ~} and 32 hex digits of
   * SHA-256 of the key ({@code ~} never appears otherwise).
   */
  static String encode(String namespace) {
    if (namespace.isEmpty()) {
      throw new IllegalArgumentException("A namespace's unique key must not be empty");
    }
    byte[] bytes = namespace.getBytes(StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      boolean plain =
          (b >= 'a' && b <= 'z')
              || (b >= '0' && b <= '9')
              || b == '-'
              || b == '_'
              || (b == '.' && i > 0);
      if (plain) {
        sb.append((char) b);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)));
        sb.append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    if (sb.length() <= MAX_NAME) {
      return sb.toString();
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return sb.substring(0, 60) + "~" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("SHA-256 is required of every JDK", e);
    }
  }

  String namespace() {
    return namespace;
  }

  Path path() {
    return path;
  }

  AlarmIndex alarms() {
    return alarms;
  }

  /** The database file of object {@code id}. */
  Path objectFile(String id) {
    return path.resolve(id + SUFFIX);
  }

  /** Creates the directory if it does not exist. */
  void create() throws IOException {
    if (Files.isDirectory(path)) {
      return;
    }
    lock.lock();
    try {
      if (!Files.isDirectory(path)) {
        Files.createDirectories(path);
        entryUnsynced = true;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Fsyncs the directory, and the data directory too if this one is new. */
  void sync() throws IOException {
    fsync(path, true);
    lock.lock();
    try {
      if (entryUnsynced) {
        fsync(dataDirectory, true);
        entryUnsynced = false;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Fsyncs {@code file} (a regular file or a directory) through the hooks. */
  void fsync(Path file, boolean metadata) throws IOException {
    hooks.beforeFsync(file);
    try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
      c.force(metadata);
    }
  }

  /**
   * Writes {@code image} as the new file {@code file} (an object's database, or its restore
   * marker): into a temporary file, then renamed into place, so that the file never exists
   * half-written. With {@code durable} the content and the directory are fsync'd before this
   * returns.
   */
  void createFile(Path file, byte[] image, boolean durable) throws IOException {
    create();
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    // A WAL left beside a missing database would be replayed onto the new one.
    Files.deleteIfExists(file.resolveSibling(file.getFileName() + "-wal"));
    try (FileChannel c =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(image);
      while (buffer.hasRemaining()) {
        c.write(buffer);
      }
      if (durable) {
        hooks.beforeFsync(tmp);
        c.force(true);
      }
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    if (durable) {
      sync();
    }
  }

  /** Deletes the files of an object's database: the WAL first, so no WAL outlives its database. */
  void deleteFile(Path file) throws IOException {
    Files.deleteIfExists(file.resolveSibling(file.getFileName() + "-wal"));
    Files.deleteIfExists(file);
  }

  /**
   * The ids of objects with a database file, ascending, after {@code after}, at most {@code limit}.
   */
  List<String> objects(Optional<String> after, int limit) throws IOException {
    List<String> ids = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(path, "*" + SUFFIX)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (OBJECT_FILE.matcher(name).matches()) {
          String id = name.substring(0, name.length() - SUFFIX.length());
          if (after.isEmpty() || id.compareTo(after.get()) > 0) {
            ids.add(id);
          }
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    ids.sort(null);
    return ids.size() <= limit ? ids : List.copyOf(ids.subList(0, limit));
  }
}
