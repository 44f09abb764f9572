-- Microsecond times arrive as bigint and are split into seconds and microseconds, each exact as
-- the float8 that interval arithmetic uses (one float8 of 10^17 microseconds would round).
-- Fast path for a batch that spreads over several partitions (keyed, explicit, or unkeyed placed by
-- the caller) without idempotency keys, in one statement (atomic on its own: auto-commit, one round
-- trip instead of a reserve and an insert per partition). The counter rows are locked in ascending
-- partition order first (locked: LockRows sits above the sort, so rows are locked in that order),
-- so it never deadlocks with other appends; then each partition's offsets are reserved and its
-- messages, in batch order, get consecutive offsets from its base.
WITH counts AS (
  SELECT part, COUNT(*) AS n FROM unnest(CAST(:parts AS int[])) AS part GROUP BY part
), locked AS MATERIALIZED (
  SELECT p.partition_no
  FROM ${schema}.mq_partitions p
  WHERE p.topic_id = :topicId AND p.partition_no IN (SELECT part FROM counts)
  ORDER BY p.partition_no
  FOR UPDATE
), reserved AS (
  UPDATE ${schema}.mq_partitions p
  SET next_offset = p.next_offset + counts.n
  FROM counts JOIN locked ON locked.partition_no = counts.part
  WHERE p.topic_id = :topicId AND p.partition_no = counts.part
  RETURNING p.partition_no, p.next_offset - counts.n AS base
), msgs AS (
  SELECT m.*, ROW_NUMBER() OVER (PARTITION BY m.part ORDER BY m.ord) AS idx
  FROM unnest(CAST(:parts AS int[]), CAST(:keys AS text[]), CAST(:headers AS jsonb[]),
              CAST(:payloads AS bytea[]), CAST(:timestamps AS bigint[]),
              CAST(:deliverAts AS bigint[]))
         WITH ORDINALITY AS m (part, msg_key, headers, payload, ts, deliver_at, ord)
), inserted AS (
  INSERT INTO ${schema}.mq_messages
      (topic_id, partition_no, msg_offset, msg_key, headers, payload, msg_timestamp,
       idempotency_key, deliver_at)
  SELECT :topicId, m.part, r.base + m.idx - 1, m.msg_key, m.headers, m.payload,
         TIMESTAMPTZ 'epoch' + (m.ts / 1000000) * INTERVAL '1 second'
           + (m.ts % 1000000) * INTERVAL '1 microsecond',
         NULL,
         TIMESTAMPTZ 'epoch' + (m.deliver_at / 1000000) * INTERVAL '1 second'
           + (m.deliver_at % 1000000) * INTERVAL '1 microsecond'
  FROM msgs m JOIN reserved r ON r.partition_no = m.part
  RETURNING 1
)
SELECT partition_no, base, (SELECT COUNT(*) FROM inserted) AS inserted FROM reserved
