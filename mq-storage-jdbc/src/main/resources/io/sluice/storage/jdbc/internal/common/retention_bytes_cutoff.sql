-- The highest offset whose message, with all newer ones, exceeds the byte limit.
SELECT MAX(msg_offset) FROM (
  SELECT msg_offset,
         SUM(OCTET_LENGTH(payload)) OVER (ORDER BY msg_offset DESC) AS tail_bytes
  FROM ${schema}.mq_messages
  WHERE topic_id = :topicId AND partition_no = :partition) x
WHERE tail_bytes > :limit
