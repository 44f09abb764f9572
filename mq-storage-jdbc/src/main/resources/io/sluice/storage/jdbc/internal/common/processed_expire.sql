DELETE FROM ${schema}.mq_processed WHERE topic_id = :topicId AND processed_at < :cutoff
