package dev.dobj.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** KV list options as byte bounds. */
class KeyRangeTest {
  private static final Optional<String> NONE = Optional.empty();

  @Test
  void aPrefix_isTheRangeFromItToItsSuccessor() {
    KeyRange r = KeyRange.of(NONE, NONE, NONE, Optional.of("ab"));
    assertThat(r.from()).containsExactly('a', 'b');
    assertThat(r.fromInclusive()).isTrue();
    assertThat(r.to()).containsExactly('a', 'c');
    KeyRange max = KeyRange.of(NONE, NONE, NONE, Optional.of("\uFFFF"));
    assertThat(max.to()).containsExactly(0xEF, 0xBF, 0xC0);
  }

  @Test
  void theTighterBoundWins() {
    KeyRange r =
        KeyRange.of(Optional.of("b"), Optional.of("c"), Optional.of("x"), Optional.of("d"));
    assertThat(r.from()).containsExactly('d');
    assertThat(r.fromInclusive()).isTrue();
    assertThat(r.to()).containsExactly('e');
    KeyRange after = KeyRange.of(Optional.of("b"), Optional.of("b"), NONE, NONE);
    assertThat(after.fromInclusive()).as("startAfter b excludes b").isFalse();
    KeyRange prefixEqualsStartAfter = KeyRange.of(NONE, Optional.of("p"), NONE, Optional.of("p"));
    assertThat(prefixEqualsStartAfter.fromInclusive()).isFalse();
  }

  @Test
  void aKeyWithAnUnpairedSurrogate_isRefused_insteadOfBecomingAQuestionMark() {
    assertThatThrownBy(() -> KeyRange.utf8("a\uD83Db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unpaired surrogate");
    assertThatThrownBy(() -> KeyRange.utf8("\uDE00")).isInstanceOf(IllegalArgumentException.class);
    assertThat(KeyRange.utf8("\uD83D\uDE00")).hasSize(4);
  }
}
