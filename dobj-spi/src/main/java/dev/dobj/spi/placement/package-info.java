/**
 * Placement: which node hosts an object. One process answers "here" for every id; the cluster
 * answers from shard leases. Imports the API and {@code dev.dobj.spi} only.
 */
package dev.dobj.spi.placement;
