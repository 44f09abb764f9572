-- :keys is a JSON array of idempotency keys; a join (not IN) so that each is one primary-key probe.
DELETE d
FROM JSON_TABLE(:keys, '$[*]' COLUMNS (k varchar(256) PATH '$')) j
STRAIGHT_JOIN ${schema}.mq_dedupe d ON d.topic_id = :topicId AND d.idempotency_key = j.k
WHERE d.accepted_at < :cutoff
