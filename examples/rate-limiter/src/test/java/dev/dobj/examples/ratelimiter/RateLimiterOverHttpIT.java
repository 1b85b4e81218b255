package dev.dobj.examples.ratelimiter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dobj.http.HttpFront;
import dev.dobj.runtime.DurableObjectRuntime;
import dev.dobj.runtime.time.ManualClock;
import dev.dobj.spi.storage.Durability;
import dev.dobj.sqlite.SqliteStorageEngine;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rate limiter app served by a real HttpFront on a free port of 127.0.0.1, on a manual clock
 * shared by the runtime and the Worker, its buckets in a real {@link SqliteStorageEngine} on a
 * temporary folder. Buckets hold 3 tokens and gain 1 a second, as configured in {@code [vars]}.
 */
class RateLimiterOverHttpIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path data;

  private final ManualClock clock = new ManualClock();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(WAIT).build();
  private DurableObjectRuntime runtime;
  private HttpFront front;

  @BeforeEach
  void start() {
    runtime =
        DurableObjectRuntime.builder()
            .clock(clock)
            .var("capacity", "3")
            .var("refill_per_second", "1")
            .bind(RateLimiterWorker.BINDING, RateLimiterObject.class, "rate-limiter-example-v1")
            .storage(new SqliteStorageEngine(data, Durability.FSYNC))
            .build();
    front = HttpFront.builder(new RateLimiterWorker(clock), runtime.env()).start();
  }

  @AfterEach
  void stop() {
    // HTTP first, so no request reaches a closed runtime; the runtime closes the storage engine.
    front.close();
    runtime.close();
  }

  @AfterEach
  void closeClient() {
    client.close();
  }

  @Test
  void aKeyIsLimited_refusedWith429AndRetryAfter_andAllowedAgainOnceTheAlarmRefills()
      throws Exception {
    for (int remaining = 2; remaining >= 0; remaining--) {
      assertThat(body("/limit/a"))
          .isEqualTo("{\"key\":\"a\",\"allowed\":true,\"remaining\":" + remaining + "}");
    }

    HttpResponse<String> refused = send("GET", "/limit/a");

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("retry-after")).contains("1");
    assertThat(refused.headers().firstValue("content-type")).contains("application/json");
    assertThat(refused.body())
        .isEqualTo("{\"key\":\"a\",\"allowed\":false,\"remaining\":0,\"retryAfterMillis\":1000}");
    assertThat(body("/limit/b")).isEqualTo("{\"key\":\"b\",\"allowed\":true,\"remaining\":2}");

    advance(Duration.ofSeconds(1));
    Awaits.until(
        () -> status("a").contains("\"tokens\":1"), "the alarm to put a token into a's bucket");

    assertThat(body("/limit/a")).isEqualTo("{\"key\":\"a\",\"allowed\":true,\"remaining\":0}");
  }

  @Test
  void theBuckets_surviveARestartOfServerAndRuntime() throws Exception {
    body("/limit/a");
    body("/limit/a");
    long due = clock.millis() + 1_000;
    stop();

    start();

    assertThat(body("/status/a"))
        .isEqualTo("{\"key\":\"a\",\"tokens\":1,\"capacity\":3,\"nextRefillMillis\":" + due + "}");
    assertThat(body("/limit/a")).isEqualTo("{\"key\":\"a\",\"allowed\":true,\"remaining\":0}");
    assertThat(send("GET", "/limit/a").statusCode()).isEqualTo(429);
  }

  @Test
  void badKeys_are400_unknownPaths404_otherMethods405() throws Exception {
    HttpResponse<String> empty = send("GET", "/limit/");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(empty.body())
        .isEqualTo("{\"error\":\"The key \\\"\\\" has 0 characters; a key has 1 to 256\"}");
    HttpResponse<String> tooLong = send("GET", "/status/" + "x".repeat(300));
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(tooLong.body()).contains("has 300 characters; a key has 1 to 256");

    for (String path : new String[] {"/", "/limit", "/limit/a/b", "/status/a/"}) {
      HttpResponse<String> response = send("GET", path);

      assertThat(response.statusCode()).as(path).isEqualTo(404);
      assertThat(response.body()).as(path).isEqualTo("{\"error\":\"not found\"}");
    }
    HttpResponse<String> post = send("POST", "/limit/a");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("allow")).contains("GET, HEAD");

    assertThat(body("/status/a"))
        .isEqualTo("{\"key\":\"a\",\"tokens\":3,\"capacity\":3,\"nextRefillMillis\":null}");
  }

  // ---- fixtures -----------------------------------------------------------------------------

  private String body(String path) throws Exception {
    HttpResponse<String> response = send("GET", path);
    assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
    return response.body();
  }

  private String status(String key) {
    try {
      return body("/status/" + key);
    } catch (Exception e) {
      throw new AssertionError("GET /status/" + key + " failed", e);
    }
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(front.url().resolve(path))
            .method(method, BodyPublishers.noBody())
            .timeout(WAIT)
            .build(),
        BodyHandlers.ofString());
  }

  /** Moves the clock once the rate limiters are settled (see {@link Awaits#advance}). */
  private void advance(Duration by) {
    Awaits.advance(clock, runtime, by);
  }
}
