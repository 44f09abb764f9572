SELECT msg_offset, msg_key, headers, payload, msg_timestamp, idempotency_key, deliver_at
FROM ${schema}.mq_messages
WHERE topic_id = :topicId AND partition_no = :partition AND msg_offset = ANY(:offsets)
ORDER BY msg_offset
