package dev.dobj.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dobj.NamespaceKey;
import dev.dobj.spi.ObjectAddress;
import dev.dobj.spi.storage.Durability;
import dev.dobj.spi.storage.FencingToken;
import dev.dobj.spi.storage.ObjectStore;
import dev.dobj.spi.storage.SqlResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the engine refuses to run, and how it classifies what it runs. */
class SqlTextTest {
  @TempDir Path dataDir;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SELECT 1",
        "  -- comment\n select * from t",
        "/* c */ VALUES (1)",
        "EXPLAIN INSERT INTO t VALUES (1)",
        "PRAGMA table_info(t)",
        "PRAGMA main.index_list('t')",
        "SELECT '_dobj_kv', 'BEGIN; ROLLBACK'",
        "SELECT 1;",
        "SELECT 1; -- trailing comment",
      })
  void reads_runOutsideATransaction(String sql) {
    assertThat(SqlText.of(sql).kind()).isEqualTo(SqlText.Kind.READ);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "INSERT INTO t VALUES (1)",
        "update t set x = 1",
        "DELETE FROM t",
        "REPLACE INTO t VALUES (1)",
        "WITH c AS (SELECT 1) INSERT INTO t SELECT * FROM c",
      })
  void dml_writesWhenItChangesRows(String sql) {
    assertThat(SqlText.of(sql).kind()).isEqualTo(SqlText.Kind.DML);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "CREATE TABLE t (x)",
        "DROP TABLE t",
        "ALTER TABLE t ADD COLUMN y",
        "CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO u VALUES (1); UPDATE u SET y = 2;"
            + " END;",
        "PRAGMA defer_foreign_keys = ON",
        "PRAGMA user_version = 3",
      })
  void everythingElse_countsAsAWrite(String sql) {
    assertThat(SqlText.of(sql).kind()).isEqualTo(SqlText.Kind.OTHER);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "BEGIN",
        "begin immediate",
        "COMMIT",
        "END",
        "ROLLBACK",
        "SAVEPOINT x",
        "RELEASE x",
        "ATTACH DATABASE 'x.db' AS x",
        "DETACH x",
        "VACUUM",
        "VACUUM INTO '/tmp/copy.db'",
        "SELECT * FROM _dobj_kv",
        "select * from \"_DOBJ_meta\"",
        "SELECT * FROM main.[_dobj_kv]",
        "PRAGMA journal_mode = DELETE",
        "PRAGMA synchronous=FULL",
        "PRAGMA wal_autocheckpoint",
        "PRAGMA wal_checkpoint(TRUNCATE)",
        "PRAGMA writable_schema = 1",
        "PRAGMA foreign_keys = OFF",
        "SELECT 1; SELECT 2",
        "INSERT OR ROLLBACK INTO t VALUES (1)",
        "CREATE TABLE t (x UNIQUE ON CONFLICT ROLLBACK)",
        "CREATE TEMP TABLE t (x)",
        "CREATE TABLE temp.t (x)",
        "",
        "  -- only a comment",
      })
  void statementsThatWouldBreakTheEngine_areRefused(String sql) {
    assertThatThrownBy(() -> SqlText.of(sql)).isInstanceOf(IllegalArgumentException.class);
  }

  /** The store of object "a" of {@code namespace}. */
  private static ObjectStore open(SqliteStorageEngine engine, String namespace) {
    return engine.open(
        new ObjectAddress(namespace, NamespaceKey.of(namespace).idFromName("a")),
        FencingToken.SINGLE_NODE);
  }

  @Test
  void theRefusals_andSqlitesErrors_reachTheCallerThroughTheStore() {
    try (SqliteStorageEngine engine = new SqliteStorageEngine(dataDir, Durability.OS);
        ObjectStore s = open(engine, "sql-text")) {
      assertThatThrownBy(() -> s.execute("COMMIT"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(
              "To execute a transaction, please use the ctx.storage().transaction() API instead"
                  + " of the SQL COMMIT statement.");
      assertThatThrownBy(() -> s.execute("SELECT * FROM _dobj_kv"))
          .hasMessageContaining("_dobj_kv")
          .hasMessageContaining("reserved");
      assertThatThrownBy(() -> s.execute("SELECT 1; BEGIN"))
          .hasMessageStartingWith(
              "Statement 2 of the SQL query: To execute a transaction, please use the"
                  + " ctx.storage().transaction() API instead of the SQL BEGIN statement.");
      assertThatThrownBy(() -> s.execute("SELEC 1"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("near \"SELEC\": syntax error: SQLITE_ERROR");
      s.execute("CREATE TABLE t (x UNIQUE)");
      s.execute("INSERT INTO t VALUES (1)");
      assertThatThrownBy(() -> s.execute("INSERT INTO t VALUES (1)"))
          .hasMessage("UNIQUE constraint failed: t.x: SQLITE_CONSTRAINT");
      s.execute(
          "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET x = x + 100 WHERE x ="
              + " NEW.x; END;");
      s.execute("INSERT INTO t VALUES (2)");
      assertThat(s.execute("SELECT x FROM t ORDER BY x").rows())
          .containsExactly(new Object[] {1L}, new Object[] {102L});
    }
  }

  @Test
  void aQueryReportsWhetherItChangedTheDatabase_andOneThatChangedNothingLeavesNoTransaction() {
    try (SqliteStorageEngine engine = new SqliteStorageEngine(dataDir, Durability.OS);
        ObjectStore s = open(engine, "changed")) {
      SqliteObjectStore store = (SqliteObjectStore) s;
      assertThat(s.execute("CREATE TABLE t (x INTEGER)").changed()).isTrue();
      assertThat(s.execute("INSERT INTO t VALUES (1)").changed()).isTrue();
      s.commit();

      // DML that matched no row: a write transaction was opened for it, and ended with it.
      SqlResult none = s.execute("UPDATE t SET x = 2 WHERE x = 99");
      assertThat(none.changed()).isFalse();
      assertThat(none.rowsWritten()).isZero();
      assertThat(store.transactionOpen()).isFalse();
      SqlResult read = s.execute("WITH c AS (SELECT x FROM t) SELECT * FROM c");
      assertThat(read.changed()).isFalse();
      assertThat(read.rows()).hasSize(1);
      assertThat(store.transactionOpen()).isFalse();
      assertThat(s.execute("SELECT 1; UPDATE t SET x = 3 WHERE x = 99").changed()).isFalse();
      assertThat(store.transactionOpen()).isFalse();

      // A change anywhere in a query of several counts, and its transaction waits for the commit.
      assertThat(s.execute("UPDATE t SET x = 4 WHERE x = 99; UPDATE t SET x = 5").changed())
          .isTrue();
      assertThat(store.transactionOpen()).isTrue();
      s.commit();
      assertThat(store.transactionOpen()).isFalse();
      assertThat(s.execute("PRAGMA user_version = 3").changed()).isTrue();
      s.commit();
      assertThat(s.execute("SELECT x FROM t").rows()).containsExactly(new Object[] {5L});
    }
  }

  @Test
  void split_cutsAtSemicolonsOutsideLiteralsCommentsAndTriggerBodies() {
    assertThat(SqlText.split("CREATE TABLE t (x); INSERT INTO t VALUES (1);"))
        .containsExactly("CREATE TABLE t (x)", " INSERT INTO t VALUES (1)");
    assertThat(SqlText.split("SELECT ';' /* ; */; SELECT \"a;b\" -- ;\n"))
        .containsExactly("SELECT ';' /* ; */", " SELECT \"a;b\" -- ;\n");
    assertThat(SqlText.split(";; SELECT 1 ;; -- done\n")).containsExactly(" SELECT 1 ");
    assertThat(
            SqlText.split(
                "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET x = 1; DELETE FROM u;"
                    + " END; SELECT 1"))
        .containsExactly(
            "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET x = 1; DELETE FROM u; END",
            " SELECT 1");
    assertThat(SqlText.split("  -- nothing\n ;")).isEmpty();
  }

  @Test
  void severalStatements_runInOrder_theBindingsGoToTheLast_andTheyApplyAllOrNone() {
    try (SqliteStorageEngine engine = new SqliteStorageEngine(dataDir, Durability.FSYNC);
        ObjectStore s = open(engine, "sql-several")) {
      var created =
          s.execute(
              "CREATE TABLE t (x INTEGER UNIQUE); INSERT INTO t VALUES (1), (2);"
                  + " INSERT INTO t VALUES (?) RETURNING x * 10 AS tenfold",
              3L);
      assertThat(created.columns()).containsExactly("tenfold");
      assertThat(created.rows()).containsExactly(new Object[] {30L});
      assertThat(created.rowsWritten()).isEqualTo(3);

      // The second statement fails: the first one's row goes too.
      assertThatThrownBy(() -> s.execute("INSERT INTO t VALUES (4); INSERT INTO t VALUES (1)"))
          .hasMessage("UNIQUE constraint failed: t.x: SQLITE_CONSTRAINT");
      // A refused statement anywhere: nothing runs.
      assertThatThrownBy(() -> s.execute("INSERT INTO t VALUES (5); COMMIT"))
          .hasMessageContaining("Statement 2 of the SQL query")
          .hasMessageContaining("instead of the SQL COMMIT statement");
      assertThatThrownBy(() -> s.execute("INSERT INTO t VALUES (?); SELECT ?", 6L))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(
              "Statement 1 of the SQL query has 1 parameter(s), but bindings apply to the last"
                  + " statement only");
      assertThat(s.execute("SELECT x FROM t ORDER BY x").rows())
          .containsExactly(new Object[] {1L}, new Object[] {2L}, new Object[] {3L});
      assertThat(s.execute("SELECT count(*) FROM t; SELECT max(x) * 100 AS top FROM t").rows())
          .containsExactly(new Object[] {300L});
      assertThat(s.durable(s.commit())).succeedsWithin(java.time.Duration.ofSeconds(30));
    }
  }
}
