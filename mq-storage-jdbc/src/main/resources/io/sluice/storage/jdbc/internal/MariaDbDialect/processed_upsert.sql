INSERT INTO ${schema}.mq_processed (group_name, topic_id, processed_key, processed_at)
VALUES (:group, :topicId, :key, :now)
ON DUPLICATE KEY UPDATE processed_at = VALUE(processed_at)
