-- Fencing: only the current, unexpired grant (token) completes the message.
DELETE FROM ${schema}.mq_deliveries
WHERE group_name = :group AND topic_id = :topicId AND partition_no = :partition
  AND msg_offset = :offset AND token = :token AND leased = TRUE AND visible_at > :now
