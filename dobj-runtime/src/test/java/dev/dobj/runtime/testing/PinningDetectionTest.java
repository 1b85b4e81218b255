package dev.dobj.runtime.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The detector that fails this module's test classes on pinning really sees a pin: a virtual thread
 * that parks inside a class initializer stays pinned to its carrier (also on JDK 24+, where {@code
 * synchronized} no longer pins).
 */
@PinsOnPurpose
class PinningDetectionTest {

  static final class PinsWhileInitialising {
    static {
      LockSupport.parkNanos(FailOnPinnedVirtualThreads.THRESHOLD.multipliedBy(5).toNanos());
    }

    static void touch() {}
  }

  @Test
  void aVirtualThreadBlockingWhilePinned_isRecordedAndWouldFailTheClass() throws Exception {
    try (PinningRecorder recorder = PinningRecorder.start(FailOnPinnedVirtualThreads.THRESHOLD)) {
      Thread.ofVirtual().start(PinsWhileInitialising::touch).join();
      List<String> pins = recorder.stop();
      assertThat(pins).isNotEmpty();
      assertThat(pins.get(0)).contains("PinsWhileInitialising");
    }
  }

  @Test
  void aVirtualThreadThatParksFreely_isNotRecorded() throws Exception {
    try (PinningRecorder recorder = PinningRecorder.start(FailOnPinnedVirtualThreads.THRESHOLD)) {
      Thread.ofVirtual()
          .start(
              () ->
                  LockSupport.parkNanos(
                      FailOnPinnedVirtualThreads.THRESHOLD.multipliedBy(5).toNanos()))
          .join();
      assertThat(recorder.stop()).isEmpty();
    }
  }
}
