package io.sluice.api.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Every exception carries its context fields and repeats them in its message. */
class ExceptionsTest {
  @Test
  void theHierarchyIsUnchecked() {
    assertThat(new InvalidConfigException("x")).isInstanceOf(InvalidRequestException.class);
    assertThat(new InvalidRequestException("x")).isInstanceOf(SluiceException.class);
    assertThat(new StorageClosedException("store")).isInstanceOf(StorageException.class);
    assertThat(new TopicNotFoundException("t")).isInstanceOf(RuntimeException.class);
  }

  @Test
  void topicAndPartitionErrors() {
    TopicNotFoundException nf = new TopicNotFoundException("orders");
    assertThat(nf.topic()).isEqualTo("orders");
    assertThat(nf).hasMessage("topic \"orders\" does not exist; create it first");
    TopicExistsException ex = new TopicExistsException("orders", "A", "B");
    assertThat(ex.topic()).isEqualTo("orders");
    assertThat(ex).hasMessageContaining("expected A, found B");
    InvalidPartitionException p = new InvalidPartitionException("orders", 5, 3);
    assertThat(p.topic()).isEqualTo("orders");
    assertThat(p.partition()).isEqualTo(5);
    assertThat(p.partitions()).isEqualTo(3);
    assertThat(p).hasMessage("topic \"orders\" has no partition 5: expected 0 to 2 (3 partitions)");
  }

  @Test
  void offsetOutOfRangeNamesTheRangeAndRetention() {
    OffsetOutOfRangeException e = new OffsetOutOfRangeException("t", 1, 3, 5, 9);
    assertThat(e.topic()).isEqualTo("t");
    assertThat(e.partition()).isEqualTo(1);
    assertThat(e.offset()).isEqualTo(3);
    assertThat(e.logStartOffset()).isEqualTo(5);
    assertThat(e.endOffset()).isEqualTo(9);
    assertThat(e)
        .hasMessage(
            "offset 3 is out of range for t-1: expected 5 to 9 (older messages were removed by"
                + " retention)");
    assertThat(new OffsetOutOfRangeException("t", 0, 12, 0, 9))
        .hasMessage("offset 12 is out of range for t-0: expected 0 to 9");
  }

  @Test
  void sizeAndNameErrors() {
    MessageTooLargeException big = new MessageTooLargeException("message", 11, 10);
    assertThat(big.size()).isEqualTo(11);
    assertThat(big.limit()).isEqualTo(10);
    assertThat(big).hasMessageContaining("expected at most 10 bytes, found 11 bytes");
    InvalidNameException n = new InvalidNameException(InvalidNameException.Kind.GROUP, "a b", "x");
    assertThat(n.kind()).isEqualTo(InvalidNameException.Kind.GROUP);
    assertThat(n.name()).isEqualTo("a b");
    assertThat(n).hasMessageStartingWith("invalid group name \"a b\": x; expected");
  }

  @Test
  void storageErrorsKeepFilesPositionsAndCauses() {
    StorageCorruptedException c =
        new StorageCorruptedException(
            Path.of("/data/p0/00000000000000000000.log"), 4096, "bad crc");
    assertThat(c.file()).isEqualTo(Path.of("/data/p0/00000000000000000000.log"));
    assertThat(c.position()).isEqualTo(4096);
    assertThat(c).hasMessageContaining("at position 4096: bad crc");
    StorageLockedException l = new StorageLockedException(Path.of("/data/.lock"));
    assertThat(l.lockFile()).isEqualTo(Path.of("/data/.lock"));
    assertThat(l).hasMessageContaining("/data/.lock");
    IOException io = new IOException("connection refused");
    BackendUnavailableException u = new BackendUnavailableException("db:5432", io);
    assertThat(u.target()).isEqualTo("db:5432");
    assertThat(u).hasMessage("backend unavailable: db:5432 (connection refused)").hasCause(io);
    assertThat(new BackendUnavailableException("db", null)).hasMessage("backend unavailable: db");
    StorageFailedException f = new StorageFailedException("fsync failed", io);
    assertThat(f).hasCause(io);
    assertThat(new StorageClosedException("file store")).hasMessage("file store is closed");
  }

  @Test
  void staleDeliveryCarriesTheDelivery() {
    StaleDeliveryException s = new StaleDeliveryException("t-0@1#2", "expired");
    assertThat(s.delivery()).isEqualTo("t-0@1#2");
    assertThat(s).hasMessage("stale delivery t-0@1#2: expired");
    assertThat(new UnsupportedCapabilityException("no tx")).hasMessage("no tx");
  }
}
