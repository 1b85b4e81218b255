package dev.dobj.fetch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BodyTest {

  /** A stream that records whether it was closed and how many bytes were read from it. */
  private static final class TrackedStream extends ByteArrayInputStream {
    final AtomicBoolean closed = new AtomicBoolean();

    TrackedStream(String content) {
      super(content.getBytes(UTF_8));
    }

    int bytesRead() {
      return pos;
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }

  @Test
  void byteBody_isReplayable_andReadsTheSameEachTime() throws IOException {
    Body body = Body.of("héllo");

    assertThat(body.replayable()).isTrue();
    assertThat(body.text()).isEqualTo("héllo");
    assertThat(body.text()).isEqualTo("héllo");
    try (InputStream a = body.stream();
        InputStream b = body.stream()) {
      assertThat(a).isNotSameAs(b);
      assertThat(a.readAllBytes()).isEqualTo(b.readAllBytes()).isEqualTo("héllo".getBytes(UTF_8));
    }
    assertThat(body.length()).hasValue(6);
  }

  @Test
  void byteBody_copiesTheArrayInAndOut() {
    byte[] source = {1, 2, 3};
    Body body = Body.of(source);

    source[0] = 9;
    body.bytes()[1] = 9;

    assertThat(body.bytes()).containsExactly(1, 2, 3);
  }

  @Test
  void streamBody_canBeReadOnlyOnce() {
    Body body = Body.ofStream(new TrackedStream("data"), OptionalLong.empty());

    assertThat(body.replayable()).isFalse();
    assertThat(body.text()).isEqualTo("data");
    assertThatThrownBy(body::text)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("body already consumed")
        .hasMessageContaining("buffered(maxBytes)");
    assertThatThrownBy(body::stream).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void streamBody_racingReaders_exactlyOneGetsTheStream() throws Exception {
    Body body = Body.ofStream(new TrackedStream("x"), OptionalLong.empty());
    int readers = 8;
    CyclicBarrier start = new CyclicBarrier(readers);
    AtomicInteger winners = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < readers; i++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      start.await(10, TimeUnit.SECONDS);
                      body.stream();
                      winners.incrementAndGet();
                    } catch (IllegalStateException e) {
                      refused.incrementAndGet();
                    } catch (Exception e) {
                      throw new AssertionError("readers did not all reach the start barrier", e);
                    }
                  }));
    }
    for (Thread t : threads) {
      assertThat(t.join(Duration.ofSeconds(10))).as("reader thread finished").isTrue();
    }

    assertThat(winners).hasValue(1);
    assertThat(refused).hasValue(readers - 1);
  }

  @Test
  void streamBody_stream_returnsTheStreamItselfOnce() {
    TrackedStream in = new TrackedStream("x");
    Body body = Body.ofStream(in, OptionalLong.of(1));

    assertThat(body.stream()).isSameAs(in);
    assertThatThrownBy(body::bytes).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void streamBody_bytes_closesTheStream() {
    TrackedStream in = new TrackedStream("data");

    Body.ofStream(in, OptionalLong.empty()).bytes();

    assertThat(in.closed).isTrue();
  }

  @Test
  void streamBody_readFailure_isUncheckedIoException() {
    InputStream failing =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("connection reset");
          }
        };
    Body body = Body.ofStream(failing, OptionalLong.empty());

    assertThatThrownBy(body::bytes)
        .isInstanceOf(UncheckedIOException.class)
        .hasRootCauseMessage("connection reset");
  }

  @Test
  void length_isExactForBytes_declaredForStreams() {
    assertThat(Body.of(new byte[5]).length()).hasValue(5);
    assertThat(Body.ofStream(new TrackedStream("abc"), OptionalLong.of(3)).length()).hasValue(3);
    assertThat(Body.ofStream(new TrackedStream("abc"), OptionalLong.empty()).length()).isEmpty();
  }

  @Test
  void ofStream_withNegativeLength_isRefused() {
    assertThatThrownBy(() -> Body.ofStream(new TrackedStream(""), OptionalLong.of(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got -1");
  }

  @Test
  void isEmpty_onlyWhenKnownToHaveNoBytes() {
    assertThat(Body.empty().isEmpty()).isTrue();
    assertThat(Body.of("").isEmpty()).isTrue();
    assertThat(Body.ofStream(new TrackedStream(""), OptionalLong.of(0)).isEmpty()).isTrue();
    assertThat(Body.of("x").isEmpty()).isFalse();
    assertThat(Body.ofStream(new TrackedStream(""), OptionalLong.empty()).isEmpty())
        .as("a stream of unknown length might have bytes")
        .isFalse();
  }

  @Test
  void buffered_readsAStreamIntoAReplayableBody() {
    TrackedStream in = new TrackedStream("hello");
    Body buffered = Body.ofStream(in, OptionalLong.empty()).buffered(5);

    assertThat(buffered.replayable()).isTrue();
    assertThat(buffered.length()).hasValue(5);
    assertThat(buffered.text()).isEqualTo("hello");
    assertThat(buffered.text()).isEqualTo("hello");
    assertThat(in.closed).isTrue();
  }

  @Test
  void buffered_overTheLimit_isRefusedNamingBothSizes() {
    Body body = Body.ofStream(new TrackedStream("hello!"), OptionalLong.empty());

    assertThatThrownBy(() -> body.buffered(5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 6 bytes")
        .hasMessageContaining("limit of 5 bytes");
  }

  @Test
  void buffered_withADeclaredLengthOverTheLimit_failsBeforeReading() {
    TrackedStream in = new TrackedStream("hello!");
    Body body = Body.ofStream(in, OptionalLong.of(6));

    assertThatThrownBy(() -> body.buffered(5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Body of 6 bytes")
        .hasMessageContaining("limit of 5 bytes");
    assertThat(in.bytesRead()).isZero();
    assertThat(body.text()).as("the body is still unread").isEqualTo("hello!");
  }

  @Test
  void buffered_ofAReplayableBody_returnsItself_withinTheLimit() {
    Body body = Body.of("abc");

    assertThat(body.buffered(3)).isSameAs(body);
    assertThatThrownBy(() -> body.buffered(2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Body of 3 bytes")
        .hasMessageContaining("limit of 2 bytes");
  }

  @Test
  void buffered_withNegativeLimit_isRefused() {
    assertThatThrownBy(() -> Body.empty().buffered(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got -1");
  }

  @Test
  void buffered_ofAConsumedStream_isRefused() {
    Body body = Body.ofStream(new TrackedStream("x"), OptionalLong.empty());
    body.bytes();

    assertThatThrownBy(() -> body.buffered(10)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void toString_describesWithoutContent() {
    assertThat(Body.of("secret")).hasToString("Body[6 bytes]");
    assertThat(Body.ofStream(new TrackedStream("secret"), OptionalLong.empty()))
        .hasToString("Body[stream, unknown length]");
  }
}
