/** The dobj test kit: a JUnit 5 extension and helpers for users' tests of their Durable Objects. */
module dev.dobj.test {
  requires transitive dev.dobj.runtime;
  requires transitive org.junit.jupiter.api;
  requires dev.dobj.sqlite;

  exports dev.dobj.test;
}
