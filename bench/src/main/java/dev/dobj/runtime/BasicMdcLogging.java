package dev.dobj.runtime;

import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.simple.SimpleServiceProvider;
import org.slf4j.spi.MDCAdapter;

/**
 * slf4j-simple with SLF4J's map-backed MDC in place of its no-op one, so a benchmark can measure
 * what the runtime's per-turn MDC costs with a real logging backend: run the JVM with {@code
 * -Dslf4j.provider=dev.dobj.runtime.BasicMdcLogging}.
 */
public final class BasicMdcLogging extends SimpleServiceProvider {
  private final MDCAdapter mdc = new BasicMDCAdapter();

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }
}
