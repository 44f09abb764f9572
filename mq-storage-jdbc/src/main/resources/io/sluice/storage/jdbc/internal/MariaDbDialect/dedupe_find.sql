-- :keys is a JSON array of idempotency keys.
SELECT d.idempotency_key, d.partition_no, d.msg_offset, d.msg_timestamp
FROM ${schema}.mq_dedupe d
WHERE d.topic_id = :topicId
  AND d.idempotency_key IN (SELECT j.k FROM JSON_TABLE(:keys, '$[*]' COLUMNS (k varchar(256) PATH '$')) j)
