package dev.dobj.spi.transport;

import java.util.Objects;

/**
 * One encoded call: the method's stable key and the codec's bytes of its arguments. A fetch travels
 * with the method key {@link #FETCH}.
 *
 * @param methodKey the stable wire id of the method (for example {@code "add(long)"})
 * @param payload the encoded arguments
 */
public record Envelope(String methodKey, byte[] payload) {
  /** The method key of {@code stub.fetch(request)}. */
  public static final String FETCH = "$fetch";

  public Envelope {
    Objects.requireNonNull(methodKey, "methodKey");
    Objects.requireNonNull(payload, "payload");
  }
}
