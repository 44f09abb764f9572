-- Retention: run rows of any group that hold offsets on both sides of the cutoff (split before the
-- rows below the cutoff are deleted), locked.
SELECT group_name, partition_no, msg_offset, span, token, attempts, started, leased, visible_at, first_delivered_at, acked, started_bits
FROM ${schema}.mq_deliveries
WHERE topic_id = :topicId AND partition_no = :partition
  AND msg_offset < :cutoff AND msg_offset + span > :cutoff
FOR UPDATE
