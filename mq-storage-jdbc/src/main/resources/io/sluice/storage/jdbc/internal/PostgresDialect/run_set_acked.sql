-- The acked bits of a run row the caller located and locked.
UPDATE ${schema}.mq_deliveries SET acked = CAST(:bits AS bit varying)
WHERE group_name = :group AND topic_id = :topicId AND partition_no = :partition
  AND msg_offset = :offset
