package io.sluice.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/** The browser test on the file store; its screenshot is the README's. */
class FileDashboardBrowserTest extends DashboardBrowserContract {
  @TempDir Path dir;

  @Override
  LiveStore openStore() {
    return LiveStore.file(dir);
  }

  @Override
  String name() {
    return "file";
  }

  @Test
  void aReadOnlyDashboardShowsItsButtonsDisabledAndRefusesWrites() {
    store.send("warm-up", "c-0");
    await().atMost(PATIENCE).until(() -> store.sluice.admin().lag("billing", "orders") == 0);
    try (DashboardServer readOnly =
        DashboardServer.start(store.sluice.admin(), new InetSocketAddress("127.0.0.1", 0), true)) {
      browser.open(readOnly.uri().toString());
      awaitText(By.cssSelector("[data-testid='read-only']"), "read-only");
      await()
          .atMost(PATIENCE)
          .untilAsserted(
              () ->
                  assertThat(
                          browser.script(
                              "return document.querySelector(\""
                                  + CARD.trim()
                                  + " [data-testid='pause']\").disabled"))
                      .isEqualTo("true"));
      assertThat(
              browser.script(
                  "return fetch('api/groups/billing/pause', {method: 'POST', headers:"
                      + " {'Content-Type': 'application/json'}, body: '{}'}).then(r => r.status)"))
          .isEqualTo("403");
      assertThat(store.sluice.admin().isPaused("billing", null)).isFalse();
    }
  }
}
