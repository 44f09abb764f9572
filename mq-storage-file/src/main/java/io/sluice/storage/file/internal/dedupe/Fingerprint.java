package io.sluice.storage.file.internal.dedupe;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A key's 128-bit fingerprint: SipHash-2-4 with 128-bit output (Aumasson and Bernstein, "SipHash: a
 * fast short-input PRF", INDOCRYPT 2012; the 128-bit variant of the reference implementation, whose
 * {@code vectors_sip128} table {@code FingerprintTest} checks). Keyed with a random 128-bit key per
 * index (stored in its {@link MetaFile}), so keys chosen by a producer cannot be crafted to collide
 * without that key, which unkeyed hashes such as MurmurHash3 allow.
 *
 * <p><b>Collision bound.</b> Two distinct keys share a fingerprint with probability {@code 2^-128}
 * for a pseudorandom function; among {@code n} live keys of one index the chance that any two
 * collide is at most {@code n^2 / 2^129}: for {@code n = 10^8} that is below {@code 1.5 * 10^-23}.
 * A collision would make the later key look like a duplicate of the earlier one.
 *
 * @param first the first output word: bytes 0–7 of the reference output, read little-endian
 * @param second the second output word: bytes 8–15, read little-endian
 */
record Fingerprint(long first, long second) {
  private static final VarHandle LE_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /**
   * SipHash-2-4-128 of {@code data[0..length)} under the key {@code (k0, k1)}, the key's bytes 0–7
   * and 8–15 read little-endian.
   */
  static Fingerprint of(long k0, long k1, byte[] data, int length) {
    Sip s = new Sip(k0, k1);
    int whole = length & ~7;
    for (int i = 0; i < whole; i += 8) {
      s.compress((long) LE_LONG.get(data, i));
    }
    long last = (long) length << 56;
    for (int i = whole; i < length; i++) {
      last |= (data[i] & 0xffL) << (8 * (i - whole));
    }
    s.compress(last);
    s.v2 ^= 0xee;
    s.rounds(4);
    long first = s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
    s.v1 ^= 0xdd;
    s.rounds(4);
    return new Fingerprint(first, s.v0 ^ s.v1 ^ s.v2 ^ s.v3);
  }

  /** The SipHash state; short-lived, so the JIT usually keeps it in registers. */
  private static final class Sip {
    long v0;
    long v1;
    long v2;
    long v3;

    Sip(long k0, long k1) {
      v0 = k0 ^ 0x736f6d6570736575L;
      v1 = k1 ^ 0x646f72616e646f6dL ^ 0xee;
      v2 = k0 ^ 0x6c7967656e657261L;
      v3 = k1 ^ 0x7465646279746573L;
    }

    void compress(long m) {
      v3 ^= m;
      rounds(2);
      v0 ^= m;
    }

    void rounds(int n) {
      for (int i = 0; i < n; i++) {
        v0 += v1;
        v1 = Long.rotateLeft(v1, 13);
        v1 ^= v0;
        v0 = Long.rotateLeft(v0, 32);
        v2 += v3;
        v3 = Long.rotateLeft(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = Long.rotateLeft(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = Long.rotateLeft(v1, 17);
        v1 ^= v2;
        v2 = Long.rotateLeft(v2, 32);
      }
    }
  }
}
