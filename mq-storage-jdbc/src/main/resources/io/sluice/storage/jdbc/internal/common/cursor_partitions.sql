SELECT partition_no FROM ${schema}.mq_cursors
WHERE group_name = :group AND topic_id = :topicId
