SELECT id, name, partitions, retention_ms, retention_bytes, retain_until_consumed,
       dedupe_window_ms, max_message_bytes
FROM ${schema}.mq_topics
WHERE name = :name
