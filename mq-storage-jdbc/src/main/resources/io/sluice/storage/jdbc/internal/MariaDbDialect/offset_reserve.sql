-- Takes the partition's counter row lock until commit: commit order = offset order. No RETURNING
-- on UPDATE here: LAST_INSERT_ID(expr) keeps the new value in the session for offset_reserved.
UPDATE ${schema}.mq_partitions
SET next_offset = LAST_INSERT_ID(next_offset + :count)
WHERE topic_id = :topicId AND partition_no = :partition
