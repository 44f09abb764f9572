package io.sluice.spring.autoconfigure;

import io.sluice.spring.core.TransactionalSender;
import io.sluice.spring.core.internal.JdbcListenerTransactions;
import io.sluice.spring.core.internal.JdbcTransactionalSender;
import io.sluice.spring.listener.ListenerTransactions;
import io.sluice.storage.jdbc.JdbcStorage;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The sender that makes {@link io.sluice.spring.core.SluiceTemplate} join Spring-managed
 * transactions on the JDBC store's {@code DataSource}. Imported after the store configurations, so
 * that the store bean is known when its condition is evaluated.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(
    name = {
      "io.sluice.storage.jdbc.JdbcStorage",
      "org.springframework.jdbc.datasource.DataSourceUtils"
    })
class JdbcTransactionConfiguration {

  @Bean
  @ConditionalOnBean({JdbcStorage.class, DataSource.class})
  @ConditionalOnMissingBean(TransactionalSender.class)
  JdbcTransactionalSender sluiceTransactionalSender(JdbcStorage storage, DataSource dataSource) {
    return new JdbcTransactionalSender(storage, dataSource);
  }

  /** Transactional listeners run in Spring's transaction on the store's connection. */
  @Bean
  @ConditionalOnBean({JdbcStorage.class, DataSource.class})
  @ConditionalOnMissingBean(ListenerTransactions.class)
  JdbcListenerTransactions sluiceListenerTransactions(DataSource dataSource) {
    return new JdbcListenerTransactions(dataSource);
  }
}
