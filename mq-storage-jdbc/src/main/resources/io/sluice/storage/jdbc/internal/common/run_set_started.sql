-- The started bits of a run row the caller located and locked (one attempt counted per bit).
UPDATE ${schema}.mq_deliveries SET started_bits = :bits
WHERE group_name = :group AND topic_id = :topicId AND partition_no = :partition
  AND msg_offset = :offset
