SELECT DISTINCT group_name FROM ${schema}.mq_cursors WHERE topic_id = :topicId ORDER BY group_name
