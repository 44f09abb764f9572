package io.sluice.storage.jdbc.internal;

import io.sluice.spi.PauseRequest;
import java.time.Instant;
import org.jdbi.v3.core.Handle;

/**
 * Persistent pauses in {@code mq_pauses}: one row per paused group and topic, topic {@value #ALL}
 * for the whole group (never a valid topic name). Every process sharing the database sees them;
 * claims probe them in their first statement ({@code claim_start}, or the fast path's {@code
 * paused} step), so a pause is obeyed by every member from its next poll.
 */
public final class Pauses {
  /** The topic name that stands for every topic of a group. */
  static final String ALL = "*";

  private final Statements sql;

  /** Pauses read and written with these statements. */
  public Pauses(Statements sql) {
    this.sql = sql;
  }

  /** Applies a pause or resume; idempotent. */
  public void apply(Handle h, PauseRequest r, Instant now) {
    String topic = r.topic() == null ? ALL : r.topic();
    if (r.paused()) {
      try {
        h.createUpdate(sql.get("pause_insert"))
            .bind("group", r.group())
            .bind("topic", topic)
            .bind("now", Database.ts(now))
            .execute();
      } catch (RuntimeException e) {
        if (Database.uniqueViolation(sql.dialect(), e)) {
          throw new RetryableConflict("pause of " + r.group() + " set concurrently", e);
        }
        throw e;
      }
    } else if (r.topic() == null) {
      h.createUpdate(sql.get("pause_delete_group")).bind("group", r.group()).execute();
    } else {
      h.createUpdate(sql.get("pause_delete_topic"))
          .bind("group", r.group())
          .bind("topic", topic)
          .execute();
    }
  }

  /** Whether the group is paused for the topic, or (topic null) group-wide. */
  public boolean isPaused(Handle h, String group, String topic) {
    return h.createQuery(sql.get("pause_find"))
            .bind("group", group)
            .bind("topic", topic == null ? ALL : topic)
            .mapTo(Long.class)
            .one()
        > 0;
  }
}
