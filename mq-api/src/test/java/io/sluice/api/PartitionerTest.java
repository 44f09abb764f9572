package io.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.error.InvalidConfigException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Fixed vectors: every backend and every release must map keys identically. The hashes were checked
 * against an independent MurmurHash3 x86_32 implementation.
 */
class PartitionerTest {
  @ParameterizedTest(name = "murmur3_32(\"{0}\") = {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''|0x00000000",
        "hello|0x248bfa47",
        "The quick brown fox jumps over the lazy dog|0x2e4ff723",
        "a|0x3c2569b2",
        "ab|0x9bbfd75f",
        "abc|0xb3dd93fa",
        "abcd|0x43ed676a",
        "customer-7|0x7213d296",
        "ключ|0x9a592042",
        "😀|0xbeb42efa"
      })
  void hashVectors(String key, String hex) {
    int expected = Integer.parseUnsignedInt(hex.substring(2), 16);
    assertThat(Partitioner.hash(key)).isEqualTo(expected);
    assertThat(Partitioner.murmur3(key.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "partition(\"{0}\", {1}) = {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''|7|0",
        "hello|2|1",
        "hello|7|6",
        "hello|16|7",
        "hello|4096|2631",
        "The quick brown fox jumps over the lazy dog|3|2",
        "ab|16|15",
        "ab|4096|1887",
        "abc|7|1",
        "customer-7|16|6",
        "order-42|7|6",
        "order-42|16|14",
        "ключ|4096|66",
        "😀|4096|3834",
        "anything|1|0"
      })
  void partitionVectors(String key, int partitions, int expected) {
    assertThat(Partitioner.partition(key, partitions)).isEqualTo(expected);
  }

  @Test
  void negativeHashesStillGiveAPartitionInRange() {
    assertThat(Partitioner.hash("ab")).isNegative();
    for (int p = 1; p <= 64; p++) {
      assertThat(Partitioner.partition("ab", p)).isBetween(0, p - 1);
    }
  }

  @Test
  void keysSpreadRoughlyEvenly() {
    int partitions = 8;
    int[] counts = new int[partitions];
    for (int i = 0; i < 80_000; i++) {
      counts[Partitioner.partition("key-" + i, partitions)]++;
    }
    for (int c : counts) {
      assertThat(c).isBetween(9_000, 11_000);
    }
  }

  @Test
  void aBadPartitionCountIsRejected() {
    assertThatThrownBy(() -> Partitioner.partition("k", 0))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("partitions must be 1 to 4096, found 0");
    assertThatThrownBy(() -> Partitioner.partition("k", 4097))
        .isInstanceOf(InvalidConfigException.class);
  }
}
