package dev.dobj;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * The identity of one Durable Object within one namespace.
 *
 * <p>An id is 32 bytes: a 16-byte base followed by the first 16 bytes of HMAC-SHA256(namespace key,
 * base), so that an id cannot be forged and belongs to exactly one namespace. Ids are obtained from
 * a {@link DurableObjectNamespace} ({@code idFromName}, {@code newUniqueId}, {@code idFromString})
 * or from {@link NamespaceKey}; they cannot be constructed otherwise.
 *
 * <p>Equality and hash code use the 32 bytes only: the name and jurisdiction that an id may carry
 * do not take part. Ids are immutable and safe to share between threads; they travel by reference
 * through RPC.
 */
public final class DurableObjectId {
  private static final HexFormat HEX = HexFormat.of();

  private final byte[] bytes;
  private final String name; // nullable inside; exposed as Optional
  private final Jurisdiction jurisdiction; // nullable inside; exposed as Optional
  private final int hash;
  private String hex; // made on first use; racy but idempotent

  DurableObjectId(byte[] bytes, String name, Jurisdiction jurisdiction) {
    if (bytes.length != NamespaceKey.ID_LENGTH) {
      throw new AssertionError("id of " + bytes.length + " bytes");
    }
    this.bytes = bytes;
    this.name = name;
    this.jurisdiction = jurisdiction;
    this.hash = Arrays.hashCode(bytes);
  }

  /**
   * The name this id was derived from with {@code idFromName}, or empty for unique ids and ids
   * parsed with {@code idFromString}.
   */
  public Optional<String> name() {
    return Optional.ofNullable(name);
  }

  /** The jurisdiction this id was minted in, if any. */
  public Optional<Jurisdiction> jurisdiction() {
    return Optional.ofNullable(jurisdiction);
  }

  /** A copy of the 32 bytes of this id. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  byte[] rawBytes() {
    return bytes;
  }

  /** Returns this id with {@code newName} attached; used when a persisted name is recovered. */
  DurableObjectId withName(String newName) {
    Objects.requireNonNull(newName, "name");
    return new DurableObjectId(bytes, newName, jurisdiction);
  }

  /** The 64 lowercase hexadecimal digits of the id; {@code idFromString} accepts them back. */
  @Override
  public String toString() {
    String h = hex;
    if (h == null) {
      h = HEX.formatHex(bytes);
      hex = h;
    }
    return h;
  }

  /** Two ids are equal when their 32 bytes are equal; names and jurisdictions are ignored. */
  @Override
  public boolean equals(Object o) {
    return o instanceof DurableObjectId other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
