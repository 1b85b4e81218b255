package dev.dobj.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dobj.NamespaceKey;
import dev.dobj.spi.ObjectAddress;
import dev.dobj.spi.storage.Durability;
import dev.dobj.spi.storage.FencingToken;
import dev.dobj.spi.storage.ObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Where the engine puts things on disk, and when. */
class SqliteFilesTest {
  private static final String NAMESPACE = "Files Test/ns";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dataDir;
  private final RecordingHooks hooks = new RecordingHooks();
  private SqliteStorageEngine engine;

  private SqliteStorageEngine start(Durability durability) {
    engine = SqliteStorageEngine.builder(dataDir).durability(durability).hooks(hooks).build();
    return engine;
  }

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
  }

  private static ObjectAddress address(String name) {
    return new ObjectAddress(NAMESPACE, NamespaceKey.of(NAMESPACE).idFromName(name));
  }

  private ObjectStore open(String name) {
    return engine.open(address(name), FencingToken.SINGLE_NODE);
  }

  private Path namespaceDir() {
    return dataDir.resolve(NamespaceDirectory.encode(NAMESPACE));
  }

  private Path file(String name) {
    return namespaceDir().resolve(address(name).id() + ".sqlite");
  }

  private List<String> filesOnDisk() throws IOException {
    if (!Files.exists(namespaceDir())) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(namespaceDir())) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void theDatabaseFile_appearsWithTheFirstCommitThatWrites_inWalMode(Durability durability)
      throws IOException {
    start(durability);
    try (ObjectStore s = open("a")) {
      s.get("k");
      s.execute("SELECT 1");
      s.put("k", "v".getBytes(StandardCharsets.UTF_8));
      s.execute("CREATE TABLE t (x)");
      s.savepoint();
      s.releaseSavepoint();
      assertThat(filesOnDisk()).as("before the commit").isEmpty();
      s.commit();
      assertThat(Files.exists(file("a"))).isTrue();
      byte[] header = Files.readAllBytes(file("a"));
      assertThat(header[18]).as("write version: WAL").isEqualTo((byte) 2);
      assertThat(header[19]).as("read version: WAL").isEqualTo((byte) 2);
      String id = address("a").id().toString();
      assertThat(filesOnDisk())
          .as(
              "the database, its WAL and its history (point-in-time recovery); no -shm"
                  + " (exclusive locking), no temporary file left")
          .containsExactly(id + ".history", id + ".sqlite", id + ".sqlite-wal");
    }
  }

  @Test
  void inFsyncDurability_theFirstCommit_fsyncsTheNewFileAndItsDirectoriesBeforeReturning() {
    start(Durability.FSYNC);
    try (ObjectStore s = open("a")) {
      s.put("k", new byte[] {1});
      s.commit();
      Path tmp = file("a").resolveSibling(file("a").getFileName() + ".tmp");
      assertThat(hooks.fsyncs).containsSubsequence(tmp, namespaceDir(), dataDir.toAbsolutePath());
    }
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void aBatchRolledBack_orOnlyReading_createsNoFile(Durability durability) throws IOException {
    start(durability);
    try (ObjectStore s = open("a")) {
      s.put("k", new byte[] {1});
      s.setAlarm(Optional.of(Instant.ofEpochMilli(5)));
      s.rollback();
      s.execute("SELECT 1");
      s.commit();
    }
    try (ObjectStore s = open("b")) {
      s.deleteAll();
      s.put("k", new byte[] {1});
      s.delete("k");
      s.commit();
    }
    assertThat(filesOnDisk()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void deleteAll_leavingTheObjectEmpty_deletesItsFile_namedOrNot(Durability durability)
      throws IOException {
    start(durability);
    try (ObjectStore s = open("plain");
        ObjectStore named = open("named")) {
      s.put("k", new byte[] {1});
      s.execute("CREATE TABLE t (x)");
      named.put("k", new byte[] {1});
      named.setName("named");
      assertThat(s.durable(s.commit())).succeedsWithin(WAIT);
      assertThat(named.durable(named.commit())).succeedsWithin(WAIT);
      s.deleteAll();
      named.deleteAll();
      assertThat(s.durable(s.commit())).succeedsWithin(WAIT);
      assertThat(named.durable(named.commit())).succeedsWithin(WAIT);
      assertThat(Files.exists(file("plain"))).isFalse();
      assertThat(Files.exists(file("named"))).isFalse();
      String plain = address("plain").id().toString();
      assertThat(filesOnDisk())
          .as("only the history stays, for a restore")
          .filteredOn(f -> f.startsWith(plain))
          .containsExactly(plain + ".history");
      assertThat(engine.listObjects(NAMESPACE, Optional.empty(), 10)).isEmpty();
      // and the store goes on: the next write creates the file again, with the name
      s.put("again", new byte[] {2});
      named.put("again", new byte[] {2});
      assertThat(s.durable(s.commit())).succeedsWithin(WAIT);
      assertThat(named.durable(named.commit())).succeedsWithin(WAIT);
      assertThat(s.get("again")).isPresent();
      assertThat(Files.exists(file("plain"))).isTrue();
      assertThat(named.name()).contains("named");
    }
    try (ObjectStore named = open("named")) {
      assertThat(named.name()).as("the name came back with the file").contains("named");
    }
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void removingTheLastKeyTableAndAlarm_oneByOne_deletesTheFile_andTheObjectIsNoLongerListed(
      Durability durability) throws IOException {
    start(durability);
    try (ObjectStore s = open("a")) {
      s.setName("a");
      s.put("k1", new byte[] {1});
      s.put("k2", new byte[] {2});
      s.execute("CREATE TABLE t (x)");
      s.setAlarm(Optional.of(java.time.Instant.parse("2030-01-01T00:00:00Z")));
      assertThat(s.durable(s.commit())).succeedsWithin(WAIT);

      s.delete("k1");
      assertThat(s.durable(s.commit())).succeedsWithin(WAIT);
      s.delete("k2");
      s.execute("DELETE FROM t");
      assertThat(s.durable(s.commit())).succeedsWithin(WAIT);
      assertThat(Files.exists(file("a"))).as("the table and the alarm remain").isTrue();
      s.execute("DROP TABLE t");
      assertThat(s.durable(s.commit())).succeedsWithin(WAIT);
      assertThat(Files.exists(file("a"))).as("the alarm remains").isTrue();
      assertThat(engine.listObjects(NAMESPACE, Optional.empty(), 10)).hasSize(1);

      s.setAlarm(Optional.empty());
      assertThat(s.durable(s.commit())).succeedsWithin(WAIT);
      assertThat(Files.exists(file("a"))).isFalse();
      assertThat(engine.listObjects(NAMESPACE, Optional.empty(), 10)).isEmpty();
      assertThat(s.get("k1")).isEmpty();
      assertThat(s.alarm()).isEmpty();

      // A batch that writes and removes the same key stores nothing: still no file.
      s.put("brief", new byte[] {3});
      s.delete("brief");
      assertThat(s.durable(s.commit())).succeedsWithin(WAIT);
      assertThat(Files.exists(file("a"))).isFalse();
    }
  }

  @Test
  void namespaceDirectories_areAStableFileSystemSafeEncodingOfTheUniqueKey() {
    assertThat(NamespaceDirectory.encode("anchor-counter-key-v1"))
        .isEqualTo("anchor-counter-key-v1");
    assertThat(NamespaceDirectory.encode("Files Test/ns")).isEqualTo("%46iles%20%54est%2Fns");
    assertThat(NamespaceDirectory.encode("..")).isEqualTo("%2E.");
    assertThat(NamespaceDirectory.encode("é")).isEqualTo("%C3%A9");
    assertThat(NamespaceDirectory.encode("a%b")).isEqualTo("a%25b");
    String longKey = "k".repeat(300);
    String encoded = NamespaceDirectory.encode(longKey);
    assertThat(encoded).hasSizeLessThanOrEqualTo(100).contains("~");
    assertThat(encoded).isEqualTo(NamespaceDirectory.encode(longKey));
    assertThat(NamespaceDirectory.encode(longKey + "x")).isNotEqualTo(encoded);
  }

  @Test
  void theEngine_leavesNoFileOpenAfterClose_andTheWalCheckpointed() throws IOException {
    start(Durability.FSYNC);
    try (ObjectStore s = open("a")) {
      s.put("k", new byte[1000]);
      s.commit();
    }
    engine.close();
    engine = null;
    Path wal = file("a").resolveSibling(file("a").getFileName() + "-wal");
    assertThat(!Files.exists(wal) || Files.size(wal) == 0).as("WAL gone or empty").isTrue();
    assertThat(openFilesUnder(dataDir)).isZero();
  }

  /** Open file descriptors of this process on files under {@code dir} (Linux). */
  static long openFilesUnder(Path dir) throws IOException {
    Path fds = Path.of("/proc/self/fd");
    if (!Files.exists(dir)) {
      return 0;
    }
    Path real = dir.toRealPath();
    try (Stream<Path> links = Files.list(fds)) {
      return links
          .map(
              l -> {
                try {
                  return Files.readSymbolicLink(l);
                } catch (IOException e) {
                  return Path.of("/"); // closed meanwhile
                }
              })
          .filter(target -> target.startsWith(real))
          .count();
    }
  }
}
