-- Deletes a delivery row the caller located and locked (a done single message or a fully acked run).
DELETE FROM ${schema}.mq_deliveries
WHERE group_name = :group AND topic_id = :topicId AND partition_no = :partition
  AND msg_offset = :offset
