-- markStarted of a single-message row the caller located and locked: counts its attempt once per
-- lease (started makes a second mark a no-op; every grant clears it).
UPDATE ${schema}.mq_deliveries
SET attempts = attempts + CASE WHEN started THEN 0 ELSE 1 END, started = TRUE
WHERE group_name = :group AND topic_id = :topicId AND partition_no = :partition
  AND msg_offset = :offset
