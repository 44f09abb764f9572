package io.sluice.consumer;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The consumer runtime suite on PostgreSQL ({@link TestServer#POSTGRES}). */
class PostgresConsumerContractTest extends ServerConsumerContract {
  @RegisterExtension static final TestServer SERVER = TestServer.POSTGRES;

  @Override
  TestServer server() {
    return SERVER;
  }
}
