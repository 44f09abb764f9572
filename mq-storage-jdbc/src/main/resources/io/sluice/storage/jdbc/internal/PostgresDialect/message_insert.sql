-- Headers arrive as JSON text ([[name, value], ...]) and are stored as jsonb.
INSERT INTO ${schema}.mq_messages
    (topic_id, partition_no, msg_offset, msg_key, headers, payload, msg_timestamp,
     idempotency_key, deliver_at)
VALUES (:topicId, :partition, :offset, :key, CAST(:headers AS jsonb), :payload, :timestamp,
        :idempotencyKey, :deliverAt)
