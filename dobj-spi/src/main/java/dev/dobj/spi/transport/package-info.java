/**
 * Transport: delivers encoded calls to an object hosted elsewhere, one ordered stream per stub so
 * that E-order holds across machines. Imports the API and {@code dev.dobj.spi} only; payloads are
 * opaque bytes produced by the RPC codec.
 */
package dev.dobj.spi.transport;
