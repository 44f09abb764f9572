-- A row for what a claim passed: a leased run of span messages (tokens token .. token + span - 1),
-- or a single message (span 1) that is leased, waiting for its deliverAt, or held (KEY_ORDERED).
INSERT INTO ${schema}.mq_deliveries
    (group_name, topic_id, partition_no, msg_offset, msg_key, token, attempts, leased, held,
     visible_at, first_delivered_at, span)
VALUES (:group, :topicId, :partition, :offset, :key, :token, 0, :leased, :held, :visibleAt,
        :firstDeliveredAt, :span)
