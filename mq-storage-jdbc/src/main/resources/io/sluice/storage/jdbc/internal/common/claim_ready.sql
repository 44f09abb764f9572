-- Leases that expired and retries whose delay passed. Rows another claimer holds are skipped.
SELECT partition_no, msg_offset, span, attempts, first_delivered_at
FROM ${schema}.mq_deliveries
WHERE group_name = :group AND topic_id = :topicId AND visible_at <= :now
ORDER BY visible_at
LIMIT :max
FOR UPDATE SKIP LOCKED
