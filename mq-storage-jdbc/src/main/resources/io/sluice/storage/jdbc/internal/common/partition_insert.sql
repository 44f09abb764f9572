INSERT INTO ${schema}.mq_partitions (topic_id, partition_no, next_offset)
VALUES (:topicId, :partition, 0)
