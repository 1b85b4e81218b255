package dev.dobj.cli;

/**
 * A failure the {@code dobj} command reports as one line on stderr, without a stack trace, and
 * exits with {@link #exitCode()}.
 */
class CliException extends Exception {
  /** Exit code of usage and configuration errors. */
  static final int USAGE = 2;

  /** Exit code of failures to run (e.g. the port is taken). */
  static final int FAILED = 1;

  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** The process exit code: {@link #USAGE} or {@link #FAILED}. */
  int exitCode() {
    return exitCode;
  }
}
