package dev.dobj.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dobj.http.HttpFront;
import dev.dobj.runtime.DurableObjectRuntime;
import dev.dobj.spi.storage.Durability;
import dev.dobj.sqlite.SqliteStorageEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The chat example end to end: a real server on a real port with SQLite storage, and two headless
 * Chromium pages (Debian's chromium, driven through chromedriver) that chat both ways; then the
 * server restarts on the same data directory, a third page sees the history, and the first page
 * opens its socket again by itself.
 *
 * <p>Needs /usr/bin/chromium and /usr/bin/chromedriver; the build installs them ({@code
 * .ci/ensure-browser}) before the integration tests.
 */
class ChatBrowserIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dataDir;
  @TempDir Path browserProfiles;
  private DurableObjectRuntime runtime;
  private HttpFront front;
  private int port; // 0: any free port
  private final List<WebDriver> browsers = new java.util.ArrayList<>();

  @BeforeEach
  void startServer() {
    start();
  }

  private void start() {
    runtime =
        DurableObjectRuntime.builder()
            .storage(new SqliteStorageEngine(dataDir, Durability.FSYNC))
            .bind("ROOMS", ChatRoomObject.class, "chat-example-v1")
            .build();
    // A restart listens on the port of the first start, where the pages reconnect.
    front = HttpFront.builder(new ChatWorker(), runtime.env()).port(port).start();
    port = front.url().getPort();
  }

  private void stop() {
    front.close();
    runtime.close();
  }

  @AfterEach
  void stopEverything() {
    browsers.forEach(WebDriver::quit);
    stop();
  }

  private WebDriver browser(String name) throws Exception {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(executable("chromium"));
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--user-data-dir=" + Files.createDirectories(browserProfiles.resolve(name)));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new java.io.File(executable("chromedriver")))
            .usingAnyFreePort()
            .build();
    WebDriver driver = new ChromeDriver(service, options);
    browsers.add(driver);
    return driver;
  }

  private static String executable(String name) {
    for (String dir : List.of("/usr/bin", "/usr/local/bin", "/usr/lib/chromium")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    throw new IllegalStateException(
        name
            + " is not installed: run .ci/ensure-browser (installs Debian's chromium and"
            + " chromium-driver)");
  }

  private void open(WebDriver page, String user) {
    page.get(front.url().resolve("/?room=lobby&user=" + user).toString());
    new WebDriverWait(page, WAIT)
        .until(d -> d.findElement(By.id("status")).getText().equals("connected"));
  }

  private static void say(WebDriver page, String text) {
    WebElement input = page.findElement(By.id("text"));
    input.sendKeys(text);
    page.findElement(By.id("send")).click();
  }

  private static void awaitLine(WebDriver page, String line) {
    new WebDriverWait(page, WAIT)
        .withMessage(() -> "waiting for \"" + line + "\" in " + lines(page))
        .until(d -> lines(d).contains(line));
  }

  private static List<String> lines(WebDriver page) {
    return page.findElements(By.cssSelector("#messages li")).stream()
        .map(WebElement::getText)
        .toList();
  }

  @Test
  void twoPagesChatBothWays_andTheHistorySurvivesARestart() throws Exception {
    WebDriver alice = browser("alice");
    WebDriver bob = browser("bob");
    open(alice, "alice");
    open(bob, "bob");
    awaitLine(alice, "bob joined");

    say(alice, "hello bob");
    awaitLine(bob, "alice: hello bob");
    say(bob, "hi alice");
    awaitLine(alice, "bob: hi alice");
    awaitLine(alice, "alice: hello bob");

    // A restart closes the pages' sockets; the messages were durable before anyone saw them.
    stop();
    new WebDriverWait(alice, WAIT)
        .until(d -> d.findElement(By.id("status")).getText().startsWith("closed"));
    start();

    WebDriver carol = browser("carol");
    open(carol, "carol");
    awaitLine(carol, "bob: hi alice");
    List<String> history = lines(carol);
    assertThat(history.indexOf("alice: hello bob")).isBetween(0, history.indexOf("bob: hi alice"));

    // The page opens its socket again by itself, and gets the history again with it.
    new WebDriverWait(alice, WAIT)
        .until(d -> d.findElement(By.id("status")).getText().equals("connected"));
    awaitLine(alice, "bob: hi alice");
    say(carol, "welcome back");
    awaitLine(alice, "carol: welcome back");
  }
}
