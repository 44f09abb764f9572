DELETE FROM ${schema}.mq_messages
WHERE topic_id = :topicId AND partition_no = :partition
  AND msg_offset >= :from AND msg_offset < :to
