-- KEY_ORDERED: held rows whose key has no lower row left (the message they waited for is done),
-- once their deliverAt has passed. A loose index scan visits each held key once (index
-- mq_deliveries_held) and takes the key's lowest row (index mq_deliveries_key), so the cost grows
-- with the number of held keys, not of held messages. Every step is a LIMIT 1 probe or a scalar
-- subquery, so the plan does not depend on table statistics. Not locked here: the claim then locks
-- the rows by primary key (held_lock).
WITH RECURSIVE held_keys (partition_no, msg_key) AS (
  (SELECT h.partition_no, h.msg_key FROM ${schema}.mq_deliveries h
   WHERE h.group_name = :group AND h.topic_id = :topicId AND h.held
   ORDER BY h.partition_no, h.msg_key
   LIMIT 1)
  UNION ALL
  SELECT n.partition_no, n.msg_key
  FROM held_keys k
  CROSS JOIN LATERAL (
    SELECT h.partition_no, h.msg_key FROM ${schema}.mq_deliveries h
    WHERE h.group_name = :group AND h.topic_id = :topicId AND h.held
      AND (h.partition_no, h.msg_key) > (k.partition_no, k.msg_key)
    ORDER BY h.partition_no, h.msg_key
    LIMIT 1) n
)
SELECT f.partition_no, f.msg_offset
FROM held_keys k
CROSS JOIN LATERAL (
  SELECT e.partition_no, e.msg_offset, e.held FROM ${schema}.mq_deliveries e
  WHERE e.group_name = :group AND e.topic_id = :topicId
    AND e.partition_no = k.partition_no AND e.msg_key = k.msg_key
  ORDER BY e.msg_offset
  LIMIT 1) f
WHERE f.held
  AND NOT COALESCE((SELECT m.deliver_at > :now FROM ${schema}.mq_messages m
                    WHERE m.topic_id = :topicId AND m.partition_no = f.partition_no
                      AND m.msg_offset = f.msg_offset), FALSE)
LIMIT :max
