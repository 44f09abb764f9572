package io.sluice.storage.file.internal.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * SipHash-2-4-128 against the reference implementation's {@code vectors_sip128} (key bytes 00–0f,
 * message {@code i} = bytes 00 to {@code i - 1}).
 */
class FingerprintTest {
  private static final long K0 = 0x0706050403020100L;
  private static final long K1 = 0x0f0e0d0c0b0a0908L;

  private static final int[][] VECTORS = {
    {
      0, 0xa3, 0x81, 0x7f, 0x04, 0xba, 0x25, 0xa8, 0xe6, 0x6d, 0xf6, 0x72, 0x14, 0xc7, 0x55, 0x02,
      0x93
    },
    {
      1, 0xda, 0x87, 0xc1, 0xd8, 0x6b, 0x99, 0xaf, 0x44, 0x34, 0x76, 0x59, 0x11, 0x9b, 0x22, 0xfc,
      0x45
    },
    {
      7, 0xa1, 0xf1, 0xeb, 0xbe, 0xd8, 0xdb, 0xc1, 0x53, 0xc0, 0xb8, 0x4a, 0xa6, 0x1f, 0xf0, 0x82,
      0x39
    },
    {
      8, 0x3b, 0x62, 0xa9, 0xba, 0x62, 0x58, 0xf5, 0x61, 0x0f, 0x83, 0xe2, 0x64, 0xf3, 0x14, 0x97,
      0xb4
    },
    {
      15, 0x54, 0x93, 0xe9, 0x99, 0x33, 0xb0, 0xa8, 0x11, 0x7e, 0x08, 0xec, 0x0f, 0x97, 0xcf, 0xc3,
      0xd9
    },
    {
      16, 0x6e, 0xe2, 0xa4, 0xca, 0x67, 0xb0, 0x54, 0xbb, 0xfd, 0x33, 0x15, 0xbf, 0x85, 0x23, 0x05,
      0x77
    },
    {
      63, 0x51, 0x50, 0xd1, 0x77, 0x2f, 0x50, 0x83, 0x4a, 0x50, 0x3e, 0x06, 0x9a, 0x97, 0x3f, 0xbd,
      0x7c
    },
  };

  @Test
  void matchesTheReferenceVectors() {
    byte[] message = new byte[64];
    for (int i = 0; i < message.length; i++) {
      message[i] = (byte) i;
    }
    for (int[] v : VECTORS) {
      byte[] expected = new byte[16];
      for (int i = 0; i < 16; i++) {
        expected[i] = (byte) v[i + 1];
      }
      ByteBuffer le = ByteBuffer.wrap(expected).order(ByteOrder.LITTLE_ENDIAN);
      assertThat(Fingerprint.of(K0, K1, message, v[0]))
          .as("length %d", v[0])
          .isEqualTo(new Fingerprint(le.getLong(0), le.getLong(8)));
    }
  }

  @Test
  void dependsOnTheKey() {
    byte[] m = "order-42".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(Fingerprint.of(K0, K1, m, m.length)).isNotEqualTo(Fingerprint.of(K0, K1 + 1, m, 8));
  }

  @Test
  void aMillionSimilarKeysHaveDistinctFirstWords() {
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 1_000_000; i++) {
      byte[] m = ("key-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      seen.add(Fingerprint.of(K0, K1, m, m.length).first());
    }
    assertThat(seen).hasSize(1_000_000);
  }
}
