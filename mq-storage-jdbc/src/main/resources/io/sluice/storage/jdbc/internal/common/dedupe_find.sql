SELECT idempotency_key, partition_no, msg_offset, msg_timestamp
FROM ${schema}.mq_dedupe
WHERE topic_id = :topicId AND idempotency_key = ANY(:keys)
