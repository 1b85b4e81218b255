package dev.dobj.examples.ratelimiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The bucket's arithmetic, without a runtime. */
class BucketStateTest {
  private static final long T0 = 1_000_000L;
  private static final long U = BucketState.MICROS_PER_TOKEN;

  /** 10 tokens, 1 a second. */
  private final BucketConfig tenPerTen = new BucketConfig(10, 1_000);

  @Test
  void refilledTo_addsTheTokensEarned_andMovesTheRefillTime() {
    BucketState empty = new BucketState(0, T0);

    BucketState later = empty.refilledTo(T0 + 2_500, tenPerTen);

    assertThat(later).isEqualTo(new BucketState(2_500_000, T0 + 2_500));
    assertThat(later.tokens()).isEqualTo(2);
  }

  @Test
  void refilledTo_stopsAtTheCapacity_evenAfterYearsIdle() {
    BucketState empty = new BucketState(0, T0);

    assertThat(empty.refilledTo(T0 + 10_000, tenPerTen))
        .isEqualTo(new BucketState(10 * U, T0 + 10_000));
    assertThat(empty.refilledTo(Long.MAX_VALUE, tenPerTen).tokens()).isEqualTo(10);
    assertThat(empty.refilledTo(Long.MAX_VALUE, tenPerTen).isFull(tenPerTen)).isTrue();
  }

  @Test
  void aTimeBeforeTheLastRefill_addsNothing() {
    BucketState state = new BucketState(3 * U, T0);

    assertThat(state.refilledTo(T0 - 5_000, tenPerTen)).isEqualTo(state);
    assertThat(state.refilledTo(Long.MIN_VALUE, tenPerTen)).isEqualTo(state);
  }

  @Test
  void aLevelAboveALoweredCapacity_isTrimmed() {
    BucketState state = new BucketState(10 * U, T0);

    assertThat(state.refilledTo(T0, new BucketConfig(4, 1_000)))
        .isEqualTo(new BucketState(4 * U, T0));
  }

  @Test
  void aFractionalRate_keepsThePartOfATokenEarned() {
    BucketConfig oneEveryThreeSeconds = new BucketConfig(5, 333); // 0.333 a second
    BucketState state = new BucketState(0, T0);

    state = state.refilledTo(T0 + 2_000, oneEveryThreeSeconds);
    assertThat(state.tokens()).isZero();
    state = state.refilledTo(T0 + 3_004, oneEveryThreeSeconds);

    assertThat(state.tokens()).isEqualTo(1);
    assertThat(state.microTokens()).isEqualTo(3_004 * 333);
    assertThat(state.take(1).microTokens()).isEqualTo(3_004 * 333 - U);
  }

  @Test
  void availableAt_andNextTokenAt_roundUpToTheMillisecond() {
    BucketConfig oneEveryThreeSeconds = new BucketConfig(5, 333);
    BucketState state = new BucketState(0, T0);

    // 1,000,000 / 333 = 3003.003 ms: the token is whole only at 3,004 ms.
    assertThat(state.nextTokenAtMillis(oneEveryThreeSeconds)).isEqualTo(T0 + 3_004);
    assertThat(state.refilledTo(T0 + 3_004, oneEveryThreeSeconds).tokens()).isEqualTo(1);
    assertThat(state.refilledTo(T0 + 3_003, oneEveryThreeSeconds).tokens()).isZero();
    assertThat(state.availableAtMillis(0, oneEveryThreeSeconds)).isEqualTo(T0);
  }

  @Test
  void availableAt_countsFromThePartAlreadyEarned() {
    BucketState state = new BucketState(1_400_000, T0); // 1.4 tokens

    assertThat(state.availableAtMillis(1, tenPerTen)).isEqualTo(T0);
    assertThat(state.availableAtMillis(3, tenPerTen)).isEqualTo(T0 + 1_600);
    assertThat(state.nextTokenAtMillis(tenPerTen)).isEqualTo(T0 + 600);
  }

  @Test
  void take_removesWholeTokens_andKeepsTheFraction() {
    BucketState state = new BucketState(2_500_000, T0);

    assertThat(state.take(2)).isEqualTo(new BucketState(500_000, T0));
    assertThatThrownBy(() -> state.take(3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot take 3 tokens from a bucket that holds 2");
  }

  @Test
  void full_holdsTheCapacity() {
    BucketState full = BucketState.full(tenPerTen, T0);

    assertThat(full.tokens()).isEqualTo(10);
    assertThat(full.isFull(tenPerTen)).isTrue();
    assertThat(full.take(1).isFull(tenPerTen)).isFalse();
  }
}
