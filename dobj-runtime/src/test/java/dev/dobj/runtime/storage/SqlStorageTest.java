package dev.dobj.runtime.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dobj.runtime.storage.StoreFixtures.Store;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SqlStorageTest extends StorageTestBase {

  @Test
  void statementsRun_andRowsComeBackAsMapsWithoutNullColumns() {
    Store s = store("a");
    s.sql("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, nick TEXT)", List.of());
    s.sql("INSERT INTO people (name, nick) VALUES (?, ?)", List.of("Ada", "ada"));
    s.sql("INSERT INTO people (name) VALUES (?)", List.of("Bob"));
    assertThat(s.sql("SELECT id, name, nick FROM people ORDER BY id", List.of()))
        .containsExactly(
            Map.of("id", "1", "name", "Ada", "nick", "ada"), Map.of("id", "2", "name", "Bob"));
    assertThat(s.sqlColumns("SELECT id, name AS who FROM people")).containsExactly("id", "who");
  }

  @Test
  void severalStatementsInOneExec_runInOrder_andTheCursorIsTheLastOnes_asOnCloudflare() {
    Store s = store("a");
    s.sql(
        """
        CREATE TABLE IF NOT EXISTS artist(artistid INTEGER PRIMARY KEY, artistname TEXT);
        INSERT INTO artist (artistid, artistname) VALUES
          (123, 'Alice'), (456, 'Bob'), (789, 'Charlie');""",
        List.of());
    assertThat(
            s.sql(
                "SELECT count(*) AS n FROM artist; SELECT artistname FROM artist WHERE artistid = ?",
                List.of("456")))
        .containsExactly(Map.of("artistname", "Bob"));
    assertThat(s.sqlCounts("DELETE FROM artist WHERE artistid = 123; DELETE FROM artist").get(1))
        .isEqualTo(3);
    restart();
    assertThat(store("a").sqlOne("SELECT count(*) AS n FROM artist")).isEqualTo("{n=0}");
  }

  @Test
  void sqlWrites_areDurableAcrossRestart() {
    assertThat(store("a").sqlIncrement()).isEqualTo(1);
    assertThat(store("a").sqlIncrement()).isEqualTo(2);
    restart();
    assertThat(store("a").sqlIncrement()).isEqualTo(3);
  }

  @Test
  void kvAndSqlWritesOfOneTurn_commitTogether() {
    store("a").writeBoth("k", "v");
    restart();
    assertThat(store("a").get("k")).contains("v");
    assertThat(store("a").sqlOne("SELECT v FROM t WHERE k = 'k'")).isEqualTo("{v=v}");
  }

  @Test
  void one_failsWithCloudflaresMessages() {
    Store s = store("a");
    s.sql("CREATE TABLE t (x INTEGER)", List.of());
    assertThatThrownBy(() -> s.sqlOne("SELECT x FROM t"))
        .hasMessage("Expected exactly one result from SQL query, but got no results.");
    s.sql("INSERT INTO t VALUES (1), (2)", List.of());
    assertThatThrownBy(() -> s.sqlOne("SELECT x FROM t"))
        .hasMessage("Expected exactly one result from SQL query, but got multiple results.");
    assertThat(s.sqlOne("SELECT count(*) AS n FROM t")).isEqualTo("{n=2}");
  }

  @Test
  void rowsReadAndWritten_areReported() {
    Store s = store("a");
    s.sql("CREATE TABLE t (x INTEGER)", List.of());
    assertThat(s.sqlCounts("INSERT INTO t VALUES (1), (2), (3)").get(1)).isEqualTo(3);
    assertThat(s.sqlCounts("SELECT * FROM t").get(0)).isGreaterThanOrEqualTo(3);
    assertThat(s.databaseSize()).isPositive();
  }

  @Test
  void transactionControlStatements_areRefusedWithAPointerToTransaction() {
    Store s = store("a");
    for (String q :
        List.of(
            "BEGIN",
            "  begin transaction",
            "COMMIT",
            "SAVEPOINT x",
            "ROLLBACK",
            "RELEASE x",
            "-- c\nEND")) {
      assertThatThrownBy(() -> s.sql(q, List.of()))
          .as(q)
          .hasMessageContaining("please use the ctx.storage().transaction() API");
    }
  }

  @Test
  void attachAndReservedNamesAndWritingPragmas_areRefused() {
    Store s = store("a");
    s.put("k", "v");
    assertThatThrownBy(() -> s.sql("ATTACH DATABASE 'x.db' AS x", List.of()))
        .hasMessageContaining("ATTACH is not allowed");
    assertThatThrownBy(() -> s.sql("SELECT * FROM _dobj_kv", List.of()))
        .hasMessageContaining("Access to _dobj_kv is not allowed");
    assertThatThrownBy(() -> s.sql("select * from _DOBJ_meta", List.of()))
        .hasMessageContaining("not allowed");
    assertThatThrownBy(() -> s.sql("PRAGMA journal_mode = DELETE", List.of()))
        .hasMessageContaining("PRAGMA journal_mode is not allowed");
    s.sql("CREATE TABLE t (x INTEGER)", List.of());
    assertThat(s.sql("PRAGMA table_info(t)", List.of())).hasSize(1);
  }

  @Test
  void everyStatementOfAQuery_meetsTheSameRefusals_inTheSameWords_andNothingRuns() {
    Store s = store("a");
    assertThatThrownBy(() -> s.sql("CREATE TABLE t (x INTEGER); BEGIN", List.of()))
        .hasMessageStartingWith("Statement 2 of the SQL query: ")
        .hasMessageContaining(
            "please use the ctx.storage().transaction() API instead of the SQL BEGIN statement");
    assertThatThrownBy(() -> s.sql("SELECT 1; ATTACH DATABASE 'x.db' AS x", List.of()))
        .hasMessageContaining("Statement 2 of the SQL query: ATTACH is not allowed");
    assertThatThrownBy(() -> s.sql("SELECT 1; SELECT * FROM _dobj_kv", List.of()))
        .hasMessageContaining("Access to _dobj_kv is not allowed");
    assertThatThrownBy(() -> s.sql("SELECT 1; PRAGMA journal_mode = DELETE", List.of()))
        .hasMessageContaining("PRAGMA journal_mode is not allowed");
    // The refused queries ran no statement: the table of the first one does not exist.
    assertThat(s.sql("SELECT name FROM sqlite_master WHERE name = 't'", List.of())).isEmpty();
    // The pragmas Cloudflare lets an object set are allowed whichever statement they are.
    s.sql("PRAGMA defer_foreign_keys = ON", List.of());
    s.sql("CREATE TABLE t (x INTEGER); PRAGMA defer_foreign_keys = OFF", List.of());
    assertThat(s.sql("SELECT name FROM sqlite_master WHERE name = 't'", List.of())).hasSize(1);
  }

  @Test
  void badSql_isAClearErrorWithSqlitesMessage_andTheObjectStaysUsable() {
    Store s = store("a");
    assertThatThrownBy(() -> s.sql("SELEC 1", List.of())).hasMessageContaining("syntax error");
    assertThatThrownBy(() -> s.sql("SELECT * FROM nope", List.of()))
        .hasMessageContaining("no such table: nope");
    assertThat(s.sqlIncrement()).isEqualTo(1);
  }

  @Test
  void sqlitesLimits_areSpecsNumbers() {
    Store s = store("a");
    String columns101 =
        IntStream.range(0, 101)
            .mapToObj(i -> "c" + i + " INTEGER")
            .collect(Collectors.joining(", "));
    assertThatThrownBy(() -> s.sql("CREATE TABLE wide (" + columns101 + ")", List.of()))
        .hasMessageContaining("too many columns");
    String params101 = IntStream.range(0, 101).mapToObj(i -> "?").collect(Collectors.joining(","));
    assertThatThrownBy(
            () ->
                s.sql(
                    "SELECT " + params101,
                    IntStream.range(0, 101).mapToObj(String::valueOf).toList()))
        .hasMessageContaining("too many SQL variables");
    String longStatement = "SELECT 1 " + " ".repeat(100_001);
    assertThatThrownBy(() -> s.sql(longStatement, List.of())).hasMessageContaining("SQLITE_TOOBIG");
  }
}
