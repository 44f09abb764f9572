-- committed = lowest offset with a delivery row, else the cursor; inFlight = cursor - committed.
-- Offsets in [committed, cursor) without a row are done out of order, so the messages not yet done
-- (lag) are end - cursor + the rows left: one index-only count of the group's rows per partition.
SELECT p.partition_no, p.next_offset AS end_offset, c.next_offset AS cursor_offset,
       (SELECT MIN(m.msg_offset) FROM ${schema}.mq_messages m
         WHERE m.topic_id = p.topic_id AND m.partition_no = p.partition_no) AS first_offset,
       (SELECT MIN(d.msg_offset) FROM ${schema}.mq_deliveries d
         WHERE d.group_name = :group AND d.topic_id = p.topic_id
           AND d.partition_no = p.partition_no) AS open_offset,
       (SELECT COUNT(*) FROM ${schema}.mq_deliveries d
         WHERE d.group_name = :group AND d.topic_id = p.topic_id
           AND d.partition_no = p.partition_no) AS open_rows
FROM ${schema}.mq_partitions p
LEFT JOIN ${schema}.mq_cursors c
  ON c.group_name = :group AND c.topic_id = p.topic_id AND c.partition_no = p.partition_no
WHERE p.topic_id = :topicId
ORDER BY p.partition_no
