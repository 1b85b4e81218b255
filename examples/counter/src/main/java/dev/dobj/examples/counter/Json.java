package dev.dobj.examples.counter;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/** JSON string literals for the example's hand-built responses, escaped by jackson-core. */
final class Json {
  private Json() {}

  /** {@code s} as a JSON string literal, quotes included. */
  static String string(String s) {
    return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"';
  }
}
