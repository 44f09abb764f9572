DELETE FROM ${schema}.mq_deliveries
WHERE topic_id = :topicId AND partition_no = :partition AND msg_offset < :cutoff
