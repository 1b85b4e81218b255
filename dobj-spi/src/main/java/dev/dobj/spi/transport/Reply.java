package dev.dobj.spi.transport;

import java.util.Objects;

/** The outcome of one call, as it travels back. */
public sealed interface Reply {
  /**
   * The call returned.
   *
   * @param payload the encoded result
   */
  record Value(byte[] payload) implements Reply {
    public Value {
      Objects.requireNonNull(payload, "payload");
    }
  }

  /**
   * The call failed.
   *
   * @param kind what kind of failure (the flags of the caller's exception)
   * @param type for application errors, the binary name of the exception's class
   * @param message the message shown to the caller
   */
  record Failure(Kind kind, String type, String message) implements Reply {
    public Failure {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(message, "message");
    }
  }

  /** Failure kinds; each maps to one flag of {@code DurableObjectException}. */
  enum Kind {
    /** Thrown by the object's code. */
    APPLICATION,
    /** The instance was reset; the stream is broken. */
    RESET,
    /** The object was overloaded; the call was not delivered. */
    OVERLOADED,
    /** The caller's misuse (unknown method, undecodable arguments). */
    INVALID
  }
}
