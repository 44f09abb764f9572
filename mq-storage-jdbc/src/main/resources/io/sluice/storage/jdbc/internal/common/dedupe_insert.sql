INSERT INTO ${schema}.mq_dedupe
    (topic_id, idempotency_key, partition_no, msg_offset, msg_timestamp, accepted_at)
VALUES (:topicId, :key, :partition, :offset, :timestamp, :now)
