package io.sluice.samples.orders;

/**
 * An order as the demo sends it: {@code id;customer;cents} in the payload.
 *
 * @param id the order id, also the idempotency key
 * @param customer the customer, used as the message key (one customer's orders stay in order)
 * @param cents the amount
 */
public record Order(String id, String customer, long cents) {

  /** The payload text. */
  public String encode() {
    return id + ";" + customer + ";" + cents;
  }

  /** Reads a payload written by {@link #encode()}. */
  public static Order decode(String text) {
    String[] f = text.split(";", -1);
    if (f.length != 3) {
      throw new IllegalArgumentException("expected id;customer;cents, found \"" + text + "\"");
    }
    return new Order(f[0], f[1], Long.parseLong(f[2]));
  }
}
