package dev.dobj.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body stream that fails once more than {@code limit} bytes have arrived, for bodies
 * whose size was not declared up front (chunked). The handler asks {@link #overLimit()} to answer
 * 413 instead of 500 when the Worker fails because of it.
 *
 * <p>Read by the Worker's thread, and {@link #overLimit()} by the handler after the Worker returns:
 * the flag is volatile because a Worker may read on another thread it started.
 */
final class CappedBodyStream extends FilterInputStream {
  private final long limit;
  private long count;
  private volatile boolean overLimit;

  CappedBodyStream(InputStream in, long limit) {
    super(in);
    this.limit = limit;
  }

  /** Whether a read went past the limit. */
  boolean overLimit() {
    return overLimit;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      counted(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n > 0) {
      counted(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    if (skipped > 0) {
      counted(skipped);
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void counted(long n) throws IOException {
    count += n;
    if (count > limit) {
      overLimit = true;
      throw new IOException(
          "Request body is over the limit of " + limit + " bytes (413 Content Too Large)");
    }
  }
}
