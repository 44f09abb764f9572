-- The current (leased, unexpired) delivery rows of one partition starting in [:from, :hi], locked:
-- with :from from delivery_floor, every row that can hold an offset in [:lo, :hi]. A run row's bits
-- are text of '0' and '1', leftmost = msg_offset.
SELECT partition_no, msg_offset, span, token, attempts, started, leased, visible_at, first_delivered_at, acked, started_bits
FROM ${schema}.mq_deliveries
WHERE group_name = :group AND topic_id = :topicId AND partition_no = :partition
  AND msg_offset >= :from AND msg_offset <= :hi
  AND leased = TRUE AND visible_at > :now
ORDER BY msg_offset
FOR UPDATE
