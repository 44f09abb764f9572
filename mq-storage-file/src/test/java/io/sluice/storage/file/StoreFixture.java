package io.sluice.storage.file;

import io.sluice.api.Message;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.StoredMessage;
import io.sluice.spi.tck.SettableClock;
import io.sluice.storage.file.internal.io.FileIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Helpers shared by the file store's own tests. */
final class StoreFixture {
  static final String TOPIC = "t";

  private StoreFixture() {}

  static FileStorageConfig.Builder config(Path dir, SettableClock clock) {
    return FileStorageConfig.builder(dir).clock(clock);
  }

  static FileStorage open(FileStorageConfig.Builder config) {
    return FileStorage.open(config.build());
  }

  static FileStorage open(FileStorageConfig.Builder config, FileIo io) {
    return FileStorage.open(config.build(), io);
  }

  static FileStorage withTopic(FileStorage s) {
    s.createTopic(TOPIC, TopicConfig.defaults());
    return s;
  }

  /** Appends one batch of messages "m{from}".."m{to-1}" to partition 0. */
  static List<Receipt> batch(FileStorage s, int from, int to) {
    List<OutgoingMessage> b = new ArrayList<>();
    for (int i = from; i < to; i++) {
      b.add(OutgoingMessage.toPartition(Message.of("m" + i), 0));
    }
    return s.append(TOPIC, b);
  }

  static List<String> payloads(FileStorage s) {
    long start = s.describeTopic(TOPIC).partitions().get(0).logStartOffset();
    long end = s.describeTopic(TOPIC).partitions().get(0).endOffset();
    if (end == start) {
      return List.of();
    }
    return s.read(TOPIC, 0, start, (int) (end - start)).stream()
        .map(StoredMessage::message)
        .map(Message::payloadAsString)
        .toList();
  }

  static List<String> expected(int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add("m" + i);
    }
    return out;
  }

  static Path partitionDir(Path dir) {
    return dir.resolve("topics").resolve(TOPIC).resolve("0");
  }

  static List<Path> files(Path dir, String suffix) throws IOException {
    try (Stream<Path> all = Files.list(partitionDir(dir))) {
      return all.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    }
  }

  static List<Path> filesUnchecked(Path dir, String suffix) {
    try {
      return files(dir, suffix);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Path log(Path dir) throws IOException {
    List<Path> logs = files(dir, ".log");
    return logs.get(logs.size() - 1);
  }

  /** Flips one bit of the byte at {@code position} (a corrupted disk block). */
  static void flip(Path file, long position) throws IOException {
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
      f.seek(position);
      int b = f.read();
      f.seek(position);
      f.write(b ^ 0x10);
    }
  }

  static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.sorted(Comparator.naturalOrder()).toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!p.getFileName().toString().equals("LOCK")) {
          Files.copy(p, target);
        }
      }
    }
  }
}
