-- One partition with messages beyond the group's cursor that no other claimer is working on, from
-- the rotation's start partition up (cursor_lock_next_wrap: below it). In primary-key order, not
-- ORDER BY MOD(...): InnoDB locks every row a locking read reads, before any sort, so a sorted pick
-- would lock every cursor of the group. :taken is a JSON array of partition numbers.
SELECT c.partition_no, c.next_offset
FROM ${schema}.mq_cursors c
WHERE c.group_name = :group AND c.topic_id = :topicId
  AND c.partition_no >= MOD(:partitions - :rotation, :partitions)
  AND c.partition_no NOT IN (SELECT t.p FROM JSON_TABLE(:taken, '$[*]' COLUMNS (p integer PATH '$')) t)
  AND c.next_offset < (SELECT p.next_offset FROM ${schema}.mq_partitions p
                       WHERE p.topic_id = c.topic_id AND p.partition_no = c.partition_no)
ORDER BY c.partition_no
LIMIT 1
FOR UPDATE SKIP LOCKED
