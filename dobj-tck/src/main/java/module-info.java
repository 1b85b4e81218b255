/** Conformance kits: the contract tests every SPI implementation extends. */
module dev.dobj.tck {
  requires transitive dev.dobj.spi;
  requires transitive org.junit.jupiter.api;
  requires transitive org.assertj.core;

  exports dev.dobj.tck;

  opens dev.dobj.tck to
      org.junit.platform.commons;
}
