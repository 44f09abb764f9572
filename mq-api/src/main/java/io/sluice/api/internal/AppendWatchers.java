package io.sluice.api.internal;

import io.sluice.spi.AppendWatch;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The listeners of {@link io.sluice.spi.Storage#watchAppends}, per topic, for stores that notify
 * appends made through them. {@link #appended} costs one map lookup when nobody watches the topic.
 * A listener that throws is logged and does not stop the others or fail the append.
 */
public final class AppendWatchers {
  private static final System.Logger LOG = System.getLogger(AppendWatchers.class.getName());

  private final ConcurrentHashMap<String, List<Runnable>> byTopic = new ConcurrentHashMap<>();

  /** Registers {@code listener} for appends to {@code topic}. */
  public AppendWatch add(String topic, Runnable listener) {
    Validation.topic(topic);
    Validation.required("listener", listener);
    // A distinct object per registration, so the same listener registered twice is removed once.
    Runnable entry = listener::run;
    byTopic.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(entry);
    return () -> {
      List<Runnable> listeners = byTopic.get(topic);
      if (listeners != null) {
        listeners.remove(entry);
      }
    };
  }

  /** Tells the watchers of {@code topic} that messages became visible there. */
  public void appended(String topic) {
    List<Runnable> listeners = byTopic.get(topic);
    if (listeners == null) {
      return;
    }
    for (Runnable r : listeners) {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "an append watcher of topic " + topic + " failed", e);
      }
    }
  }

  /** Tells the watchers of every topic (after a change that may concern any of them). */
  public void appendedAll() {
    for (String topic : byTopic.keySet()) {
      appended(topic);
    }
  }
}
