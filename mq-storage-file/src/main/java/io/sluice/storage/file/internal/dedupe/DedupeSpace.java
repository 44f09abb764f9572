package io.sluice.storage.file.internal.dedupe;

import io.sluice.storage.file.internal.io.FileIo;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What every {@link DedupeIndex} of one store shares: the settings, the clock, the I/O seam and the
 * budget of mapped bytes and files. A store holds one space and opens an index per topic (producer
 * keys) and per group × topic (processed keys); an index touches no file until first used, and an
 * idle one costs a few hundred bytes of heap.
 *
 * <p><b>Mapping budget.</b> Mapped tables live outside the heap, but each mapping costs address
 * space and an entry in the process's map table ({@code vm.max_map_count}, 65,530 by default on
 * Linux). When the mapped bytes or files pass {@link Settings#maxMappedBytes} or {@link
 * Settings#maxMappedFiles}, the least recently used other indexes release their mappings (forcing
 * written pages first) until both are under three quarters of their limit; a released index maps
 * again on its next use. An index busy in another thread is skipped, so the budget is a soft limit.
 * On Java 21 a released mapping is unmapped when the garbage collector frees its buffer.
 *
 * <p>Thread-safe.
 */
public final class DedupeSpace {
  /**
   * Tuning shared by the indexes of a space.
   *
   * @param bucketsPerWindow time buckets per dedupe window, 1 to 1024: expiry frees disk in steps
   *     of {@code window / bucketsPerWindow} and a lookup probes up to {@code bucketsPerWindow + 1}
   *     tables (more if the window is over about 49 days times this, as a bucket spans at most
   *     {@code 2^32 - 1} ms)
   * @param initialSlots slots of a first bucket file, a power of two from 16 to {@code 2^30}; a
   *     later bucket starts large enough to hold the previous bucket's count at 70 % load
   * @param maxMappedBytes mapped bytes before idle indexes are released, at least 1 MiB
   * @param maxMappedFiles mappings before idle indexes are released, at least 16
   */
  public record Settings(
      int bucketsPerWindow, int initialSlots, long maxMappedBytes, int maxMappedFiles) {
    /** 16 buckets, 1,024 initial slots, 4 GiB and 4,096 mappings. */
    public static final Settings DEFAULTS = new Settings(16, 1024, 4L << 30, 4096);

    public Settings {
      if (bucketsPerWindow < 1 || bucketsPerWindow > 1024) {
        throw new IllegalArgumentException(
            "bucketsPerWindow must be 1 to 1024; found " + bucketsPerWindow);
      }
      if (Integer.bitCount(initialSlots) != 1 || initialSlots < 16 || initialSlots > 1 << 30) {
        throw new IllegalArgumentException(
            "initialSlots must be a power of two from 16 to 2^30; found " + initialSlots);
      }
      if (maxMappedBytes < 1 << 20 || maxMappedFiles < 16) {
        throw new IllegalArgumentException(
            "maxMappedBytes must be at least 1 MiB and maxMappedFiles at least 16; found "
                + maxMappedBytes
                + " and "
                + maxMappedFiles);
      }
    }
  }

  private final Settings settings;
  private final InstantSource clock;
  private final FileIo io;
  private final SecureRandom random = new SecureRandom();
  private final Set<DedupeIndex> holders = ConcurrentHashMap.newKeySet();
  private final AtomicLong mappedBytes = new AtomicLong();
  private final AtomicInteger mappedFiles = new AtomicInteger();
  private final ReentrantLock evicting = new ReentrantLock();

  public DedupeSpace(Settings settings, InstantSource clock, FileIo io) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.io = Objects.requireNonNull(io, "io");
  }

  /**
   * An index kept in {@code dir} (created on first use) whose entries live for {@code window} after
   * their accept time. Touches no file: the directory is read on first use.
   */
  public DedupeIndex open(Path dir, Duration window) {
    return new DedupeIndex(this, dir, window);
  }

  public Settings settings() {
    return settings;
  }

  /** Bytes mapped by this space's indexes now. */
  public long mappedBytes() {
    return mappedBytes.get();
  }

  /** Mappings held by this space's indexes now. */
  public int mappedFiles() {
    return mappedFiles.get();
  }

  InstantSource clock() {
    return clock;
  }

  FileIo io() {
    return io;
  }

  long[] randomKey() {
    return new long[] {random.nextLong(), random.nextLong()};
  }

  /** {@code owner} mapped more; releases other indexes if over budget. */
  void charge(DedupeIndex owner, long bytes, int files) {
    holders.add(owner);
    long b = mappedBytes.addAndGet(bytes);
    int f = mappedFiles.addAndGet(files);
    if (b > settings.maxMappedBytes() || f > settings.maxMappedFiles()) {
      evictFor(owner);
    }
  }

  void discharge(long bytes, int files) {
    mappedBytes.addAndGet(-bytes);
    mappedFiles.addAndGet(-files);
  }

  void released(DedupeIndex index) {
    holders.remove(index);
  }

  private void evictFor(DedupeIndex owner) {
    if (!evicting.tryLock()) {
      return; // another thread is already evicting
    }
    try {
      List<DedupeIndex> lru =
          holders.stream()
              .filter(i -> i != owner)
              .sorted(Comparator.comparingLong(DedupeIndex::lastUse))
              .toList();
      for (DedupeIndex i : lru) {
        if (mappedBytes.get() <= settings.maxMappedBytes() / 4 * 3
            && mappedFiles.get() <= settings.maxMappedFiles() / 4 * 3) {
          break;
        }
        i.tryRelease();
      }
    } finally {
      evicting.unlock();
    }
  }
}
