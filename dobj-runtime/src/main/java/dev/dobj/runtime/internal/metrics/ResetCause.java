package dev.dobj.runtime.internal.metrics;

/** Why an object was reset: the {@code cause} tag of {@code dobj.resets}. */
public enum ResetCause {
  /** {@code ctx.abort(reason)}. */
  ABORT("abort"),
  /** The constructor threw or could not run. */
  CONSTRUCTOR("constructor"),
  /**
   * A constructor or {@code blockConcurrencyWhile} callback ran past the critical section limit.
   */
  CRITICAL_SECTION_TIMEOUT("critical_section_timeout"),
  /** A {@code blockConcurrencyWhile} callback threw. */
  CRITICAL_SECTION_ERROR("critical_section_error"),
  /** A call into the object's storage ran past the storage operation limit. */
  STORAGE_TIMEOUT("storage_timeout"),
  /** A storage commit failed (or its durability did). */
  COMMIT_FAILURE("commit_failure"),
  /** The runtime was closed while the object was in memory. */
  RUNTIME_CLOSE("runtime_close");

  private final String tag;

  ResetCause(String tag) {
    this.tag = tag;
  }

  /** The tag value, lower snake case. */
  public String tag() {
    return tag;
  }
}
