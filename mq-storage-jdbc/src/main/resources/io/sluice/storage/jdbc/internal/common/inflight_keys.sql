SELECT DISTINCT msg_key FROM ${schema}.mq_deliveries
WHERE group_name = :group AND topic_id = :topicId AND partition_no = :partition
  AND msg_key IS NOT NULL
