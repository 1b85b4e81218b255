package dev.dobj.runtime.testing;

import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.simple.SimpleServiceProvider;
import org.slf4j.spi.MDCAdapter;

/**
 * slf4j-simple with a working MDC (slf4j-simple's own is a no-op), so tests can see what the
 * runtime puts in the MDC. Chosen by the system property {@code slf4j.provider}, which this
 * module's Surefire configuration sets.
 */
public final class SimpleLoggingWithMdc extends SimpleServiceProvider {
  private final MDCAdapter mdc = new BasicMDCAdapter();

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }
}
