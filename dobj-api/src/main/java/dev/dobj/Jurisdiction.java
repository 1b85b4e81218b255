package dev.dobj;

import java.util.Locale;

/**
 * A data-residency restriction that a unique id carries. On a single node it is recorded and
 * enforced between namespaces ({@link DurableObjectNamespace#jurisdiction(Jurisdiction)}) but does
 * not change where the object runs.
 */
public enum Jurisdiction {
  /** The European Union. */
  EU("eu"),
  /** FedRAMP Moderate. */
  FEDRAMP("fedramp"),
  /** FedRAMP High. */
  FEDRAMP_HIGH("fedramp-high"),
  /** The United States. */
  US("us");

  private final String code;

  Jurisdiction(String code) {
    this.code = code;
  }

  /** The name Cloudflare uses, e.g. {@code "fedramp-high"}. */
  public String code() {
    return code;
  }

  /**
   * Parses Cloudflare's name of a jurisdiction.
   *
   * @throws IllegalArgumentException if {@code code} is not one of {@code eu}, {@code fedramp},
   *     {@code fedramp-high}, {@code us}
   */
  public static Jurisdiction of(String code) {
    String c = code.toLowerCase(Locale.ROOT);
    for (Jurisdiction j : values()) {
      if (j.code.equals(c)) {
        return j;
      }
    }
    throw new IllegalArgumentException(
        "Unknown jurisdiction \"" + code + "\": expected one of eu, fedramp, fedramp-high, us");
  }

  @Override
  public String toString() {
    return code;
  }
}
