-- markStarted: counts the attempt of each named lease, once per lease, in one statement for every
-- id of the call. Fenced like an ack (current token, unexpired lease). Tokens are unique per lease,
-- so array membership names exactly the marked grants; the caller checks the returned rows.
UPDATE ${schema}.mq_deliveries
SET attempts = attempts + CASE WHEN started THEN 0 ELSE 1 END, started = TRUE
WHERE group_name = :group
  AND topic_id = ANY(CAST(:topicIds AS integer[]))
  AND partition_no = ANY(CAST(:partitions AS integer[]))
  AND msg_offset = ANY(CAST(:offsets AS bigint[]))
  AND token = ANY(CAST(:tokens AS bigint[]))
  AND leased = TRUE AND visible_at > :now
RETURNING topic_id, partition_no, msg_offset, token
