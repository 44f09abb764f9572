UPDATE ${schema}.mq_cursors SET next_offset = :cutoff
WHERE topic_id = :topicId AND partition_no = :partition AND next_offset < :cutoff
