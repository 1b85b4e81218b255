package dev.dobj.runtime.testing;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class if any virtual thread was pinned to its carrier for 20 ms or more while it ran
 * (JFR {@code jdk.VirtualThreadPinned}). Registered for every test class of this module by
 * auto-detection ({@code META-INF/services}, {@code junit-platform.properties}).
 */
public final class FailOnPinnedVirtualThreads implements BeforeAllCallback, AfterAllCallback {
  /** Pins this long or longer fail the class; JFR's own default threshold. */
  public static final Duration THRESHOLD = Duration.ofMillis(20);

  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(FailOnPinnedVirtualThreads.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    if (exempt(context)) {
      return;
    }
    context.getStore(NS).put("recorder", PinningRecorder.start(THRESHOLD));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    PinningRecorder recorder = context.getStore(NS).remove("recorder", PinningRecorder.class);
    if (recorder == null) {
      return;
    }
    try (recorder) {
      List<String> pins = recorder.stop();
      if (!pins.isEmpty()) {
        throw new AssertionError(
            pins.size()
                + " virtual thread pin(s) of "
                + THRESHOLD.toMillis()
                + " ms or more in "
                + context.getDisplayName()
                + ":\n"
                + String.join("\n", pins));
      }
    }
  }

  private static boolean exempt(ExtensionContext context) {
    return context.getRequiredTestClass().isAnnotationPresent(PinsOnPurpose.class);
  }
}
