package io.sluice.spring.autoconfigure;

import io.sluice.api.Backoff;
import io.sluice.api.Ordering;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.InvalidConfigException;
import io.sluice.api.internal.Validation;
import io.sluice.consumer.GroupConfig;
import io.sluice.consumer.GroupOptions;
import io.sluice.consumer.RetryPolicy;
import io.sluice.spring.listener.BackoffFormat;
import io.sluice.spring.listener.ListenerDefaults;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Sluice's Spring Boot properties, all under {@code sluice.*}. Values out of range fail the startup
 * with a message naming the property.
 */
@ConfigurationProperties("sluice")
public class SluiceProperties {

  /** Whether to auto-configure Sluice (the store, the template and the listeners). */
  private boolean enabled = true;

  /** Where messages are stored. */
  private final Storage storage = new Storage();

  /** Defaults of every {@code @SluiceListener}; an annotation attribute overrides them. */
  private final Listener listener = new Listener();

  /**
   * Topics to create at startup, by name (creating an existing topic with the same settings is a
   * no-op).
   */
  private Map<String, Topic> topics = new LinkedHashMap<>();

  /** Micrometer Observation (tracing) of sends and listeners. */
  private final Observation observation = new Observation();

  /** The web dashboard under Actuator (module sluice-dashboard). */
  private final Dashboard dashboard = new Dashboard();

  /** Whether Sluice is auto-configured. */
  public boolean isEnabled() {
    return enabled;
  }

  /** Turns the auto-configuration on or off. */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** The store settings. */
  public Storage getStorage() {
    return storage;
  }

  /** The listener defaults. */
  public Listener getListener() {
    return listener;
  }

  /** The dashboard settings. */
  public Dashboard getDashboard() {
    return dashboard;
  }

  /** The topics created at startup. */
  public Map<String, Topic> getTopics() {
    return topics;
  }

  /** Sets the topics created at startup. */
  public void setTopics(Map<String, Topic> topics) {
    this.topics = topics;
  }

  /** The observation settings. */
  public Observation getObservation() {
    return observation;
  }

  /** {@code sluice.observation.*}. */
  public static class Observation {
    /**
     * Whether sends and listener runs are observed with the application's ObservationRegistry (when
     * there is one): spans with the W3C trace context carried in message headers, and the
     * sluice.send and sluice.process timers made from the observations.
     */
    private boolean enabled = true;

    /** Whether observation is on. */
    public boolean isEnabled() {
      return enabled;
    }

    /** Turns observation on or off. */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** The storage backends. */
  public enum StorageType {
    /** The embedded append-log in a local directory (artifact sluice-storage-file). */
    FILE,
    /**
     * The application's {@code DataSource}: PostgreSQL, MariaDB or H2, recognised from the
     * connection (artifact sluice-storage-jdbc).
     */
    JDBC
  }

  /** When the file store forces appended data to disk. */
  public enum DurabilityMode {
    /** Receipt after the fsync covering the message; survives power loss. */
    SYNC,
    /** Fsync at least every {@code sync-interval}; survives a process crash. */
    INTERVAL,
    /** Leave write-back to the operating system; survives a process crash. */
    OS
  }

  /** {@code sluice.storage.*}. */
  public static class Storage {
    /** The backend: file (embedded, the default) or jdbc (the application DataSource). */
    private StorageType type = StorageType.FILE;

    /** The file backend. */
    private final File file = new File();

    /** The JDBC backend. */
    private final Jdbc jdbc = new Jdbc();

    /** The backend. */
    public StorageType getType() {
      return type;
    }

    /** Sets the backend. */
    public void setType(StorageType type) {
      this.type = type;
    }

    /** The file backend settings. */
    public File getFile() {
      return file;
    }

    /** The JDBC backend settings. */
    public Jdbc getJdbc() {
      return jdbc;
    }
  }

  /** {@code sluice.storage.file.*}. */
  public static class File {
    /**
     * The store's directory, created if missing and locked by one process at a time. Relative paths
     * are resolved against the working directory.
     */
    private Path directory = Path.of("sluice-data");

    /** When appended data is forced to disk: sync (default), interval or os. */
    private DurabilityMode durability = DurabilityMode.SYNC;

    /** The longest time between forces with durability=interval. */
    private Duration syncInterval = Duration.ofSeconds(1);

    /** The store directory. */
    public Path getDirectory() {
      return directory;
    }

    /** Sets the store directory. */
    public void setDirectory(Path directory) {
      this.directory = directory;
    }

    /** The durability policy. */
    public DurabilityMode getDurability() {
      return durability;
    }

    /** Sets the durability policy. */
    public void setDurability(DurabilityMode durability) {
      this.durability = durability;
    }

    /** The force interval for {@link DurabilityMode#INTERVAL}. */
    public Duration getSyncInterval() {
      return syncInterval;
    }

    /** Sets the force interval; positive. */
    public void setSyncInterval(Duration syncInterval) {
      if (syncInterval == null || syncInterval.isNegative() || syncInterval.isZero()) {
        throw new InvalidConfigException(
            "sluice.storage.file.sync-interval must be positive, found " + syncInterval);
      }
      this.syncInterval = syncInterval;
    }
  }

  /** {@code sluice.storage.jdbc.*}. */
  public static class Jdbc {
    /**
     * The schema holding Sluice's tables, with its own Flyway history; a lowercase SQL identifier.
     */
    private String schema = "sluice";

    /** Whether to create and upgrade Sluice's tables at startup (Flyway). */
    private boolean migrate = true;

    /** The schema. */
    public String getSchema() {
      return schema;
    }

    /** Sets the schema. */
    public void setSchema(String schema) {
      this.schema = schema;
    }

    /** Whether migrations run at startup. */
    public boolean isMigrate() {
      return migrate;
    }

    /** Sets whether migrations run at startup. */
    public void setMigrate(boolean migrate) {
      this.migrate = migrate;
    }
  }

  /**
   * {@code sluice.listener.*}. Each value is checked by the consumer group option it sets ({@link
   * io.sluice.consumer.GroupOptions}), so the ranges are the runtime's own; a message names the
   * property.
   */
  public static class Listener {
    /** Whether listeners start with the application context. */
    private boolean autoStartup = true;

    /** Handlers running at once per listener, 1 to 10,000. */
    private int concurrency = 16;

    /** The ordering: unordered (greatest parallelism) or key-ordered (one key at a time). */
    private Ordering ordering = Ordering.UNORDERED;

    /** Deliveries before a message is dead-lettered; 1 means no retry. */
    private int maxAttempts = 5;

    /** The retry backoff as initial[,multiplier[,max[,jitter]]], for example 1s,2.0,5m. */
    private String backoff = "1s,2.0,5m";

    /** How long stopping a listener waits for its running handlers. */
    private Duration shutdownTimeout = Duration.ofSeconds(30);

    /**
     * How long an idle listener waits before looking for messages again. Default 50 ms, or 1 s on a
     * store whose notifications cross processes (PostgreSQL with LISTEN/NOTIFY), where new messages
     * wake listeners at once and the poll is only a fallback.
     */
    private Duration pollInterval = Duration.ofMillis(50);

    private boolean pollIntervalSet;

    /** Whether a listener creates a subscribed topic that does not exist (else startup fails). */
    private boolean createMissingTopics = true;

    /** Partitions of a topic created because a listener subscribed it. */
    private int missingTopicPartitions = 1;

    /**
     * The longest a handler may run; then it is interrupted and its delivery fails (retried with
     * backoff, or dead-lettered when attempts ran out).
     */
    private Duration maxHandlerTime = Duration.ofMinutes(15);

    private Backoff parsedBackoff = BackoffFormat.parse(backoff);

    /** Whether listeners start with the context. */
    public boolean isAutoStartup() {
      return autoStartup;
    }

    /** Sets whether listeners start with the context. */
    public void setAutoStartup(boolean autoStartup) {
      this.autoStartup = autoStartup;
    }

    /** Handlers at once per listener. */
    public int getConcurrency() {
      return concurrency;
    }

    /** Sets handlers at once per listener, 1 to 10,000. */
    public void setConcurrency(int concurrency) {
      check("concurrency", "concurrency", o -> o.concurrency(concurrency));
      this.concurrency = concurrency;
    }

    /** The ordering. */
    public Ordering getOrdering() {
      return ordering;
    }

    /** Sets the ordering. */
    public void setOrdering(Ordering ordering) {
      this.ordering = ordering;
    }

    /** Deliveries before dead-lettering. */
    public int getMaxAttempts() {
      return maxAttempts;
    }

    /** Sets deliveries before dead-lettering; at least 1. */
    public void setMaxAttempts(int maxAttempts) {
      check("max-attempts", "maxAttempts", o -> o.retry(RetryPolicy.maxAttempts(maxAttempts)));
      this.maxAttempts = maxAttempts;
    }

    /** The backoff text. */
    public String getBackoff() {
      return backoff;
    }

    /** Sets the backoff; see {@link BackoffFormat}. */
    public void setBackoff(String backoff) {
      try {
        this.parsedBackoff = BackoffFormat.parse(backoff);
      } catch (InvalidConfigException e) {
        throw new InvalidConfigException("sluice.listener." + e.getMessage());
      }
      this.backoff = backoff;
    }

    /** The shutdown timeout. */
    public Duration getShutdownTimeout() {
      return shutdownTimeout;
    }

    /** Sets the shutdown timeout; zero or positive. */
    public void setShutdownTimeout(Duration shutdownTimeout) {
      check("shutdown-timeout", "shutdownTimeout", o -> o.shutdownTimeout(shutdownTimeout));
      this.shutdownTimeout = shutdownTimeout;
    }

    /** The idle poll interval. */
    public Duration getPollInterval() {
      return pollInterval;
    }

    /** Sets the idle poll interval; positive. */
    public void setPollInterval(Duration pollInterval) {
      check("poll-interval", "pollInterval", o -> o.pollInterval(pollInterval));
      this.pollInterval = pollInterval;
      this.pollIntervalSet = true;
    }

    /** Whether missing topics are created. */
    public boolean isCreateMissingTopics() {
      return createMissingTopics;
    }

    /** Sets whether missing topics are created. */
    public void setCreateMissingTopics(boolean createMissingTopics) {
      this.createMissingTopics = createMissingTopics;
    }

    /** Partitions of a created missing topic. */
    public int getMissingTopicPartitions() {
      return missingTopicPartitions;
    }

    /** Sets partitions of a created missing topic. */
    public void setMissingTopicPartitions(int missingTopicPartitions) {
      check(
          "missing-topic-partitions",
          "partitions",
          o -> Validation.partitions(missingTopicPartitions));
      this.missingTopicPartitions = missingTopicPartitions;
    }

    /** Whether {@code poll-interval} was set (else the store decides the default). */
    public boolean isPollIntervalSet() {
      return pollIntervalSet;
    }

    /** The handler time limit. */
    public Duration getMaxHandlerTime() {
      return maxHandlerTime;
    }

    /** Sets the handler time limit; at least 1 ms. */
    public void setMaxHandlerTime(Duration maxHandlerTime) {
      check("max-handler-time", "maxHandlerTime", o -> o.maxHandlerTime(maxHandlerTime));
      this.maxHandlerTime = maxHandlerTime;
    }

    /** These settings as {@link ListenerDefaults}. */
    public ListenerDefaults toDefaults() {
      return new ListenerDefaults(
          concurrency,
          ordering,
          maxAttempts,
          parsedBackoff,
          autoStartup,
          shutdownTimeout,
          pollInterval,
          createMissingTopics,
          missingTopicPartitions,
          maxHandlerTime);
    }

    /**
     * Checks a value by setting it on a group's options; the runtime's message is repeated with the
     * property's name in place of the option's.
     */
    private static void check(String property, String option, Consumer<GroupOptions<?>> set) {
      try {
        set.accept(GroupConfig.builder("sluice"));
      } catch (InvalidConfigException e) {
        String message = e.getMessage();
        throw new InvalidConfigException(
            "sluice.listener."
                + property
                + (message.startsWith(option + " ")
                    ? message.substring(option.length())
                    : ": " + message));
      }
    }
  }

  /** {@code sluice.topics.<name>.*}. */
  public static class Topic {
    /** Number of partitions, 1 to 4096. */
    private int partitions = 1;

    /** Delete messages older than this; unset keeps them forever. */
    private Duration retention;

    /** How long producer idempotency keys and processed keys are remembered. */
    private Duration dedupeWindow = TopicConfig.DEFAULT_DEDUPE_WINDOW;

    /** Partitions. */
    public int getPartitions() {
      return partitions;
    }

    /** Sets partitions. */
    public void setPartitions(int partitions) {
      this.partitions = partitions;
    }

    /** Retention by age, or null. */
    public Duration getRetention() {
      return retention;
    }

    /** Sets retention by age. */
    public void setRetention(Duration retention) {
      this.retention = retention;
    }

    /** The dedupe window. */
    public Duration getDedupeWindow() {
      return dedupeWindow;
    }

    /** Sets the dedupe window. */
    public void setDedupeWindow(Duration dedupeWindow) {
      this.dedupeWindow = dedupeWindow;
    }

    /** These settings as a {@link TopicConfig}; validates them. */
    public TopicConfig toConfig() {
      return TopicConfig.partitions(partitions)
          .withRetention(retention)
          .withDedupeWindow(dedupeWindow);
    }
  }

  /** {@code sluice.dashboard.*}. */
  public static class Dashboard {
    /**
     * Whether to serve the web dashboard as the Actuator endpoint {@code sluicedashboard} (it must
     * also be exposed: {@code management.endpoints.web.exposure.include=sluicedashboard}). Needs
     * sluice-dashboard on the classpath.
     */
    private boolean enabled = false;

    /** How often the dashboard samples each group's lag for its chart. */
    private Duration sampleInterval = Duration.ofSeconds(5);

    /** How many lag samples the chart keeps (at 5s, 120 samples are ten minutes). */
    private int historySize = 120;

    /** Whether the dashboard is served. */
    public boolean isEnabled() {
      return enabled;
    }

    /** Turns the dashboard on or off. */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** The lag sampling interval. */
    public Duration getSampleInterval() {
      return sampleInterval;
    }

    /** Sets the lag sampling interval, at least 100ms. */
    public void setSampleInterval(Duration sampleInterval) {
      if (sampleInterval == null || sampleInterval.toMillis() < 100) {
        throw new InvalidConfigException(
            "sluice.dashboard.sample-interval must be at least 100ms, found " + sampleInterval);
      }
      this.sampleInterval = sampleInterval;
    }

    /** The number of samples kept. */
    public int getHistorySize() {
      return historySize;
    }

    /** Sets the number of samples kept, at least 2. */
    public void setHistorySize(int historySize) {
      if (historySize < 2) {
        throw new InvalidConfigException(
            "sluice.dashboard.history-size must be at least 2, found " + historySize);
      }
      this.historySize = historySize;
    }
  }
}
