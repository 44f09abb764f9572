SELECT p.partition_no, p.next_offset,
       (SELECT MIN(m.msg_offset) FROM ${schema}.mq_messages m
         WHERE m.topic_id = p.topic_id AND m.partition_no = p.partition_no) AS first_offset
FROM ${schema}.mq_partitions p
WHERE p.topic_id = :topicId
ORDER BY p.partition_no
