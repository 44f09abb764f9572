-- An unkeyed batch goes to a partition whose counter row no open transaction holds, from the
-- rotation's start partition up (partition_pick_free_wrap: below it). In primary-key order, not
-- ORDER BY MOD(...): InnoDB locks every row a locking read reads, before any sort, so a sorted pick
-- would lock every partition of the topic.
SELECT partition_no FROM ${schema}.mq_partitions
WHERE topic_id = :topicId AND partition_no >= MOD(:partitions - :rotation, :partitions)
ORDER BY partition_no
LIMIT 1
FOR UPDATE SKIP LOCKED
