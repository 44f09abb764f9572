-- The start of the only delivery row that can contain offset :lo: the greatest row start at or
-- below it (rows never overlap). A backward probe of the primary key.
SELECT MAX(msg_offset) FROM ${schema}.mq_deliveries
WHERE group_name = :group AND topic_id = :topicId AND partition_no = :partition
  AND msg_offset <= :lo
