-- delivery_window for many windows in one statement: for each (partition, lo, hi), the current
-- (leased, unexpired) rows starting between the start of the row that can contain lo (a backward
-- probe of the primary key) and hi, locked. Windows may overlap: the caller drops repeated rows.
SELECT d.partition_no, d.msg_offset, d.span, d.token, d.attempts, d.started, d.leased,
       d.visible_at, d.first_delivered_at,
       CAST(d.acked AS text) AS acked, CAST(d.started_bits AS text) AS started_bits
FROM unnest(CAST(:partitions AS integer[]), CAST(:los AS bigint[]), CAST(:his AS bigint[]))
       AS w (p, lo, hi)
CROSS JOIN LATERAL (
  SELECT * FROM ${schema}.mq_deliveries r
  WHERE r.group_name = :group AND r.topic_id = :topicId AND r.partition_no = w.p
    AND r.msg_offset >= COALESCE((SELECT s.msg_offset FROM ${schema}.mq_deliveries s
                                  WHERE s.group_name = :group AND s.topic_id = :topicId
                                    AND s.partition_no = w.p AND s.msg_offset <= w.lo
                                  ORDER BY s.msg_offset DESC
                                  LIMIT 1), w.lo)
    AND r.msg_offset <= w.hi
    AND r.leased AND r.visible_at > :now
  ORDER BY r.msg_offset
  FOR UPDATE) d
