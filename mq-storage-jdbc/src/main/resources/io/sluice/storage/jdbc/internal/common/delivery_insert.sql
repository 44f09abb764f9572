INSERT INTO ${schema}.mq_deliveries
    (group_name, topic_id, partition_no, msg_offset, msg_key, token, attempts, leased, held,
     visible_at, first_delivered_at)
VALUES (:group, :topicId, :partition, :offset, :key, :token, 0, :leased, :held, :visibleAt,
        :firstDeliveredAt)
