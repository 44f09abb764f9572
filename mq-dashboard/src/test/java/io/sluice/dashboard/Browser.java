package io.sluice.dashboard;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium through its ChromeDriver, both at fixed paths so that Selenium Manager
 * never looks for (or downloads) a browser or driver. Missing binaries skip the test, except under
 * {@code CI=true}, where they fail it ({@code .ci/run} installs them).
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final int WIDTH = 1200;
  static final int HEIGHT = 800;

  final WebDriver driver;
  private final ChromeDriverService service;

  private Browser(WebDriver driver, ChromeDriverService service) {
    this.driver = driver;
    this.service = service;
  }

  static Browser start() {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      String reason =
          "the browser test needs Debian's chromium and chromium-driver ("
              + CHROMIUM
              + ", "
              + CHROMEDRIVER
              + "): apt-get install chromium chromium-driver";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException(reason + " (CI=true: this is a failure)");
      }
      Assumptions.abort(reason);
    }
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withLogFile(new File("target/chromedriver.log"))
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--force-device-scale-factor=1",
        "--hide-scrollbars",
        "--window-size=" + WIDTH + "," + HEIGHT,
        "--lang=en-US");
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    // --window-size sizes the window, not the page: grow it until the page is WIDTH x HEIGHT.
    driver.get("about:blank");
    Object inner = driver.executeScript("return [window.innerWidth, window.innerHeight];");
    var size = (java.util.List<?>) inner;
    int dw = WIDTH - ((Number) size.get(0)).intValue();
    int dh = HEIGHT - ((Number) size.get(1)).intValue();
    driver.manage().window().setSize(new Dimension(WIDTH + dw, HEIGHT + dh));
    return new Browser(driver, service);
  }

  void open(String url) {
    driver.get(url);
  }

  /** The trimmed text of the first element {@code by} finds, or null if there is none. */
  String text(By by) {
    return retry(
        () -> {
          var found = driver.findElements(by);
          return found.isEmpty() ? null : found.get(0).getText().trim();
        });
  }

  boolean present(By by) {
    return retry(() -> !driver.findElements(by).isEmpty());
  }

  /**
   * Clicks the element; the page re-renders every few seconds, so a stale element is found anew.
   */
  void click(By by) {
    retry(
        () -> {
          WebElement e = driver.findElement(by);
          e.click();
          return null;
        });
  }

  private static <T> T retry(Supplier<T> action) {
    StaleElementReferenceException last = null;
    for (int i = 0; i < 10; i++) {
      try {
        return action.get();
      } catch (StaleElementReferenceException e) {
        last = e;
      }
    }
    throw last;
  }

  /** The string value of a script run in the page. */
  String script(String js) {
    return String.valueOf(((ChromeDriver) driver).executeScript(js));
  }

  /** A PNG of the window. */
  byte[] screenshot() {
    return ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES);
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
    }
  }
}
