-- One message of an exploded run as its own row: same token as in the run (token + i), its
-- attempts (the run's, plus one if its started bit was set) and its started flag.
INSERT INTO ${schema}.mq_deliveries
    (group_name, topic_id, partition_no, msg_offset, msg_key, token, attempts, leased, held,
     started, visible_at, first_delivered_at, span)
VALUES (:group, :topicId, :partition, :offset, NULL, :token, :attempts, :leased, FALSE,
        :started, :visibleAt, :firstDeliveredAt, 1)
