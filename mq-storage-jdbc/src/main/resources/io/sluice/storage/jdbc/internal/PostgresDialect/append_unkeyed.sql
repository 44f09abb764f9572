-- Microsecond times arrive as bigint and are split into seconds and microseconds, each exact as
-- the float8 that interval arithmetic uses (one float8 of 10^17 microseconds would round).
-- Fast path for a batch of unkeyed messages without idempotency keys, in one statement (atomic
-- on its own, so it runs in auto-commit: one round trip). It takes a partition whose counter row
-- no open transaction holds, reserves the offsets and inserts the rows. No row returned means every
-- partition was busy: the caller falls back to the general path.
WITH free AS (
  SELECT partition_no FROM ${schema}.mq_partitions
  WHERE topic_id = :topicId
  ORDER BY MOD(partition_no + :rotation, :partitions)
  LIMIT 1
  FOR UPDATE SKIP LOCKED
), reserved AS (
  UPDATE ${schema}.mq_partitions p
  SET next_offset = p.next_offset + :count
  FROM free
  WHERE p.topic_id = :topicId AND p.partition_no = free.partition_no
  RETURNING p.partition_no, p.next_offset - :count AS base
), inserted AS (
  INSERT INTO ${schema}.mq_messages
      (topic_id, partition_no, msg_offset, msg_key, headers, payload, msg_timestamp,
       idempotency_key, deliver_at)
  SELECT :topicId, r.partition_no, r.base + m.ord - 1, NULL, m.headers, m.payload,
         TIMESTAMPTZ 'epoch' + (m.ts / 1000000) * INTERVAL '1 second'
           + (m.ts % 1000000) * INTERVAL '1 microsecond',
         NULL,
         TIMESTAMPTZ 'epoch' + (m.deliver_at / 1000000) * INTERVAL '1 second'
           + (m.deliver_at % 1000000) * INTERVAL '1 microsecond'
  FROM reserved r,
       unnest(CAST(:headers AS jsonb[]), CAST(:payloads AS bytea[]), CAST(:timestamps AS bigint[]),
              CAST(:deliverAts AS bigint[]))
         WITH ORDINALITY AS m (headers, payload, ts, deliver_at, ord)
  RETURNING 1
)
SELECT partition_no, base, (SELECT COUNT(*) FROM inserted) AS inserted FROM reserved
