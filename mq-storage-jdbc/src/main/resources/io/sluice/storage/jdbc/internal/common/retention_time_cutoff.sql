SELECT MIN(msg_offset) FROM ${schema}.mq_messages
WHERE topic_id = :topicId AND partition_no = :partition AND msg_timestamp >= :cutoff
