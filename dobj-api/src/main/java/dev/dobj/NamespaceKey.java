package dev.dobj;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret that mints and checks the ids of one namespace.
 *
 * <p>The key is SHA-256 of the UTF-8 bytes of the namespace's configured unique key, so renaming
 * the Java class keeps its ids. An id is {@code base || HMAC-SHA256(key, base)[0..16)}; for {@link
 * #idFromName} the base is {@code HMAC-SHA256(key, name)[0..16)}. With this layout the ids are
 * byte-for-byte those of Cloudflare's local runtime for the same unique key.
 *
 * <p>Applications normally use the namespace's methods, which delegate here; this type is public so
 * that runtimes, tools and tests can mint and verify ids without a running runtime. Instances are
 * immutable and thread-safe.
 */
public final class NamespaceKey {
  static final int ID_LENGTH = 32;
  private static final int BASE_LENGTH = 16;
  private static final String INVALID_FORMAT = "Invalid Durable Object ID: must be 64 hex digits";
  private static final String FOREIGN_ID = "Durable Object ID is not valid for this namespace.";

  // Ids of recent names without a jurisdiction: a Worker derives the same few ids over and over.
  private static final int NAME_CACHE_CAPACITY = 4096;

  private final byte[] key;
  private final SecretKeySpec keySpec;
  // Initialized with the key and never updated: each HMAC runs on a clone (cheaper than a lookup)
  private final Mac prototype;
  private final ConcurrentHashMap<String, DurableObjectId> names = new ConcurrentHashMap<>();

  private NamespaceKey(byte[] key) {
    this.key = key;
    this.keySpec = new SecretKeySpec(key, "HmacSHA256");
    this.prototype = newMac();
  }

  /**
   * The key of the namespace configured with {@code uniqueKey}.
   *
   * @throws IllegalArgumentException if {@code uniqueKey} is empty
   */
  public static NamespaceKey of(String uniqueKey) {
    Objects.requireNonNull(uniqueKey, "uniqueKey");
    if (uniqueKey.isEmpty()) {
      throw new IllegalArgumentException("A namespace's unique key must not be empty");
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return new NamespaceKey(sha.digest(uniqueKey.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new AssertionError("SHA-256 is required of every JDK", e);
    }
  }

  /**
   * The id for {@code name}: the same name gives the same id across restarts and machines; the
   * returned id carries the name.
   */
  public DurableObjectId idFromName(String name) {
    return idFromName(name, Optional.empty());
  }

  /**
   * The id for {@code name} within a jurisdiction. A name in a jurisdiction gives another id than
   * the same name outside it; the id carries both the name and the jurisdiction.
   */
  public DurableObjectId idFromName(String name, Optional<Jurisdiction> within) {
    Objects.requireNonNull(name, "name");
    Jurisdiction jurisdiction = within.orElse(null);
    if (jurisdiction == null) {
      DurableObjectId cached = names.get(name);
      if (cached != null) {
        return cached;
      }
    }
    String input = jurisdiction == null ? name : jurisdiction.code() + ":" + name;
    byte[] base = Arrays.copyOf(hmac(input.getBytes(StandardCharsets.UTF_8)), BASE_LENGTH);
    DurableObjectId id = new DurableObjectId(seal(base), name, jurisdiction);
    if (jurisdiction == null) {
      if (names.size() >= NAME_CACHE_CAPACITY) {
        names.clear(); // crude but bounded; a working set larger than this pays the HMAC again
      }
      names.put(name, id);
    }
    return id;
  }

  /** A new random id drawn from {@code random}, carrying {@code jurisdiction} if present. */
  public DurableObjectId newUniqueId(SecureRandom random, Optional<Jurisdiction> jurisdiction) {
    Objects.requireNonNull(random, "random");
    byte[] base = new byte[BASE_LENGTH];
    random.nextBytes(base);
    return new DurableObjectId(seal(base), null, jurisdiction.orElse(null));
  }

  /**
   * Parses the 64 hex digits of an id of this namespace (upper case accepted).
   *
   * @throws IllegalArgumentException "Invalid Durable Object ID: must be 64 hex digits" when the
   *     text is not 64 hex digits; "Durable Object ID is not valid for this namespace." when the
   *     MAC does not match this key
   */
  public DurableObjectId idFromString(String hex) {
    return idFromString(hex, Optional.empty());
  }

  /**
   * Parses an id as {@link #idFromString(String)} does, attaching {@code jurisdiction}.
   *
   * @throws IllegalArgumentException as {@link #idFromString(String)}
   */
  public DurableObjectId idFromString(String hex, Optional<Jurisdiction> jurisdiction) {
    Objects.requireNonNull(hex, "id");
    if (hex.length() != 2 * ID_LENGTH) {
      throw new IllegalArgumentException(INVALID_FORMAT + " (got " + hex.length() + " characters)");
    }
    byte[] bytes;
    try {
      bytes = HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(INVALID_FORMAT + " (got \"" + hex + "\")", e);
    }
    if (!verifies(bytes)) {
      throw new IllegalArgumentException(FOREIGN_ID);
    }
    return new DurableObjectId(bytes, null, jurisdiction.orElse(null));
  }

  /** Whether {@code id} was minted under this key. */
  public boolean owns(DurableObjectId id) {
    return verifies(id.rawBytes());
  }

  /**
   * Returns {@code id} with the name recovered from storage attached (after an eviction or a
   * restart, an object reached by id only still knows the name it was first reached by).
   *
   * @throws IllegalArgumentException if {@code id} does not belong to this namespace or its bytes
   *     are not those of {@code idFromName(name)}
   */
  public DurableObjectId withName(DurableObjectId id, String name) {
    DurableObjectId derived = idFromName(name, id.jurisdiction());
    if (!derived.equals(id)) {
      throw new IllegalArgumentException(
          "Name \"" + name + "\" does not derive Durable Object ID " + id + " in this namespace");
    }
    return id.withName(name);
  }

  private boolean verifies(byte[] bytes) {
    byte[] mac = hmac(Arrays.copyOf(bytes, BASE_LENGTH));
    return MessageDigest.isEqual(
        Arrays.copyOf(mac, BASE_LENGTH), Arrays.copyOfRange(bytes, BASE_LENGTH, ID_LENGTH));
  }

  private byte[] seal(byte[] base) {
    byte[] id = Arrays.copyOf(base, ID_LENGTH);
    System.arraycopy(hmac(base), 0, id, BASE_LENGTH, BASE_LENGTH);
    return id;
  }

  private byte[] hmac(byte[] input) {
    Mac mac;
    try {
      mac = (Mac) prototype.clone();
    } catch (CloneNotSupportedException e) {
      mac = newMac(); // a provider whose Mac cannot be cloned
    }
    return mac.doFinal(input);
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(keySpec);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new AssertionError("HmacSHA256 is required of every JDK", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NamespaceKey other && MessageDigest.isEqual(key, other.key);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(key);
  }

  /** Never prints the key itself. */
  @Override
  public String toString() {
    return "NamespaceKey[sha256 " + HexFormat.of().formatHex(key, 0, 4) + "...]";
  }
}
