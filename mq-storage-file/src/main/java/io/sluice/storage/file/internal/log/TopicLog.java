package io.sluice.storage.file.internal.log;

import io.sluice.api.TopicConfig;
import io.sluice.api.error.InvalidPartitionException;
import io.sluice.spi.PartitionInfo;
import io.sluice.spi.TopicInfo;
import io.sluice.storage.file.internal.io.FileIo;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One topic on disk: {@code topics/<name>/topic.properties} (its configuration, replaced
 * atomically) and one directory per partition ({@code topics/<name>/<partition>/}). A topic exists
 * once its properties file does.
 */
public final class TopicLog {
  /** The configuration file's name. */
  public static final String CONFIG_FILE = "topic.properties";

  /** Prefix of a topic directory being created (no topic name starts with a dot). */
  static final String CREATING_PREFIX = ".creating-";

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TopicLog.class);

  private final String name;
  private final Path dir;
  private final LogSettings settings;
  private volatile TopicConfig config;
  private volatile SegmentSet[] partitions;
  private final AtomicInteger nextUnkeyed = new AtomicInteger();

  private TopicLog(String name, Path dir, LogSettings settings) {
    this.name = name;
    this.dir = dir;
    this.settings = settings;
  }

  /**
   * Creates a topic atomically: its directory is prepared under a temporary name ({@link
   * #CREATING_PREFIX}{@code <name>}, never a topic name) with the configuration inside, then
   * renamed into place and the parent directory forced; only then are its partitions created. A
   * crash before the rename leaves a temporary directory that {@link #removeLeftovers} deletes at
   * the next open; after it, the topic exists.
   */
  public static TopicLog create(String name, Path dir, TopicConfig config, LogSettings s, long now)
      throws IOException {
    Path temp = dir.resolveSibling(CREATING_PREFIX + name);
    deleteTree(s.io(), temp);
    Files.createDirectories(temp);
    TopicLog t = new TopicLog(name, temp, s);
    t.writeConfig(config);
    s.io().move(temp, dir);
    s.io().forceDirectory(dir.getParent());
    TopicLog created = new TopicLog(name, dir, s);
    created.config = config;
    created.partitions = new SegmentSet[0];
    created.openPartitions(config.partitions(), now);
    return created;
  }

  /**
   * Deletes what interrupted creations left in {@code topicsDir}: temporary directories, and topic
   * directories without a configuration holding no segment (left by versions that created the
   * directory first). A directory without a configuration that holds segments is kept and reported
   * by {@link #open}: data is never deleted on a guess.
   */
  public static void removeLeftovers(FileIo io, Path topicsDir) throws IOException {
    List<Path> dirs;
    try (Stream<Path> all = Files.list(topicsDir)) {
      dirs = all.filter(Files::isDirectory).toList();
    }
    boolean removed = false;
    for (Path d : dirs) {
      boolean temp = d.getFileName().toString().startsWith(CREATING_PREFIX);
      if (temp || (!Files.exists(d.resolve(CONFIG_FILE)) && !holdsSegments(d))) {
        LOG.info("removing {}, left by a topic creation that a crash interrupted", d);
        deleteTree(io, d);
        removed = true;
      }
    }
    if (removed) {
      io.forceDirectory(topicsDir);
    }
  }

  private static boolean holdsSegments(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.anyMatch(p -> p.getFileName().toString().endsWith(".log"));
    }
  }

  private static void deleteTree(FileIo io, Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    List<Path> all;
    try (Stream<Path> walk = Files.walk(dir)) {
      all = walk.sorted(java.util.Comparator.reverseOrder()).toList();
    }
    for (Path p : all) {
      io.delete(p);
    }
  }

  /** Opens an existing topic, or returns null if its configuration was never written. */
  public static TopicLog open(String name, Path dir, LogSettings s, long now) throws IOException {
    Path file = dir.resolve(CONFIG_FILE);
    if (!Files.exists(file)) {
      return null;
    }
    TopicLog t = new TopicLog(name, dir, s);
    t.config = readConfig(file);
    t.partitions = new SegmentSet[0];
    t.openPartitions(t.config.partitions(), now);
    return t;
  }

  private void openPartitions(int count, long now) throws IOException {
    SegmentSet[] grown = Arrays.copyOf(partitions, count);
    for (int p = partitions.length; p < count; p++) {
      grown[p] = SegmentSet.open(name, p, dir.resolve(Integer.toString(p)), settings, now);
    }
    partitions = grown;
  }

  /** Raises the partition count (the caller serializes topic changes). */
  public void grow(int count, long now) throws IOException {
    TopicConfig grown = config.withPartitions(count);
    writeConfig(grown);
    config = grown;
    openPartitions(count, now);
  }

  /** The topic's name. */
  public String name() {
    return name;
  }

  /** The topic's current configuration. */
  public TopicConfig config() {
    return config;
  }

  /** How many partitions the topic has. */
  public int partitionCount() {
    return partitions.length;
  }

  /** A partition's log, or {@link InvalidPartitionException}. */
  public SegmentSet partition(int p) {
    SegmentSet[] all = partitions;
    if (p < 0 || p >= all.length) {
      throw new InvalidPartitionException(name, p, all.length);
    }
    return all[p];
  }

  /** The partition for one call's unkeyed messages: round-robin across calls. */
  public int nextUnkeyedPartition() {
    return Math.floorMod(nextUnkeyed.getAndIncrement(), partitions.length);
  }

  /** The configuration and each partition's retained range and bytes (its segment files). */
  public TopicInfo info() {
    SegmentSet[] all = partitions;
    List<PartitionInfo> infos = new ArrayList<>(all.length);
    for (SegmentSet s : all) {
      infos.add(new PartitionInfo(s.partition(), s.logStart(), s.endOffset(), s.sizeBytes()));
    }
    return new TopicInfo(name, config, infos);
  }

  /** Every partition's log. */
  public List<SegmentSet> partitions() {
    return List.of(partitions);
  }

  private void writeConfig(TopicConfig c) throws IOException {
    Properties p = new Properties();
    p.setProperty("format", "1");
    p.setProperty("partitions", Integer.toString(c.partitions()));
    p.setProperty("retention", c.retention() == null ? "" : c.retention().toString());
    p.setProperty("retentionBytes", Long.toString(c.retentionBytes()));
    p.setProperty("retainUntilConsumed", Boolean.toString(c.retainUntilConsumed()));
    p.setProperty("dedupeWindow", c.dedupeWindow().toString());
    p.setProperty("maxMessageBytes", Integer.toString(c.maxMessageBytes()));
    StringWriter text = new StringWriter();
    p.store(text, "Sluice topic " + name);
    Path tmp = dir.resolve(CONFIG_FILE + ".tmp");
    try (FileChannel ch =
        settings
            .io()
            .open(
                tmp,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
      FileIo.writeFully(ch, ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)), 0);
      ch.force(true);
    }
    settings.io().move(tmp, dir.resolve(CONFIG_FILE));
    settings.io().forceDirectory(dir);
    settings.io().forceDirectory(dir.getParent());
  }

  private static TopicConfig readConfig(Path file) throws IOException {
    return parseConfig(Files.readString(file, StandardCharsets.UTF_8));
  }

  /** The configuration written to a topic's {@link #CONFIG_FILE}, from the file's text. */
  public static TopicConfig parseConfig(String text) throws IOException {
    Properties p = new Properties();
    p.load(new StringReader(text));
    String retention = p.getProperty("retention", "");
    return new TopicConfig(
        Integer.parseInt(p.getProperty("partitions")),
        retention.isEmpty() ? null : Duration.parse(retention),
        Long.parseLong(p.getProperty("retentionBytes", "0")),
        Boolean.parseBoolean(p.getProperty("retainUntilConsumed", "false")),
        Duration.parse(p.getProperty("dedupeWindow")),
        Integer.parseInt(p.getProperty("maxMessageBytes")));
  }
}
