package dev.dobj.examples.ratelimiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dobj.DurableObjectNamespace;
import dev.dobj.Env;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading the bucket's size and rate from {@code [vars]}. */
class BucketConfigTest {
  @Test
  void withoutVars_tenTokens_oneASecond() {
    assertThat(BucketConfig.from(env(Map.of()))).isEqualTo(new BucketConfig(10, 1_000));
  }

  @ParameterizedTest(name = "capacity {0}, {1} a second")
  @CsvSource({
    "1, 1, 1, 1000",
    "100, 0.5, 100, 500",
    "3, 0.001, 3, 1",
    "1000000, 1000000, 1000000, 1000000000",
    "7, 2.500, 7, 2500",
    "7, 1e2, 7, 100000"
  })
  void readsCapacity_andRefillPerSecond(
      String capacity, String perSecond, long expectedCapacity, long expectedMicrosPerMilli) {
    BucketConfig config =
        BucketConfig.from(env(Map.of("capacity", capacity, "refill_per_second", perSecond)));

    assertThat(config).isEqualTo(new BucketConfig(expectedCapacity, expectedMicrosPerMilli));
  }

  @ParameterizedTest(name = "capacity = \"{0}\"")
  @ValueSource(strings = {"", "0", "-1", "ten", "1.5", "1000001", " 10", "99999999999999999999"})
  void aBadCapacity_isRefused_namingTheVariableItsValueAndTheRange(String capacity) {
    assertThatThrownBy(() -> BucketConfig.from(env(Map.of("capacity", capacity))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "[vars] capacity must be a whole number from 1 to 1000000, got \"" + capacity + "\"");
  }

  @ParameterizedTest(name = "refill_per_second = \"{0}\"")
  @ValueSource(strings = {"", "0", "-1", "0.0001", "1000000.5", "1000001", "fast", "NaN", "1/s"})
  void aBadRate_isRefused_namingTheVariableItsValueAndTheRange(String rate) {
    assertThatThrownBy(() -> BucketConfig.from(env(Map.of("refill_per_second", rate))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "[vars] refill_per_second must be a number of tokens per second from 0.001 to 1000000"
                + " with at most 3 decimals, got \""
                + rate
                + "\"");
  }

  /** An environment with {@code vars} and no namespaces. */
  private static Env env(Map<String, String> vars) {
    return new Env() {
      @Override
      public <T> DurableObjectNamespace<T> namespace(String binding, Class<T> rpcInterface) {
        throw new IllegalArgumentException("No namespace in this test: " + binding);
      }

      @Override
      public Optional<String> var(String name) {
        return Optional.ofNullable(vars.get(name));
      }

      @Override
      public Map<String, String> vars() {
        return vars;
      }
    };
  }
}
