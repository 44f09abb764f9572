package io.sluice.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.Sluice;
import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.consumer.SluiceAdmin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The dashboard page served by Actuator, in Debian's headless Chromium (fixed paths: Selenium
 * Manager downloads nothing; missing binaries fail under {@code CI=true}, else skip): it finds its
 * API under {@code /actuator/sluicedashboard}, shows the lag, and its pause button pauses the group
 * through an Actuator write operation.
 */
@SpringBootTest(
    classes = SluiceDashboardWebTest.App.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.autoconfigure.exclude="
          + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
      "sluice.storage.file.durability=os",
      "sluice.dashboard.enabled=true",
      "sluice.dashboard.sample-interval=500ms",
      "management.endpoints.web.exposure.include=sluicedashboard"
    })
class SluiceDashboardBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final String CARD = "[data-group='billing'][data-topic='orders'] ";

  @TempDir static Path dir;

  @DynamicPropertySource
  static void directory(DynamicPropertyRegistry registry) {
    registry.add("sluice.storage.file.directory", () -> dir.resolve("store").toString());
  }

  @Value("${local.server.port}")
  int port;

  @Autowired Sluice sluice;
  @Autowired SluiceAdmin admin;
  ChromeDriverService service;
  ChromeDriver driver;

  @BeforeEach
  void browser() {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      String reason =
          "needs Debian's chromium and chromium-driver at " + CHROMIUM + ", " + CHROMEDRIVER;
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException(reason + " (CI=true: this is a failure)");
      }
      Assumptions.abort(reason);
    }
    service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,800");
    driver = new ChromeDriver(service, options);
  }

  @AfterEach
  void close() {
    try {
      if (driver != null) {
        driver.quit();
      }
    } finally {
      if (service != null) {
        service.stop();
      }
    }
  }

  String text(String css) {
    for (int i = 0; ; i++) {
      try {
        var found = driver.findElements(By.cssSelector(css));
        return found.isEmpty() ? null : found.get(0).getText().trim();
      } catch (StaleElementReferenceException e) {
        if (i > 10) {
          throw e;
        }
      }
    }
  }

  void awaitText(String css, String expected) {
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(text(css)).as(css).isEqualTo(expected));
  }

  @Test
  void thePageUnderActuatorShowsLagAndPausesTheGroup() {
    admin.createTopic("orders", TopicConfig.partitions(2));
    sluice.consumer("billing").subscribe("orders").handler(d -> {}).start();
    sluice.producer().send("orders", Message.of("warm-up"));
    await().atMost(Duration.ofSeconds(20)).until(() -> admin.lag("billing", "orders") == 0);

    driver.get("http://localhost:" + port + "/actuator/sluicedashboard");
    awaitText(CARD + "[data-testid='state']", "running");
    awaitText(CARD + "[data-testid='lag']", "0");
    for (int i = 0; ; i++) {
      try {
        driver.findElement(By.cssSelector(CARD + "[data-testid='pause']")).click();
        break;
      } catch (StaleElementReferenceException e) {
        if (i > 10) {
          throw e;
        }
      }
    }
    awaitText(CARD + "[data-testid='state']", "paused");
    assertThat(admin.isPaused("billing", "orders")).isTrue();
    sluice.producer().send("orders", Message.of("one"));
    sluice.producer().send("orders", Message.of("two"));
    awaitText(CARD + "[data-testid='lag']", "2");
  }
}
