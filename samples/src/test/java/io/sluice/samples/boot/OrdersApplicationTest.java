package io.sluice.samples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The Boot sample starts, its runner sends the orders, and the listener handles every one. */
@SpringBootTest(properties = {"orders.count=5", "orders.wait=20s"})
class OrdersApplicationTest {
  @TempDir static Path dir;

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    registry.add("sluice.storage.file.directory", () -> dir.resolve("store").toString());
  }

  @Autowired OrderListener listener;

  @Test
  void theStartupRunnerSendsOrdersThatTheListenerHandles() {
    // The CommandLineRunner waits for the listener before the context is handed to the test.
    assertThat(listener.handled()).isEqualTo(5);
  }
}
