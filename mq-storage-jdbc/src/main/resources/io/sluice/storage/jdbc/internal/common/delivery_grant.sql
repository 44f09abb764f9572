UPDATE ${schema}.mq_deliveries
SET token = :token, attempts = attempts + 1, leased = TRUE, visible_at = :until,
    first_delivered_at = COALESCE(first_delivered_at, :now)
WHERE group_name = :group AND topic_id = :topicId AND partition_no = :partition
  AND msg_offset = :offset
