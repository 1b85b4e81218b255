package dev.dobj.runtime.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Records JFR's {@code jdk.VirtualThreadPinned} events (a virtual thread that blocked while pinned
 * to its carrier for at least the threshold) between {@link #start} and {@link #stop}.
 */
public final class PinningRecorder implements AutoCloseable {
  private final Recording recording = new Recording();

  private PinningRecorder(Duration threshold) {
    recording.enable("jdk.VirtualThreadPinned").withThreshold(threshold).withStackTrace();
    recording.setToDisk(true);
  }

  /** Starts recording pins that last at least {@code threshold}. */
  public static PinningRecorder start(Duration threshold) {
    PinningRecorder r = new PinningRecorder(threshold);
    r.recording.start();
    return r;
  }

  /** Stops recording and returns one description (with stack) per pinned event. */
  public List<String> stop() {
    recording.stop();
    try {
      Path file = Files.createTempFile("dobj-pinning", ".jfr");
      try {
        recording.dump(file);
        return RecordingFile.readAllEvents(file).stream()
            .filter(e -> e.getEventType().getName().equals("jdk.VirtualThreadPinned"))
            .map(PinningRecorder::describe)
            .toList();
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the JFR recording", e);
    }
  }

  private static String describe(RecordedEvent e) {
    String stack =
        e.getStackTrace() == null
            ? "  (no stack)"
            : e.getStackTrace().getFrames().stream()
                .limit(25)
                .map(PinningRecorder::frame)
                .collect(Collectors.joining("\n"));
    return "virtual thread pinned for " + e.getDuration().toMillis() + " ms:\n" + stack;
  }

  private static String frame(RecordedFrame f) {
    return "  at "
        + f.getMethod().getType().getName()
        + "."
        + f.getMethod().getName()
        + ":"
        + f.getLineNumber();
  }

  @Override
  public void close() {
    recording.close();
  }
}
