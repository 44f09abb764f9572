-- KEY_ORDERED: held rows whose key has no lower row left (the message they waited for is done),
-- once their deliverAt has passed. Not locked here: the claim then locks them by primary key
-- (held_lock). This general form checks every held row of the group; PostgreSQL has a form that
-- probes one key at a time.
SELECT d.partition_no, d.msg_offset
FROM ${schema}.mq_deliveries d
WHERE d.group_name = :group AND d.topic_id = :topicId AND d.held = TRUE
  AND NOT EXISTS (
        SELECT 1 FROM ${schema}.mq_deliveries e
        WHERE e.group_name = d.group_name AND e.topic_id = d.topic_id
          AND e.partition_no = d.partition_no AND e.msg_key = d.msg_key
          AND e.msg_offset < d.msg_offset)
  AND NOT EXISTS (
        SELECT 1 FROM ${schema}.mq_messages m
        WHERE m.topic_id = d.topic_id AND m.partition_no = d.partition_no
          AND m.msg_offset = d.msg_offset AND m.deliver_at > :now)
ORDER BY d.partition_no, d.msg_offset
LIMIT :max
