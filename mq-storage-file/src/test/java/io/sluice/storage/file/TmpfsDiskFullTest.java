package io.sluice.storage.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.StorageFailedException;
import io.sluice.spi.OutgoingMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * F7 on a real full file system: a 1 MiB tmpfs (needs root, as on the CI machine; elsewhere the
 * injected ENOSPC of {@link FaultInjectionTest} covers the same path). The send that hits the full
 * disk fails, every earlier receipt stays readable, and once space is freed a reopened store
 * continues at the next dense offset.
 */
class TmpfsDiskFullTest {
  @TempDir Path tmp;

  private static boolean run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  @Test
  void fullDiskFailsTheSendKeepsEveryReceiptAndReopensAfterSpaceIsFreed() throws Exception {
    fillAndRecover(Durability.SYNC, "No space left on device");
  }

  /**
   * OS appends go through a memory mapping: a full disk arrives as SIGBUS, reported the same way.
   */
  @Test
  void fullDiskUnderMappedOsAppendsFailsTheSendAndReopensAfterSpaceIsFreed() throws Exception {
    fillAndRecover(Durability.OS, "disk full");
  }

  private void fillAndRecover(Durability durability, String expected) throws Exception {
    Path mount = tmp.resolve("fs");
    Files.createDirectories(mount);
    assumeTrue(
        run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString()),
        "mounting a tmpfs needs root");
    try {
      Path dir = mount.resolve("store");
      FileStorageConfig config =
          FileStorageConfig.builder(dir).segmentBytes(256 << 10).durability(durability).build();
      long last = -1;
      try (FileStorage s = FileStorage.open(config)) {
        s.createTopic("t", TopicConfig.defaults());
        OutgoingMessage m = OutgoingMessage.of(Message.of(new byte[1000]));
        try {
          while (true) {
            last = s.append("t", List.of(m)).get(0).offset();
          }
        } catch (StorageFailedException full) {
          assertThat(full).hasMessageContaining(expected);
        }
        assertThat(last).isGreaterThan(100);
        assertThatThrownBy(() -> s.append("t", List.of(m)))
            .isInstanceOf(StorageFailedException.class);
      }
      assertThat(run("mount", "-o", "remount,size=2m", mount.toString())).isTrue();
      try (FileStorage s = FileStorage.open(config)) {
        assertThat(s.read("t", 0, 0, (int) last + 1)).hasSize((int) last + 1);
        long end = s.describeTopic("t").partitions().get(0).endOffset();
        assertThat(end)
            .as("at most the failed batch, whole, beyond the last receipt")
            .isBetween(last + 1, last + 2);
        long next = s.append("t", List.of(OutgoingMessage.of(Message.of("x")))).get(0).offset();
        assertThat(next).isEqualTo(end);
      }
    } finally {
      run("umount", "-l", mount.toString());
    }
  }
}
