/**
 * Types shared by every SPI: the address of an object. Imports the API only.
 *
 * <p>The SPIs ({@link dev.dobj.spi.storage.StorageEngine}, {@link
 * dev.dobj.spi.placement.Placement}, {@link dev.dobj.spi.transport.Transport}) are what changes
 * between one process with embedded SQLite and a cluster on PostgreSQL; the runtime is the same.
 */
package dev.dobj.spi;
