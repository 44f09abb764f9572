UPDATE ${schema}.mq_deliveries
SET leased = FALSE, visible_at = :visibleAt, attempts = attempts - :uncount
WHERE group_name = :group AND topic_id = :topicId AND partition_no = :partition
  AND msg_offset = :offset AND token = :token AND leased = TRUE AND visible_at > :now
