INSERT INTO ${schema}.mq_topics
    (name, partitions, retention_ms, retention_bytes, retain_until_consumed, dedupe_window_ms,
     max_message_bytes, created_at)
VALUES (:name, :partitions, :retentionMs, :retentionBytes, :retainUntilConsumed, :dedupeWindowMs,
        :maxMessageBytes, :now)
