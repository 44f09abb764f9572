package io.sluice.storage.jdbc.internal;

import java.util.Arrays;

/**
 * The per-offset bits of a run row ({@code acked}, {@code started_bits}) as the Java side sees
 * them: text of {@code '0'} and {@code '1'}, one character per offset of the run, leftmost = the
 * run's first offset; {@code null} = no bit set. (PostgreSQL stores {@code bit varying} and its
 * statements cast to and from text; H2 stores the text.)
 */
final class Bits {
  private Bits() {}

  /** Whether bit {@code i} is set. */
  static boolean isSet(String bits, int i) {
    return bits != null && bits.charAt(i) == '1';
  }

  /** {@code bits} (length {@code span}, or null) with the given positions set. */
  static String with(String bits, int span, Iterable<Integer> positions) {
    char[] c = new char[span];
    if (bits == null) {
      Arrays.fill(c, '0');
    } else {
      bits.getChars(0, span, c, 0);
    }
    for (int i : positions) {
      c[i] = '1';
    }
    return new String(c);
  }

  /** Whether every bit of {@code bits} is set. */
  static boolean all(String bits) {
    return bits != null && bits.indexOf('0') < 0;
  }
}
