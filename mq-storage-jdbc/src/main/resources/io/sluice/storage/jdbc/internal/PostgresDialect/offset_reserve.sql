-- Takes the partition's counter row lock until commit: commit order = offset order.
UPDATE ${schema}.mq_partitions
SET next_offset = next_offset + :count
WHERE topic_id = :topicId AND partition_no = :partition
RETURNING next_offset
