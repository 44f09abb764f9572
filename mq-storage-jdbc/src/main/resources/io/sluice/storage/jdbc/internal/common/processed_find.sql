SELECT COUNT(*) FROM ${schema}.mq_processed
WHERE group_name = :group AND topic_id = :topicId AND processed_key = :key
  AND processed_at >= :cutoff
