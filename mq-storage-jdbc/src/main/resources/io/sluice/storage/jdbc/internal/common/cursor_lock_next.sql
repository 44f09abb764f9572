-- One partition with messages beyond the group's cursor that no other claimer is working on.
SELECT c.partition_no, c.next_offset
FROM ${schema}.mq_cursors c
WHERE c.group_name = :group AND c.topic_id = :topicId
  AND NOT (c.partition_no = ANY(:taken))
  AND c.next_offset < (SELECT p.next_offset FROM ${schema}.mq_partitions p
                       WHERE p.topic_id = c.topic_id AND p.partition_no = c.partition_no)
ORDER BY MOD(c.partition_no + :rotation, :partitions)
LIMIT 1
FOR UPDATE SKIP LOCKED
