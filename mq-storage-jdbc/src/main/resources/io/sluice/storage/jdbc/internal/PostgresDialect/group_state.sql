-- committed = the lowest offset not done: over the delivery rows, each row's first offset whose
-- acked bit is not set (a single-message row: its offset), else the cursor; inFlight = cursor -
-- committed. Offsets in [committed, cursor) without a row are done, so the messages not yet done
-- (lag) are end - cursor + the offsets the rows still hold (span minus acked bits). One index scan
-- of the group's rows per partition.
SELECT p.partition_no, p.next_offset AS end_offset, c.next_offset AS cursor_offset,
       (SELECT MIN(m.msg_offset) FROM ${schema}.mq_messages m
         WHERE m.topic_id = p.topic_id AND m.partition_no = p.partition_no) AS first_offset,
       o.open_offset, o.open_rows
FROM ${schema}.mq_partitions p
LEFT JOIN ${schema}.mq_cursors c
  ON c.group_name = :group AND c.topic_id = p.topic_id AND c.partition_no = p.partition_no
CROSS JOIN LATERAL (
  SELECT MIN(d.msg_offset + CASE WHEN d.acked IS NULL THEN 0
                                 ELSE strpos(CAST(d.acked AS text), '0') - 1 END) AS open_offset,
         SUM(d.span - CASE WHEN d.acked IS NULL THEN 0
                           ELSE length(replace(CAST(d.acked AS text), '0', '')) END) AS open_rows
  FROM ${schema}.mq_deliveries d
  WHERE d.group_name = :group AND d.topic_id = p.topic_id AND d.partition_no = p.partition_no) o
WHERE p.topic_id = :topicId
ORDER BY p.partition_no
