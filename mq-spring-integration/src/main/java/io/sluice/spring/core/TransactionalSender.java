package io.sluice.spring.core;

import io.sluice.api.Message;
import io.sluice.api.Receipt;
import java.util.Optional;

/**
 * Sends on the current Spring-managed transaction, so that the message commits or rolls back with
 * it. The auto-configuration provides one for the JDBC store; {@link SluiceTemplate} asks it first
 * on every send.
 */
public interface TransactionalSender {

  /**
   * Sends {@code message} on the transaction active on this thread, if there is one this sender can
   * join; the receipt becomes true when that transaction commits, and the message is never
   * delivered if it rolls back.
   *
   * @return the receipt, or empty when no joinable transaction is active (the caller then sends
   *     normally)
   */
  Optional<Receipt> sendInTransaction(String topic, Message message);

  /**
   * Whether {@link #sendInTransaction} would join a transaction on this thread now. {@link
   * SluiceTemplate} observes a joined send itself (the producer, which observes the others, is not
   * involved), so it asks first. The default, false, leaves joined sends unobserved.
   */
  default boolean wouldJoin() {
    return false;
  }
}
