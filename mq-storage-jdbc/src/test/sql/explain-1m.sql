-- EXPLAIN (ANALYZE, BUFFERS) of the hot statements on 1,000,000 messages.
-- Run: psql -h 127.0.0.1 -U postgres test -f mq-storage-jdbc/src/test/sql/explain-1m.sql
-- Builds schema sluice_explain from the real migration, fills it, explains, and drops it.
\set ON_ERROR_STOP on
DROP SCHEMA IF EXISTS sluice_explain CASCADE;
CREATE SCHEMA sluice_explain;
SET search_path = sluice_explain;
\i mq-storage-jdbc/src/main/resources/db/migration/postgresql/V1__init.sql
\i mq-storage-jdbc/src/main/resources/db/migration/postgresql/V2__attempts_pauses_held_keys.sql

INSERT INTO mq_topics (name, partitions, retention_ms, retention_bytes, retain_until_consumed,
                       dedupe_window_ms, max_message_bytes, created_at)
VALUES ('orders', 8, NULL, 0, false, 86400000, 1048576, now());
-- 1,000,000 messages, 125,000 per partition, 256-byte payloads.
INSERT INTO mq_partitions SELECT 1, p, 125000 FROM generate_series(0, 7) p;
INSERT INTO mq_messages (topic_id, partition_no, msg_offset, payload, msg_timestamp)
SELECT 1, i % 8, i / 8, decode(repeat('ab', 256), 'hex'), now() - interval '1 hour' + (i || ' ms')::interval
FROM generate_series(0, 999999) i;
-- Group g has consumed half of each partition; 1,000 deliveries in flight per partition.
INSERT INTO mq_cursors SELECT 'g', 1, p, 63500 FROM generate_series(0, 7) p;
INSERT INTO mq_deliveries (group_name, topic_id, partition_no, msg_offset, msg_key, token, attempts,
                           leased, visible_at, first_delivered_at)
SELECT 'g', 1, p, o, NULL, 1000000 + o, 0, true, now() + interval '30 seconds', now()
FROM generate_series(0, 7) p, generate_series(62500, 63499) o;
-- Group k claims KEY_ORDERED in partition 0: key A has its head leased (offset 0) and 20,000 held
-- messages behind it; 1,000 other keys each have a leased head and one held follower.
INSERT INTO mq_cursors VALUES ('k', 1, 0, 22001);
INSERT INTO mq_deliveries (group_name, topic_id, partition_no, msg_offset, msg_key, token, attempts,
                           leased, held, visible_at, first_delivered_at)
SELECT 'k', 1, 0, o, 'A', CASE WHEN o = 0 THEN 7 ELSE 0 END, 0, o = 0, o > 0,
       CASE WHEN o = 0 THEN now() + interval '30 seconds' ELSE '9999-12-31' END, now()
FROM generate_series(0, 20000) o
UNION ALL
SELECT 'k', 1, 0, 20001 + i + f * 1000, 'K' || i, CASE WHEN f = 0 THEN 8 + i ELSE 0 END, 0,
       f = 0, f = 1, CASE WHEN f = 0 THEN now() + interval '30 seconds' ELSE '9999-12-31' END, now()
FROM generate_series(0, 999) i, generate_series(0, 1) f;
VACUUM ANALYZE;

\echo '--- claim step 1: ready deliveries (expired leases, due retries)'
EXPLAIN (ANALYZE, BUFFERS)
SELECT partition_no, msg_offset, attempts, first_delivered_at FROM mq_deliveries
WHERE group_name = 'g' AND topic_id = 1 AND visible_at <= now()
ORDER BY visible_at LIMIT 100 FOR UPDATE SKIP LOCKED;

\echo '--- claim step 2a: lock one partition cursor with messages beyond it'
EXPLAIN (ANALYZE, BUFFERS)
SELECT c.partition_no, c.next_offset FROM mq_cursors c
WHERE c.group_name = 'g' AND c.topic_id = 1 AND NOT (c.partition_no = ANY('{}'::int[]))
  AND c.next_offset < (SELECT p.next_offset FROM mq_partitions p
                       WHERE p.topic_id = c.topic_id AND p.partition_no = c.partition_no)
ORDER BY MOD(c.partition_no + 3, 8) LIMIT 1 FOR UPDATE SKIP LOCKED;

\echo '--- claim step 2b: the next 100 messages of the partition'
EXPLAIN (ANALYZE, BUFFERS)
SELECT msg_offset, msg_key, headers, payload, msg_timestamp, idempotency_key, deliver_at
FROM mq_messages WHERE topic_id = 1 AND partition_no = 3 AND msg_offset >= 63500
ORDER BY msg_offset LIMIT 100;

\echo '--- ack: 100 fenced deletes in one statement (delivery_ack_many.sql)'
BEGIN;
EXPLAIN (ANALYZE, BUFFERS)
DELETE FROM mq_deliveries
WHERE group_name = 'g' AND topic_id = 1
  AND partition_no = ANY('{3}'::integer[])
  AND msg_offset = ANY(ARRAY(SELECT o::bigint FROM generate_series(62500, 62599) o))
  AND token = ANY(ARRAY(SELECT 1000000 + o::bigint FROM generate_series(62500, 62599) o))
  AND leased = TRUE AND visible_at > now()
RETURNING partition_no, msg_offset, token;
ROLLBACK;

\echo '--- claim fast path: the whole unordered claim of 100 new messages (claim_new_unordered.sql)'
BEGIN;
EXPLAIN (ANALYZE, BUFFERS)
WITH paused AS (
  SELECT EXISTS (SELECT 1 FROM mq_pauses
                 WHERE group_name = 'g' AND topic_name IN ('orders', '*')) AS paused
), due AS (
  SELECT NOT (SELECT paused FROM paused)
         AND (EXISTS (SELECT 1 FROM mq_deliveries
                      WHERE group_name = 'g' AND topic_id = 1 AND visible_at <= now())
              OR (SELECT partition_no FROM mq_deliveries
                  WHERE group_name = 'g' AND topic_id = 1 AND held
                  ORDER BY partition_no, msg_key LIMIT 1) IS NOT NULL) AS due_waiting
), tok AS (
  SELECT nextval('mq_token_seq') AS claim_no
), cur AS (
  SELECT c.partition_no, c.next_offset FROM mq_cursors c
  WHERE c.group_name = 'g' AND c.topic_id = 1 AND NOT (c.partition_no = ANY('{}'::int[]))
    AND NOT (SELECT due_waiting FROM due) AND NOT (SELECT paused FROM paused)
    AND c.next_offset < (SELECT p.next_offset FROM mq_partitions p
                         WHERE p.topic_id = c.topic_id AND p.partition_no = c.partition_no)
  ORDER BY MOD(c.partition_no + 3, 8) LIMIT 1 FOR UPDATE SKIP LOCKED
), picked AS (
  SELECT m.* FROM cur CROSS JOIN LATERAL (
    SELECT * FROM mq_messages mm
    WHERE mm.topic_id = 1 AND mm.partition_no = cur.partition_no AND mm.msg_offset >= cur.next_offset
    ORDER BY mm.msg_offset LIMIT 100) m
), msg AS (
  SELECT picked.*, ROW_NUMBER() OVER (ORDER BY msg_offset) AS rn,
         (deliver_at IS NULL OR deliver_at <= now()) AS due FROM picked
), ins AS (
  INSERT INTO mq_deliveries (group_name, topic_id, partition_no, msg_offset, msg_key, token,
                             attempts, leased, visible_at, first_delivered_at)
  SELECT 'g', 1, msg.partition_no, msg.msg_offset, NULL, tok.claim_no * 10000 + msg.rn - 1,
         0, TRUE, now() + interval '30 seconds', now() FROM msg, tok
  RETURNING 1
), adv AS (
  UPDATE mq_cursors c SET next_offset = (SELECT MAX(msg_offset) + 1 FROM msg)
  WHERE c.group_name = 'g' AND c.topic_id = 1 AND c.partition_no = (SELECT partition_no FROM cur)
    AND EXISTS (SELECT 1 FROM msg)
  RETURNING 1
)
SELECT msg.partition_no, msg.msg_offset, (SELECT COUNT(*) FROM ins), (SELECT COUNT(*) FROM adv),
       due.due_waiting
FROM due CROSS JOIN tok LEFT JOIN msg ON TRUE ORDER BY msg.msg_offset;
ROLLBACK;

\echo '--- markStarted: 100 leases counted in one statement (delivery_start_many.sql)'
BEGIN;
EXPLAIN (ANALYZE, BUFFERS)
UPDATE mq_deliveries
SET attempts = attempts + CASE WHEN started THEN 0 ELSE 1 END, started = TRUE
WHERE group_name = 'g'
  AND topic_id = ANY('{1}'::integer[])
  AND partition_no = ANY('{3}'::integer[])
  AND msg_offset = ANY(ARRAY(SELECT o::bigint FROM generate_series(62500, 62599) o))
  AND token = ANY(ARRAY(SELECT 1000000 + o::bigint FROM generate_series(62500, 62599) o))
  AND leased = TRUE AND visible_at > now()
RETURNING topic_id, partition_no, msg_offset, token;
ROLLBACK;

\echo '--- claim_start: token base and pause probe'
EXPLAIN (ANALYZE, BUFFERS)
SELECT nextval('mq_token_seq') AS claim_no,
       EXISTS (SELECT 1 FROM mq_pauses
               WHERE group_name = 'k' AND topic_name IN ('orders', '*')) AS paused,
       (SELECT partition_no FROM mq_deliveries
        WHERE group_name = 'k' AND topic_id = 1 AND held
        ORDER BY partition_no, msg_key LIMIT 1) IS NOT NULL AS has_held;

\echo '--- KEY_ORDERED held heads (held_heads.sql), 21,000 held rows of 1,001 keys, every head leased'
EXPLAIN (ANALYZE, BUFFERS)
WITH RECURSIVE held_keys (partition_no, msg_key) AS (
  (SELECT h.partition_no, h.msg_key FROM mq_deliveries h
   WHERE h.group_name = 'k' AND h.topic_id = 1 AND h.held
   ORDER BY h.partition_no, h.msg_key LIMIT 1)
  UNION ALL
  SELECT n.partition_no, n.msg_key FROM held_keys k
  CROSS JOIN LATERAL (
    SELECT h.partition_no, h.msg_key FROM mq_deliveries h
    WHERE h.group_name = 'k' AND h.topic_id = 1 AND h.held
      AND (h.partition_no, h.msg_key) > (k.partition_no, k.msg_key)
    ORDER BY h.partition_no, h.msg_key LIMIT 1) n
)
SELECT f.partition_no, f.msg_offset FROM held_keys k
CROSS JOIN LATERAL (
  SELECT e.partition_no, e.msg_offset, e.held FROM mq_deliveries e
  WHERE e.group_name = 'k' AND e.topic_id = 1
    AND e.partition_no = k.partition_no AND e.msg_key = k.msg_key
  ORDER BY e.msg_offset LIMIT 1) f
WHERE f.held
  AND NOT COALESCE((SELECT m.deliver_at > now() FROM mq_messages m
                    WHERE m.topic_id = 1 AND m.partition_no = f.partition_no
                      AND m.msg_offset = f.msg_offset), FALSE)
LIMIT 100;

\echo '--- unordered general claim of group g: turn held rows into waiting rows (delivery_unhold.sql)'
BEGIN;
EXPLAIN (ANALYZE, BUFFERS)
UPDATE mq_deliveries
SET held = FALSE,
    visible_at = COALESCE((SELECT m.deliver_at FROM mq_messages m
                           WHERE m.topic_id = mq_deliveries.topic_id
                             AND m.partition_no = mq_deliveries.partition_no
                             AND m.msg_offset = mq_deliveries.msg_offset
                             AND m.deliver_at > now()), now())
WHERE group_name = 'g' AND topic_id = 1 AND held = TRUE;
ROLLBACK;

\echo '--- committed offset and lag per partition (groupState)'
EXPLAIN (ANALYZE, BUFFERS)
SELECT p.partition_no, p.next_offset, c.next_offset,
       (SELECT MIN(m.msg_offset) FROM mq_messages m
         WHERE m.topic_id = p.topic_id AND m.partition_no = p.partition_no),
       (SELECT MIN(d.msg_offset) FROM mq_deliveries d
         WHERE d.group_name = 'g' AND d.topic_id = p.topic_id AND d.partition_no = p.partition_no),
       (SELECT COUNT(*) FROM mq_deliveries d
         WHERE d.group_name = 'g' AND d.topic_id = p.topic_id AND d.partition_no = p.partition_no)
FROM mq_partitions p
LEFT JOIN mq_cursors c ON c.group_name = 'g' AND c.topic_id = p.topic_id
                      AND c.partition_no = p.partition_no
WHERE p.topic_id = 1 ORDER BY p.partition_no;

\echo '--- retention: delete one 10,000-offset chunk by primary-key range'
BEGIN;
EXPLAIN (ANALYZE, BUFFERS)
DELETE FROM mq_messages WHERE topic_id = 1 AND partition_no = 3
  AND msg_offset >= 0 AND msg_offset < 10000;
ROLLBACK;

SET search_path = public;
DROP SCHEMA sluice_explain CASCADE;
