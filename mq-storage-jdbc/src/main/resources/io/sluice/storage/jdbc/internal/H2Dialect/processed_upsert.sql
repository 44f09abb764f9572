MERGE INTO ${schema}.mq_processed (group_name, topic_id, processed_key, processed_at)
KEY (group_name, topic_id, processed_key)
VALUES (:group, :topicId, :key, :now)
