package io.sluice.dashboard;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

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
}
