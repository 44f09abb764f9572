UPDATE ${schema}.mq_cursors SET next_offset = :next
WHERE group_name = :group AND topic_id = :topicId AND partition_no = :partition
