UPDATE ${schema}.mq_topics SET partitions = :partitions WHERE id = :topicId
