-- As claim_ready, but a keyed row waits while a lower offset of its key is not done.
SELECT d.partition_no, d.msg_offset, d.span, d.attempts, d.first_delivered_at
FROM ${schema}.mq_deliveries d
WHERE d.group_name = :group AND d.topic_id = :topicId AND d.visible_at <= :now
  AND (d.msg_key IS NULL OR NOT EXISTS (
        SELECT 1 FROM ${schema}.mq_deliveries e
        WHERE e.group_name = d.group_name AND e.topic_id = d.topic_id
          AND e.partition_no = d.partition_no AND e.msg_key = d.msg_key
          AND e.msg_offset < d.msg_offset))
ORDER BY d.visible_at
LIMIT :max
FOR UPDATE SKIP LOCKED
