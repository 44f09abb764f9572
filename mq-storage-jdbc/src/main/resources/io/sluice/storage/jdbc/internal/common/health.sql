SELECT COUNT(*) FROM ${schema}.mq_topics WHERE id = -1
