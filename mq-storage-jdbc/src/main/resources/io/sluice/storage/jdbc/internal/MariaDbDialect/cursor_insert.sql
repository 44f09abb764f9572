-- Creates the cursor unless it exists (a no-op update on the duplicate).
INSERT INTO ${schema}.mq_cursors (group_name, topic_id, partition_no, next_offset)
VALUES (:group, :topicId, :partition, :offset)
ON DUPLICATE KEY UPDATE next_offset = next_offset
