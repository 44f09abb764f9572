-- markStarted: counts the attempt of each named lease, once per lease, in one statement for every
-- id of the call. Fenced like an ack (current token, unexpired lease). Tokens are unique per lease,
-- so array membership names exactly the marked grants; the caller checks the returned rows.
SELECT topic_id, partition_no, msg_offset, token FROM FINAL TABLE (
  UPDATE ${schema}.mq_deliveries
  SET attempts = attempts + CASE WHEN started THEN 0 ELSE 1 END, started = TRUE
  WHERE group_name = :group
    AND topic_id = ANY(:topicIds)
    AND partition_no = ANY(:partitions)
    AND msg_offset = ANY(:offsets)
    AND token = ANY(:tokens)
    AND leased = TRUE AND visible_at > :now)
