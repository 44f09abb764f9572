SELECT next_offset FROM ${schema}.mq_cursors
WHERE group_name = :group AND topic_id = :topicId AND partition_no = :partition
FOR UPDATE
