package dev.dobj.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DevServer#reload} over real HTTP, on an app compiled at test time ({@link ReloadApps}):
 * the new version serves, the objects keep their storage, a version that cannot load is refused,
 * requests in flight finish on the old version and the next ones reach the new one.
 */
class DevServerReloadTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path temp;

  private Path app;
  private DevServer server;
  private HttpClient client;

  @BeforeEach
  void serveVersionOne() throws Exception {
    ReloadApps.reset();
    app = temp.resolve("app");
    ReloadApps.write(app, "v1", "");
    server = DevServer.start(DobjToml.read(app), AppClasses.of(app, loader()), null, true);
    client = HttpClient.newHttpClient();
  }

  @AfterEach
  void stop() {
    ReloadApps.release.countDown();
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void reload_servesTheNewVersion_andTheObjectsKeepTheirStorage() throws Exception {
    assertThat(get("/count/a")).isEqualTo("v1 1");
    assertThat(get("/count/a")).isEqualTo("v1 2");

    ReloadApps.write(app, "v2", "");
    assertThat(server.reload(DobjToml.read(app), AppClasses.of(app, loader()))).isTrue();

    assertThat(get("/version")).isEqualTo("v2");
    assertThat(get("/count/a")).isEqualTo("v2 3");
    assertThat(get("/count/b")).isEqualTo("v2 1");
  }

  @Test
  void aVersionThatCannotLoad_isRefused_andThePreviousOneKeepsServing() throws Exception {
    assertThat(get("/count/a")).isEqualTo("v1 1");
    String toml = Files.readString(app.resolve(DobjToml.FILE_NAME));

    Files.writeString(
        app.resolve(DobjToml.FILE_NAME), toml.replace("TallyObject", "MissingObject"));
    AppConfig missing = DobjToml.read(app);
    assertThatThrownBy(() -> server.reload(missing, AppClasses.of(app, loader())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("MissingObject");
    assertThat(get("/count/a")).isEqualTo("v1 2");

    Files.writeString(
        app.resolve(DobjToml.FILE_NAME), toml.replace("reloadapp.App", "reloadapp.Tally"));
    AppConfig notAWorker = DobjToml.read(app);
    assertThatThrownBy(() -> server.reload(notAWorker, AppClasses.of(app, loader())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("is not a Worker");
    assertThat(get("/count/a")).isEqualTo("v1 3");

    Files.writeString(app.resolve(DobjToml.FILE_NAME), toml);
    ReloadApps.write(app, "v2", "");
    assertThat(server.reload(DobjToml.read(app), AppClasses.of(app, loader()))).isTrue();
    assertThat(get("/count/a")).isEqualTo("v2 4");
  }

  @Test
  void aVersionTheRuntimeRefuses_afterTheOldOneClosed_bringsTheOldOneBack() throws Exception {
    assertThat(get("/count/a")).isEqualTo("v1 1");

    // Its classes load, but the runtime refuses the object class when it opens.
    ReloadApps.write(app, "v2", "", "DurableObjectState ctx", "ctx, null");
    AppConfig config = DobjToml.read(app);
    assertThatThrownBy(() -> server.reload(config, AppClasses.of(app, loader())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("needs a constructor");

    assertThat(get("/version")).isEqualTo("v1");
    assertThat(get("/count/a")).as("opened again on the same storage").isEqualTo("v1 2");
    ReloadApps.write(app, "v3", "");
    assertThat(server.reload(DobjToml.read(app), AppClasses.of(app, loader()))).isTrue();
    assertThat(get("/count/a")).isEqualTo("v3 3");
  }

  @Test
  void theSettingsOfDobjToml_stayAsTheServerStarted() throws Exception {
    AppConfig.Settings started = server.config().settings();
    ReloadApps.write(app, "v2", "durability = \"os\"\nhistory_days = 0\n");
    AppConfig changed = DobjToml.read(app);
    assertThat(changed.settings()).isNotEqualTo(started);

    assertThat(server.reload(changed, AppClasses.of(app, loader()))).isTrue();

    assertThat(get("/version")).isEqualTo("v2");
    assertThat(server.config().settings()).isEqualTo(started);
    assertThat(server.config().name()).isEqualTo("reloadapp");
  }

  @Test
  void aRequestInFlight_finishesOnTheOldVersion_andTheReloadWaitsForIt() throws Exception {
    CompletableFuture<HttpResponse<String>> blocked =
        client.sendAsync(request("/block"), BodyHandlers.ofString());
    assertThat(ReloadApps.entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

    ReloadApps.write(app, "v2", "");
    AppConfig config = DobjToml.read(app);
    AppClasses classes = AppClasses.of(app, loader());
    CompletableFuture<Boolean> reloaded = new CompletableFuture<>();
    Thread reloader =
        Thread.ofPlatform()
            .name("reloader")
            .start(
                () -> {
                  try {
                    reloaded.complete(server.reload(config, classes));
                  } catch (Throwable t) {
                    reloaded.completeExceptionally(t);
                  }
                });
    awaitWaiting(reloader);
    assertThat(reloaded).as("the reload waits for the request in flight").isNotDone();
    CompletableFuture<HttpResponse<String>> next =
        client.sendAsync(request("/version"), BodyHandlers.ofString());

    ReloadApps.release.countDown();
    HttpResponse<String> old = blocked.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(old.statusCode()).isEqualTo(200);
    assertThat(old.body()).as("its object still open").isEqualTo("v1 blocked 1");
    assertThat(reloaded.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(next.get(WAIT.toSeconds(), TimeUnit.SECONDS).body()).isEqualTo("v2");
  }

  @Test
  void aClosedServer_reloadsNothing() throws Exception {
    server.close();
    ReloadApps.write(app, "v2", "");
    assertThat(server.reload(DobjToml.read(app), AppClasses.of(app, loader()))).isFalse();
    server = null;
  }

  @Test
  void aServerStartedWithoutReloading_refusesToReload() throws Exception {
    server.close();
    Path other = temp.resolve("other");
    ReloadApps.write(other, "v1", "");
    server = DevServer.start(DobjToml.read(other), AppClasses.of(other, loader()), null, false);
    AppConfig config = DobjToml.read(other);
    assertThatThrownBy(() -> server.reload(config, AppClasses.of(other, loader())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not started to reload");
  }

  /** Waits until {@code thread} parks (the reload waits for the requests in flight). */
  private static void awaitWaiting(Thread thread) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (thread.getState() != Thread.State.TIMED_WAITING
        && thread.getState() != Thread.State.WAITING) {
      assertThat(System.nanoTime()).as("%s parks", thread.getName()).isLessThan(deadline);
      assertThat(thread.isAlive()).as("%s is alive", thread.getName()).isTrue();
      Thread.onSpinWait();
    }
  }

  private static ClassLoader loader() {
    return DevServerReloadTest.class.getClassLoader();
  }

  private HttpRequest request(String path) {
    URI url = server.url().resolve(path);
    return HttpRequest.newBuilder(url).timeout(WAIT).build();
  }

  private String get(String path) throws Exception {
    HttpResponse<String> response = client.send(request(path), BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
    return response.body();
  }
}
