-- Microsecond times arrive as bigint and are split into seconds and microseconds, each exact as
-- the float8 that interval arithmetic uses (one float8 of 10^17 microseconds would round).
-- Fast path for a batch whose messages all go to ONE known partition (keyed or explicit) without
-- idempotency keys, in one statement (atomic on its own: auto-commit, one round trip). It waits for
-- the partition's counter row like any keyed append, but holds it only for this statement and its
-- commit: no client round trip inside the lock window (issue 12.5).
WITH reserved AS (
  UPDATE ${schema}.mq_partitions p
  SET next_offset = p.next_offset + :count
  WHERE p.topic_id = :topicId AND p.partition_no = :partition
  RETURNING p.next_offset - :count AS base
), inserted AS (
  INSERT INTO ${schema}.mq_messages
      (topic_id, partition_no, msg_offset, msg_key, headers, payload, msg_timestamp,
       idempotency_key, deliver_at)
  SELECT :topicId, :partition, r.base + m.ord - 1, m.msg_key, m.headers, m.payload,
         TIMESTAMPTZ 'epoch' + (m.ts / 1000000) * INTERVAL '1 second'
           + (m.ts % 1000000) * INTERVAL '1 microsecond',
         NULL,
         TIMESTAMPTZ 'epoch' + (m.deliver_at / 1000000) * INTERVAL '1 second'
           + (m.deliver_at % 1000000) * INTERVAL '1 microsecond'
  FROM reserved r,
       unnest(CAST(:keys AS text[]), CAST(:headers AS jsonb[]), CAST(:payloads AS bytea[]),
              CAST(:timestamps AS bigint[]), CAST(:deliverAts AS bigint[]))
         WITH ORDINALITY AS m (msg_key, headers, payload, ts, deliver_at, ord)
  RETURNING 1
)
SELECT base, (SELECT COUNT(*) FROM inserted) AS inserted FROM reserved
