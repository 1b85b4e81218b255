package dev.dobj.rpc.codec;

/**
 * A value that cannot be copied, encoded or decoded under its plan. Internal: the entry points of
 * {@link MethodPlan} and {@link ValuePlan} turn it into an {@link IllegalArgumentException} that
 * says which parameter or result it was. Carries no stack trace (it is control flow for bad input);
 * the path inside the value is prepended while the exception unwinds.
 */
final class ValueException extends RuntimeException {
  private String path = "";

  ValueException(String reason) {
    super(reason, null, false, false);
  }

  ValueException(String reason, Throwable cause) {
    super(reason, cause, false, false);
  }

  /** Prepends one step of the path, e.g. {@code .name} or {@code [3]}, and returns this. */
  ValueException at(String step) {
    path = step + path;
    return this;
  }

  /** The reason, followed by where in the value it was met, e.g. {@code ... (at tags[2])}. */
  String describe() {
    if (path.isEmpty()) {
      return getMessage();
    }
    return getMessage() + " (at " + (path.startsWith(".") ? path.substring(1) : path) + ")";
  }
}
