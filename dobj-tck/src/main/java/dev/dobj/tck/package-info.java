/**
 * Conformance kits: abstract JUnit 5 classes that an implementation of an SPI extends to prove it
 * keeps the SPI's promises ({@link dev.dobj.tck.StorageEngineContract} for storage engines).
 * Imports the API, the SPI, JUnit 5 and AssertJ; it ships tests, so they are compile-scope here.
 */
package dev.dobj.tck;
