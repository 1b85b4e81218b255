package dev.dobj.examples.counter;

import java.util.Objects;

/**
 * The value of the counter named {@code name}, as an RPC result and as the JSON {@code
 * {"name":"a","value":42}}.
 */
public record CounterValue(String name, long value) {
  /** Checks the name. */
  public CounterValue {
    Objects.requireNonNull(name, "name");
  }

  /** This value as a JSON object, e.g. {@code {"name":"a","value":42}}. */
  public String toJson() {
    return "{\"name\":" + Json.string(name) + ",\"value\":" + value + "}";
  }
}
