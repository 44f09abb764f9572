package io.sluice.storage.file.internal.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Message;
import io.sluice.storage.file.internal.io.FileIo;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** F4 at every byte: a segment whose last batch is torn anywhere recovers to the batch before. */
class SegmentRecoveryTest {
  @TempDir Path tmp;

  @Test
  void tornLastBatchAtEveryByteOffsetIsCutToTheLastWholeBatch() throws IOException {
    Path golden = tmp.resolve("golden");
    Files.createDirectories(golden);
    Segment golden0 = Segment.create(FileIo.DEFAULT, golden, 0, 4096, 0);
    append(golden0, 0, List.of(Message.of("a"), Message.of("b")));
    append(golden0, 2, List.of(Message.builder("c").key("k").header("h", "v").build()));
    long lastStart = golden0.size();
    append(golden0, 3, List.of(Message.builder("d").idempotencyKey("i").build()));
    golden0.persistIndex();
    golden0.close();
    Path file = golden.resolve(Segment.fileName(0, ".log"));
    long full = Files.size(file);
    for (long cut = lastStart; cut < full; cut++) {
      Path dir = tmp.resolve("c" + cut);
      Files.createDirectories(dir);
      Files.copy(file, dir.resolve(file.getFileName()));
      try (RandomAccessFile f =
          new RandomAccessFile(dir.resolve(file.getFileName()).toFile(), "rw")) {
        f.setLength(cut);
      }
      Segment seg = Segment.open(FileIo.DEFAULT, dir, 0, 4096, 0);
      long cutBytes = seg.recover(false);
      assertThat(cutBytes).as("cut at %d", cut).isEqualTo(cut - lastStart);
      assertThat(seg.nextOffset()).isEqualTo(3);
      assertThat(seg.size()).isEqualTo(lastStart);
      seg.close();
    }
  }

  private static void append(Segment seg, long base, List<Message> messages) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(4096);
    BatchCodec.encode(buf, base, messages, 0, messages.size(), Instant.EPOCH);
    buf.flip();
    seg.append(buf, base, messages.size(), 0);
  }
}
