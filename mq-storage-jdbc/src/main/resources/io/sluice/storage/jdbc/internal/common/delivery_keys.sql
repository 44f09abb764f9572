-- Which of these keys still have a delivery row (in flight, waiting or held) in the partition:
-- their next messages are held back (KEY_ORDERED). Index mq_deliveries_key.
SELECT DISTINCT msg_key FROM ${schema}.mq_deliveries
WHERE group_name = :group AND topic_id = :topicId AND partition_no = :partition
  AND msg_key = ANY(:keys)
