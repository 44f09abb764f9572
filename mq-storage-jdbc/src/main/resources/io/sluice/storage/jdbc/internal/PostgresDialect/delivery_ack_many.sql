-- All acks of one call for one topic in one statement. Array membership (no join) keeps the plan
-- a primary-key index scan whatever the table statistics say. Tokens are unique per lease, so
-- token = ANY(:tokens) names exactly the acked grants; the caller checks the returned triples.
DELETE FROM ${schema}.mq_deliveries
WHERE group_name = :group AND topic_id = :topicId
  AND partition_no = ANY(CAST(:partitions AS integer[]))
  AND msg_offset = ANY(CAST(:offsets AS bigint[]))
  AND token = ANY(CAST(:tokens AS bigint[]))
  AND leased = TRUE AND visible_at > :now
RETURNING partition_no, msg_offset, token
