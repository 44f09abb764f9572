-- One delivery row by primary key, with its bits as text (the caller holds its lock). A run's
-- started bits are its own OR its mq_run_starts rows' (V5); read after the lock was taken, so every
-- mark committed before it is seen and none can come in while it is held.
SELECT d.partition_no, d.msg_offset, d.span, d.token, d.attempts, d.started, d.leased,
       d.visible_at, d.first_delivered_at, CAST(d.acked AS text) AS acked,
       CAST(CASE WHEN d.started_bits IS NULL THEN s.bits
                 WHEN s.bits IS NULL THEN d.started_bits
                 ELSE d.started_bits | s.bits END AS text) AS started_bits
FROM ${schema}.mq_deliveries d
LEFT JOIN LATERAL (
  SELECT bit_or(CAST(m.bits AS bit varying)) AS bits FROM ${schema}.mq_run_starts m
  WHERE m.group_name = d.group_name AND m.topic_id = d.topic_id
    AND m.partition_no = d.partition_no AND m.msg_offset = d.msg_offset) s ON TRUE
WHERE d.group_name = :group AND d.topic_id = :topicId AND d.partition_no = :partition
  AND d.msg_offset = :offset
