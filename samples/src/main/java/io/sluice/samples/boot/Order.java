package io.sluice.samples.boot;

/**
 * An order, sent and received as JSON.
 *
 * @param id the order id
 * @param customer the customer, used as the message key
 * @param cents the amount
 */
public record Order(String id, String customer, long cents) {}
