DELETE FROM ${schema}.mq_dedupe WHERE topic_id = :topicId AND accepted_at < :cutoff
