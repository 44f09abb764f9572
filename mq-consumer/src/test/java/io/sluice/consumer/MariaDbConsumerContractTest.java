package io.sluice.consumer;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The consumer runtime suite on MariaDB ({@link TestServer#MARIADB}). */
class MariaDbConsumerContractTest extends ServerConsumerContract {
  @RegisterExtension static final TestServer SERVER = TestServer.MARIADB;

  @Override
  TestServer server() {
    return SERVER;
  }
}
