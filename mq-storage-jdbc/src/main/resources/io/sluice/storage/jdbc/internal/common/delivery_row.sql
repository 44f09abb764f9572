-- One delivery row by primary key, with its bits (the caller holds its lock).
SELECT partition_no, msg_offset, span, token, attempts, started, leased, visible_at, first_delivered_at, acked, started_bits
FROM ${schema}.mq_deliveries
WHERE group_name = :group AND topic_id = :topicId AND partition_no = :partition
  AND msg_offset = :offset
