-- An unkeyed batch goes to a partition whose counter row no open transaction holds.
SELECT partition_no FROM ${schema}.mq_partitions
WHERE topic_id = :topicId
ORDER BY MOD(partition_no + :rotation, :partitions)
LIMIT 1
FOR UPDATE SKIP LOCKED
