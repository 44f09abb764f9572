package io.sluice.storage.jdbc.internal;

/** H2 2.x (2.2.220 or later, for {@code SKIP LOCKED}). */
public record H2Dialect() implements Dialect {
  /** The one instance. */
  public static final H2Dialect INSTANCE = new H2Dialect();

  @Override
  public String name() {
    return "h2";
  }
}
