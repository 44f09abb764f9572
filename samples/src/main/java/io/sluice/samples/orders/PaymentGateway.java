package io.sluice.samples.orders;

import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A payment provider that refuses a share of all calls at random, as flaky remote services do. Each
 * call fails independently, so an order that failed may pass on its next attempt.
 */
public final class PaymentGateway {
  private final double failureRate;
  private final Random random;
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  /**
   * A gateway failing {@code failureRate} of its calls (0 to 1), drawn from a generator seeded with
   * {@code seed}.
   */
  public PaymentGateway(double failureRate, long seed) {
    if (!(failureRate >= 0 && failureRate <= 1)) {
      throw new IllegalArgumentException("failure rate must be 0 to 1, found " + failureRate);
    }
    this.failureRate = failureRate;
    this.random = new Random(seed);
  }

  /**
   * Charges an order.
   *
   * @throws PaymentDeclinedException when this call is one of the failing share
   */
  public void charge(Order order) {
    calls.incrementAndGet();
    if (random.nextDouble() < failureRate) {
      failures.incrementAndGet();
      throw new PaymentDeclinedException(
          "gateway timeout charging " + order.cents() + " cents for " + order.id());
    }
  }

  /** Calls made so far. */
  public long calls() {
    return calls.get();
  }

  /** Calls that failed so far. */
  public long failures() {
    return failures.get();
  }

  /** The gateway refused a call; worth retrying. */
  public static final class PaymentDeclinedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With a message naming the order. */
    public PaymentDeclinedException(String message) {
      super(message);
    }
  }
}
