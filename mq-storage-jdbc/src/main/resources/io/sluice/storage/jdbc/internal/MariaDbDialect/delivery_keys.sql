-- Which of these keys still have a delivery row (in flight, waiting or held) in the partition:
-- their next messages are held back (KEY_ORDERED). :keys is a JSON array. Index mq_deliveries_key.
SELECT DISTINCT d.msg_key FROM ${schema}.mq_deliveries d
WHERE d.group_name = :group AND d.topic_id = :topicId AND d.partition_no = :partition
  AND d.msg_key IN (SELECT j.k FROM JSON_TABLE(:keys, '$[*]' COLUMNS (k varchar(1024) PATH '$')) j)
