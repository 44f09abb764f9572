package io.sluice.api.error;

/**
 * A topic or consumer-group name does not match {@code [A-Za-z0-9][A-Za-z0-9._-]{0,199}}. The
 * message shows the name escaped and shortened (control characters as {@code \\uXXXX}, at most 64
 * characters), so it is safe to log; {@link #name()} returns it unchanged.
 */
public final class InvalidNameException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;

  /** What the name was for. */
  public enum Kind {
    TOPIC,
    GROUP
  }

  private final Kind kind;
  private final String name;

  public InvalidNameException(Kind kind, String name, String problem) {
    super(
        "invalid "
            + kind.name().toLowerCase(java.util.Locale.ROOT)
            + " name "
            + io.sluice.api.internal.Texts.quote(name)
            + ": "
            + problem
            + "; expected 1 to 200 characters from [A-Za-z0-9._-], starting with a letter or digit");
    this.kind = kind;
    this.name = name;
  }

  public Kind kind() {
    return kind;
  }

  /** The rejected name, possibly {@code null}. */
  public String name() {
    return name;
  }
}
