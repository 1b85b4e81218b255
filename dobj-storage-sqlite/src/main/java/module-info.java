/** The embedded storage engine: one SQLite database per Durable Object. */
module dev.dobj.sqlite {
  requires transitive dev.dobj.spi;
  requires org.xerial.sqlitejdbc;
  requires java.sql;
  requires org.slf4j;

  exports dev.dobj.sqlite;
}
