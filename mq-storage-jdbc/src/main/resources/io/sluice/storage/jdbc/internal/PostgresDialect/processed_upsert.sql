INSERT INTO ${schema}.mq_processed (group_name, topic_id, processed_key, processed_at)
VALUES (:group, :topicId, :key, :now)
ON CONFLICT (group_name, topic_id, processed_key) DO UPDATE SET processed_at = EXCLUDED.processed_at
