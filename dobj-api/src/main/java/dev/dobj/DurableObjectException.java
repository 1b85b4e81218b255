package dev.dobj;

import java.util.Objects;
import java.util.Optional;

/**
 * A failure seen by a caller of a Durable Object, other than the caller's own misuse.
 *
 * <p>The flags say what happened and what the caller may do:
 *
 * <ul>
 *   <li>{@link #remote()}: raised on the object's side, e.g. an exception thrown by the object's
 *       own method, whose type name ({@link #remoteType()}) and message are kept. Only that call
 *       fails; the stub stays usable.
 *   <li>{@link #reset()}: the object instance behind the stub was reset (aborted, failed
 *       constructor, failed critical section, failed commit). Every in-flight and later call on the
 *       stubs bound to that instance fails with this; get a new stub with {@link
 *       DurableObjectNamespace#get(DurableObjectId)} to reach a fresh instance.
 *   <li>{@link #overloaded()}: the object's queue is full; this call was not delivered. Do not
 *       retry at once.
 *   <li>{@link #retryable()}: the connection was lost and the call may not have been delivered;
 *       retrying an idempotent call is safe.
 * </ul>
 *
 * <p>Messages follow Cloudflare's wording where Cloudflare has one, and name the id.
 */
public final class DurableObjectException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean remote;
  private final boolean reset;
  private final boolean overloaded;
  private final boolean retryable;
  private final String remoteType;

  private DurableObjectException(
      String message,
      Throwable cause,
      boolean remote,
      boolean reset,
      boolean overloaded,
      boolean retryable,
      String remoteType) {
    super(message, cause);
    this.remote = remote;
    this.reset = reset;
    this.overloaded = overloaded;
    this.retryable = retryable;
    this.remoteType = remoteType;
  }

  /**
   * An exception thrown by the object's own code, copied by value: {@code type} is the binary name
   * of its class.
   */
  public static DurableObjectException remote(String type, String message) {
    Objects.requireNonNull(type, "type");
    return new DurableObjectException(
        message == null ? type : message, null, true, false, false, false, type);
  }

  /** The instance behind the stub was reset; {@code cause} is what reset it, if known. */
  public static DurableObjectException reset(String message, Throwable cause) {
    return new DurableObjectException(message, cause, true, true, false, false, null);
  }

  /** The object's queue was full; the call was not delivered. */
  public static DurableObjectException overloaded(String message) {
    return new DurableObjectException(message, null, true, false, true, false, null);
  }

  /** The connection to the object was lost; the call may not have been delivered. */
  public static DurableObjectException disconnected(String message, Throwable cause) {
    return new DurableObjectException(message, cause, false, false, false, true, null);
  }

  /** Raised on the object's side (its code, its reset or its overload). */
  public boolean remote() {
    return remote;
  }

  /** The instance was reset; the stub that saw this is broken for good. */
  public boolean reset() {
    return reset;
  }

  /** The object was overloaded; the call was not delivered. Never retry at once. */
  public boolean overloaded() {
    return overloaded;
  }

  /** The call may not have been delivered and may be retried if it is idempotent. */
  public boolean retryable() {
    return retryable;
  }

  /** For an exception thrown by the object's code: the binary name of its class. */
  public Optional<String> remoteType() {
    return Optional.ofNullable(remoteType);
  }

  @Override
  public String toString() {
    String base =
        remoteType == null ? getClass().getName() : getClass().getName() + "(" + remoteType + ")";
    return base + ": " + getMessage();
  }
}
