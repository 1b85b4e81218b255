package dev.dobj.examples.ratelimiter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dobj.fetch.Request;
import dev.dobj.fetch.Response;
import dev.dobj.runtime.DurableObjectRuntime;
import dev.dobj.runtime.time.ManualClock;
import dev.dobj.spi.storage.Durability;
import dev.dobj.sqlite.SqliteStorageEngine;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rate limiter Worker in process: its routes, through a real runtime on a manual clock (the
 * Worker's clock too) whose objects keep their buckets in a real {@link SqliteStorageEngine} on a
 * temporary folder, without HTTP. Buckets hold 2 tokens and gain 1 a second.
 */
class RateLimiterWorkerTest {
  @TempDir Path data;

  private final ManualClock clock = new ManualClock();
  private final long t0 = clock.millis();
  private final RateLimiterWorker worker = new RateLimiterWorker(clock);
  private DurableObjectRuntime runtime;

  @BeforeEach
  void startRuntime() {
    runtime =
        DurableObjectRuntime.builder()
            .clock(clock)
            .var("capacity", "2")
            .var("refill_per_second", "1")
            .bind(RateLimiterWorker.BINDING, RateLimiterObject.class, "rate-limiter-example-v1")
            .storage(new SqliteStorageEngine(data, Durability.FSYNC))
            .build();
  }

  @AfterEach
  void closeRuntime() {
    runtime.close();
  }

  @Test
  void limit_allowsWhileTheBucketHoldsTokens_thenAnswers429WithRetryAfter() throws Exception {
    assertThat(text("/limit/a")).isEqualTo("{\"key\":\"a\",\"allowed\":true,\"remaining\":1}");
    assertThat(text("/limit/a")).isEqualTo("{\"key\":\"a\",\"allowed\":true,\"remaining\":0}");

    Response refused = fetch("GET", "/limit/a");

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.headers().get("retry-after")).contains("1");
    assertThat(refused.headers().get("content-type")).contains("application/json");
    assertThat(refused.text())
        .isEqualTo("{\"key\":\"a\",\"allowed\":false,\"remaining\":0,\"retryAfterMillis\":1000}");
  }

  @Test
  void retryAfter_isInWholeSeconds_roundedUp() throws Exception {
    text("/limit/a");
    text("/limit/a");
    advance(Duration.ofMillis(1_001)); // the first token is back; the second is due at 2 s
    text("/limit/a");

    Response refused = fetch("GET", "/limit/a");

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.headers().get("retry-after")).contains("1");
    assertThat(refused.text()).contains("\"retryAfterMillis\":999");
  }

  @Test
  void afterTheAlarmRefills_limitAllowsAgain() throws Exception {
    text("/limit/a");
    text("/limit/a");
    assertThat(fetch("GET", "/limit/a").status()).isEqualTo(429);

    advance(Duration.ofSeconds(1));
    Awaits.until(
        () -> status("a").contains("\"tokens\":1"), "the alarm to put a token into a's bucket");

    assertThat(text("/limit/a")).isEqualTo("{\"key\":\"a\",\"allowed\":true,\"remaining\":0}");
  }

  @Test
  void status_showsTheBucket_withoutTaking() throws Exception {
    assertThat(text("/status/a"))
        .isEqualTo("{\"key\":\"a\",\"tokens\":2,\"capacity\":2,\"nextRefillMillis\":null}");
    text("/limit/a");

    assertThat(text("/status/a"))
        .isEqualTo(
            "{\"key\":\"a\",\"tokens\":1,\"capacity\":2,\"nextRefillMillis\":"
                + (t0 + 1_000)
                + "}");
    assertThat(text("/status/a")).contains("\"tokens\":1");
  }

  @Test
  void keys_areDecoded_escapedInTheJson_andLimitedIndependently() throws Exception {
    text("/limit/a");
    text("/limit/a");

    assertThat(text("/limit/a%20b"))
        .isEqualTo("{\"key\":\"a b\",\"allowed\":true,\"remaining\":1}");
    assertThat(text("/limit/he%20said%20%22hi%22%5C"))
        .isEqualTo("{\"key\":\"he said \\\"hi\\\"\\\\\",\"allowed\":true,\"remaining\":1}");
    assertThat(fetch("GET", "/limit/a").status()).isEqualTo(429);
    assertThat(runtime.liveObjects(RateLimiterWorker.BINDING)).isEqualTo(3);
  }

  @Test
  void anEmptyKey_is400_namingTheKeyAndTheLimit() throws Exception {
    for (String path : new String[] {"/limit/", "/status/"}) {
      Response response = fetch("GET", path);

      assertThat(response.status()).as(path).isEqualTo(400);
      assertThat(response.headers().get("content-type")).contains("application/json");
      assertThat(response.text())
          .as(path)
          .isEqualTo("{\"error\":\"The key \\\"\\\" has 0 characters; a key has 1 to 256\"}");
    }
    assertThat(runtime.liveObjects(RateLimiterWorker.BINDING)).isZero();
  }

  @Test
  void aKeyLongerThan256Characters_is400_namingTheKeyAndTheLimit() throws Exception {
    String longest = "k".repeat(RateLimiterWorker.MAX_KEY_LENGTH);
    String tooLong = longest + "k";

    assertThat(text("/limit/" + longest)).contains("\"allowed\":true");
    Response response = fetch("GET", "/limit/" + tooLong);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.text())
        .isEqualTo(
            "{\"error\":\"The key \\\""
                + tooLong
                + "\\\" has 257 characters; a key has 1 to 256\"}");
    assertThat(fetch("GET", "/status/" + tooLong).status()).isEqualTo(400);
    // Characters, not UTF-16 units or bytes: 256 emoji are a valid key.
    assertThat(fetch("GET", "/status/" + "\uD83D\uDE00".repeat(256)).status()).isEqualTo(200);
  }

  @Test
  void unknownPaths_are404() throws Exception {
    String[] paths = {
      "/", "/nope", "/limit", "/status", "/limit/a/b", "/limit/a/", "/status/a/b", "/limits/a"
    };
    for (String path : paths) {
      Response response = fetch("GET", path);

      assertThat(response.status()).as(path).isEqualTo(404);
      assertThat(response.text()).as(path).isEqualTo("{\"error\":\"not found\"}");
    }
    assertThat(runtime.liveObjects(RateLimiterWorker.BINDING)).isZero();
  }

  @Test
  void otherMethods_are405_withAllow_andTakeNothing() throws Exception {
    for (String method : new String[] {"POST", "PUT", "DELETE"}) {
      for (String path : new String[] {"/limit/a", "/status/a"}) {
        Response response = fetch(method, path);

        assertThat(response.status()).as(method + " " + path).isEqualTo(405);
        assertThat(response.headers().get("allow")).contains("GET, HEAD");
        assertThat(response.text()).isEqualTo("{\"error\":\"method not allowed\"}");
      }
    }
    assertThat(status("a")).contains("\"tokens\":2");
  }

  @Test
  void head_isAnsweredLikeGet_andTakesAToken() throws Exception {
    assertThat(fetch("HEAD", "/limit/a").status()).isEqualTo(200);
    assertThat(fetch("HEAD", "/status/a").status()).isEqualTo(200);

    assertThat(status("a")).contains("\"tokens\":1");
  }

  // ---- fixtures -----------------------------------------------------------------------------

  private Response fetch(String method, String path) throws Exception {
    return worker.fetch(
        Request.builder(method, "http://rate-limiter.test" + path).build(), runtime.env());
  }

  /** The body of a GET of {@code path}, which must answer 200. */
  private String text(String path) throws Exception {
    Response response = fetch("GET", path);
    String body = response.text();
    assertThat(response.status()).as("GET %s: %s", path, body).isEqualTo(200);
    return body;
  }

  private String status(String key) {
    try {
      return text("/status/" + key);
    } catch (Exception e) {
      throw new AssertionError("GET /status/" + key + " failed", e);
    }
  }

  /** Moves the clock once the rate limiters are settled (see {@link Awaits#advance}). */
  private void advance(Duration by) {
    Awaits.advance(clock, runtime, by);
  }
}
