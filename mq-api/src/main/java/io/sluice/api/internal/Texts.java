package io.sluice.api.internal;

/**
 * Renders user-supplied text for exception messages and logs so that it cannot forge log lines or
 * flood them: control characters (C0, DEL, C1, line and paragraph separators, bidirectional
 * overrides) and lone surrogates become {@code \\uXXXX}, and the text is cut after {@link
 * #MAX_SHOWN} code points with a note of how many were left out. Well-formed non-BMP characters (an
 * emoji) are shown as they are.
 */
public final class Texts {
  /** Code points of a string shown in a message at most. */
  public static final int MAX_SHOWN = 64;

  private Texts() {}

  /** {@code "name"} with the escaping and cap described above, or {@code null} for null. */
  public static String quote(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(Math.min(s.length(), MAX_SHOWN) + 2).append('"');
    int shown = 0;
    int i = 0;
    while (i < s.length() && shown < MAX_SHOWN) {
      int cp = s.codePointAt(i);
      appendEscaped(out, cp, s.charAt(i));
      i += Character.charCount(cp);
      shown++;
    }
    out.append('"');
    if (i < s.length()) {
      int rest = s.codePointCount(i, s.length());
      out.append("… (").append(rest).append(" more characters)");
    }
    return out.toString();
  }

  /** One code point as shown in a message: {@code 'a'}, or {@code U+000A} for a control. */
  public static String codePoint(int cp) {
    String hex = String.format("U+%04X", cp);
    return needsEscape(cp) ? hex : hex + " '" + new String(Character.toChars(cp)) + "'";
  }

  private static void appendEscaped(StringBuilder out, int cp, char first) {
    if (Character.isSurrogate(first) && Character.charCount(cp) == 1) {
      out.append(String.format("\\u%04x", (int) first)); // a lone surrogate
    } else if (needsEscape(cp)) {
      out.append(String.format("\\u%04x", cp));
    } else if (cp == '"' || cp == '\\') {
      out.append('\\').append((char) cp);
    } else {
      out.appendCodePoint(cp);
    }
  }

  private static boolean needsEscape(int cp) {
    return cp < 0x20
        || (cp >= 0x7f && cp <= 0x9f)
        || cp == 0x2028
        || cp == 0x2029
        || (cp >= 0x202a && cp <= 0x202e)
        || (cp >= 0x2066 && cp <= 0x2069)
        || cp == 0xfeff
        || Character.getType(cp) == Character.SURROGATE;
  }
}
