INSERT INTO ${schema}.mq_cursors (group_name, topic_id, partition_no, next_offset)
VALUES (:group, :topicId, :partition, :offset)
ON CONFLICT DO NOTHING
