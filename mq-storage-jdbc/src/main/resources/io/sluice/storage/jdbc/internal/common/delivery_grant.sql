-- A new lease on a row the claim has locked. No attempt is counted here (markStarted does).
UPDATE ${schema}.mq_deliveries
SET token = :token, leased = TRUE, held = FALSE, started = FALSE, visible_at = :until,
    first_delivered_at = COALESCE(first_delivered_at, :now)
WHERE group_name = :group AND topic_id = :topicId AND partition_no = :partition
  AND msg_offset = :offset
