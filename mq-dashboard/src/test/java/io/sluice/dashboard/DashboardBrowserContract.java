package io.sluice.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The dashboard in a real headless Chromium against a live store: what a person sees when messages
 * arrive, a group is paused and resumed, a message is dead-lettered, redriven and purged. Each
 * subclass supplies a store; a screenshot of each run is saved under {@code target/screenshots}.
 */
abstract class DashboardBrowserContract {
  static final Duration PATIENCE = Duration.ofSeconds(20);
  static final String CARD = "[data-group='billing'][data-topic='orders'] ";
  static final String DLQ = "[data-dlq='orders.dlq'] ";

  LiveStore store;
  DashboardServer server;
  Browser browser;

  /** A fresh store with topics {@code orders} and {@code orders.dlq}. */
  abstract LiveStore openStore() throws IOException;

  /** A short name for the screenshot file. */
  abstract String name();

  @BeforeEach
  void start() throws IOException {
    store = openStore().startConsumer();
    server =
        DashboardServer.start(
            store.sluice.admin(),
            new InetSocketAddress("127.0.0.1", 0),
            Duration.ofMillis(500),
            false);
    browser = Browser.start();
  }

  @AfterEach
  void stop() {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      try {
        if (server != null) {
          server.close();
        }
      } finally {
        if (store != null) {
          store.close();
        }
      }
    }
  }

  @Test
  void aPersonSeesLagPauseDeadLettersRedriveAndPurge() throws IOException {
    store.send("warm-up", "c-0");
    browser.open(server.uri().toString());
    awaitText(By.cssSelector("#topics tr[data-topic='orders'] strong"), "orders");
    awaitText(By.cssSelector(CARD + "[data-testid='lag']"), "0");
    awaitText(By.cssSelector(CARD + "[data-testid='state']"), "running");

    browser.click(By.cssSelector(CARD + "[data-testid='pause']"));
    awaitText(By.cssSelector(CARD + "[data-testid='state']"), "paused");
    assertThat(store.sluice.admin().isPaused("billing", "orders")).isTrue();

    for (int i = 1; i <= 5; i++) {
      store.send("order " + i, "c-" + i);
    }
    store.send("poison order", "c-9");
    awaitText(By.cssSelector(CARD + "[data-testid='lag']"), "6");
    awaitText(By.cssSelector("#topics tr[data-topic='orders'] .end-offsets"), "7");

    browser.click(By.cssSelector(CARD + "[data-testid='resume']"));
    awaitText(By.cssSelector(CARD + "[data-testid='state']"), "running");
    awaitText(By.cssSelector(CARD + "[data-testid='lag']"), "0");

    awaitText(By.cssSelector(DLQ + "[data-testid='pending']"), "1 pending");
    String row = browser.text(By.cssSelector(DLQ + "[data-testid='dead-letter']"));
    assertThat(row)
        .contains("orders p")
        .contains("billing")
        .contains("java.lang.IllegalStateException: card declined for c-9");
    assertThat(browser.text(By.cssSelector(DLQ + "[data-testid='dead-letter'] .attempts")))
        .isEqualTo("1");
    await()
        .atMost(PATIENCE)
        .until(() -> "0".equals(browser.script("return getComputedStyle(toast).opacity"))); // clean
    saveScreenshot();

    store.failPoison.set(false); // the bug is fixed: a redriven message now succeeds
    int handledBefore = store.handled.get();
    browser.click(By.cssSelector(DLQ + "[data-testid='redrive-all']"));
    awaitText(By.cssSelector(DLQ + "[data-testid='pending']"), "0 pending");
    await().atMost(PATIENCE).until(() -> store.handled.get() > handledBefore);
    assertThat(browser.present(By.cssSelector(DLQ + "[data-testid='no-dead-letters']"))).isTrue();

    store.failPoison.set(true);
    store.send("poison again", "c-10");
    awaitText(By.cssSelector(DLQ + "[data-testid='pending']"), "1 pending");
    browser.click(By.cssSelector(DLQ + "[data-testid='purge-all']"));
    awaitText(By.cssSelector(DLQ + "[data-testid='purge-all']"), "Confirm purge all");
    browser.click(By.cssSelector(DLQ + "[data-testid='purge-all']"));
    awaitText(By.cssSelector(DLQ + "[data-testid='pending']"), "0 pending");
    assertThat(store.sluice.admin().countDeadLetters("orders.dlq")).isZero();
  }

  void awaitText(By by, String expected) {
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertThat(browser.text(by)).as(by.toString()).isEqualTo(expected));
  }

  /**
   * Saves the window as {@code target/screenshots/dashboard-<name>.png}; with {@code
   * -Dsluice.dashboard.docsImage=true} also as the README's {@code docs/images/dashboard.png}.
   */
  void saveScreenshot() throws IOException {
    byte[] png = browser.screenshot();
    Path dir = Path.of("target", "screenshots");
    Files.createDirectories(dir);
    Files.write(dir.resolve("dashboard-" + name() + ".png"), png);
    if (Boolean.getBoolean("sluice.dashboard.docsImage")) {
      Path docs = Path.of("..", "docs", "images");
      assertThat(docs.getParent().resolve("dashboard.md")).as("run from mq-dashboard").exists();
      Files.createDirectories(docs);
      Files.write(docs.resolve("dashboard.png"), png);
    }
  }
}
