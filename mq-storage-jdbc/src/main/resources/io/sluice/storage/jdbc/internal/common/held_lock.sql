-- Locks the held heads a claim found (held_heads) by primary key, skipping rows another claimer
-- holds; a row granted meanwhile is no longer held and drops out.
SELECT partition_no, msg_offset, span, attempts, first_delivered_at
FROM ${schema}.mq_deliveries
WHERE group_name = :group AND topic_id = :topicId AND partition_no = :partition
  AND msg_offset = ANY(:offsets) AND held = TRUE
ORDER BY msg_offset
FOR UPDATE SKIP LOCKED
