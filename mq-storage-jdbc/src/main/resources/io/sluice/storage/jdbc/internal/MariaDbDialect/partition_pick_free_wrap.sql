-- partition_pick_free below the rotation's start partition (see there).
SELECT partition_no FROM ${schema}.mq_partitions
WHERE topic_id = :topicId AND partition_no < MOD(:partitions - :rotation, :partitions)
ORDER BY partition_no
LIMIT 1
FOR UPDATE SKIP LOCKED
