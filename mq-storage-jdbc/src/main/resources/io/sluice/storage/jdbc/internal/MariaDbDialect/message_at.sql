-- :offsets is a JSON array.
SELECT msg_offset, msg_key, headers, payload, msg_timestamp, idempotency_key, deliver_at
FROM ${schema}.mq_messages
WHERE topic_id = :topicId AND partition_no = :partition
  AND msg_offset IN (SELECT j.o FROM JSON_TABLE(:offsets, '$[*]' COLUMNS (o bigint PATH '$')) j)
ORDER BY msg_offset
