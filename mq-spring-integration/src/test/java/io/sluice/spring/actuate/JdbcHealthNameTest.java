package io.sluice.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.spring.autoconfigure.SluiceAutoConfiguration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * On the JDBC store the health details name the application's database by its URL and pool, not by
 * the pool's {@code toString()} before it started ({@code HikariDataSource (null)}).
 */
class JdbcHealthNameTest {

  @Test
  void healthNamesBootsHikariPoolByUrlAndPoolName() {
    String url =
        "jdbc:h2:mem:health_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(DataSourceAutoConfiguration.class, SluiceAutoConfiguration.class))
        .withPropertyValues(
            "sluice.storage.type=jdbc",
            "spring.datasource.url=" + url + ";DB_CLOSE_DELAY=-1",
            "spring.datasource.password=hunter2",
            "spring.datasource.hikari.pool-name=orders-db")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              Health health = context.getBean(SluiceHealthIndicator.class).health();
              assertThat(health.getStatus()).isEqualTo(Status.UP);
              assertThat(health.getDetails()).containsKey("backend");
              assertThat((String) health.getDetails().get("detail"))
                  .contains(url)
                  .endsWith("(pool orders-db)")
                  .doesNotContain("null")
                  .doesNotContain("hunter2");
            });
  }
}
