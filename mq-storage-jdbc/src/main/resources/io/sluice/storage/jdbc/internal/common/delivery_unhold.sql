-- An unordered claim of a group that has held rows (it claimed KEY_ORDERED before; claim_start
-- says so, and only then does this run): they no longer wait for their key and become ordinary
-- waiting rows, visible at their deliverAt or now.
UPDATE ${schema}.mq_deliveries
SET held = FALSE,
    visible_at = COALESCE((SELECT m.deliver_at FROM ${schema}.mq_messages m
                           WHERE m.topic_id = mq_deliveries.topic_id
                             AND m.partition_no = mq_deliveries.partition_no
                             AND m.msg_offset = mq_deliveries.msg_offset
                             AND m.deliver_at > :now), :now)
WHERE group_name = :group AND topic_id = :topicId AND held = TRUE
