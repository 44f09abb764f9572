package io.sluice.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sluice.api.error.BackendUnavailableException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * The name a store on the application's {@code DataSource} gives its database in health details,
 * logs and errors: the URL without password and the pool's name, never {@code HikariDataSource
 * (null)} (what an unstarted HikariCP pool's {@code toString()} says, and what a Spring Boot
 * application's health showed before).
 */
class DataSourceNamesTest {

  private static String h2Url() {
    return "jdbc:h2:mem:names_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  }

  @Test
  void anUnstartedHikariPoolIsNamedByItsUrlAndPoolName() {
    String url = h2Url();
    try (HikariDataSource pool = new HikariDataSource()) {
      pool.setJdbcUrl(url + ";DB_CLOSE_DELAY=-1");
      assertThat(pool.toString()).isEqualTo("HikariDataSource (null)"); // what it used to show
      try (JdbcStorage store = JdbcStorage.create(pool, JdbcStorageConfig.defaults())) {
        String detail = store.health().detail();
        assertThat(detail).contains(url).contains("(pool HikariPool-").doesNotContain("null");
        assertThat(store.toString()).contains(url).doesNotContain("HikariDataSource");
      }
    }
  }

  @Test
  void aNamedPoolKeepsItsName() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(h2Url() + ";DB_CLOSE_DELAY=-1");
    config.setPoolName("orders-db");
    try (HikariDataSource pool = new HikariDataSource(config);
        JdbcStorage store = JdbcStorage.create(pool, JdbcStorageConfig.defaults())) {
      assertThat(store.health().detail()).endsWith("(pool orders-db)");
    }
  }

  @Test
  void anyOtherDataSourceIsNamedByTheUrlItsDriverReportsWithoutPassword() {
    String url = h2Url();
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL(url + ";DB_CLOSE_DELAY=-1");
    h2.setUser("sa");
    h2.setPassword("hunter2");
    try (JdbcStorage store = JdbcStorage.create(h2, JdbcStorageConfig.defaults())) {
      assertThat(store.health().detail())
          .contains(url)
          .doesNotContain("hunter2")
          .doesNotContain("JdbcDataSource");
    }
  }

  @Test
  void anUnreachablePoolIsNamedByItsUrlWithoutPassword() {
    try (HikariDataSource pool = new HikariDataSource()) {
      pool.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/app?password=hunter2&connectTimeout=2");
      pool.setInitializationFailTimeout(-1);
      pool.setConnectionTimeout(1_000);
      pool.setPoolName("app-pool");
      assertThatThrownBy(() -> JdbcStorage.create(pool, JdbcStorageConfig.defaults()))
          .isInstanceOfSatisfying(
              BackendUnavailableException.class,
              e ->
                  assertThat(e.target())
                      .contains("127.0.0.1:1/app")
                      .contains("(pool app-pool)")
                      .doesNotContain("hunter2"));
    }
  }
}
