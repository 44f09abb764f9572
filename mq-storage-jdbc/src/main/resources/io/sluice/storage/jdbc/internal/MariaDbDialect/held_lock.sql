-- Locks the held heads a claim found (held_heads) by primary key, skipping rows another claimer
-- holds; a row granted meanwhile is no longer held and drops out. :offsets is a JSON array.
SELECT partition_no, msg_offset, span, attempts, first_delivered_at
FROM ${schema}.mq_deliveries
WHERE group_name = :group AND topic_id = :topicId AND partition_no = :partition
  AND msg_offset IN (SELECT j.o FROM JSON_TABLE(:offsets, '$[*]' COLUMNS (o bigint PATH '$')) j)
  AND held = TRUE
ORDER BY msg_offset
FOR UPDATE SKIP LOCKED
