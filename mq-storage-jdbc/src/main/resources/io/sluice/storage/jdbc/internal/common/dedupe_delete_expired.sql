DELETE FROM ${schema}.mq_dedupe
WHERE topic_id = :topicId AND idempotency_key = ANY(:keys) AND accepted_at < :cutoff
