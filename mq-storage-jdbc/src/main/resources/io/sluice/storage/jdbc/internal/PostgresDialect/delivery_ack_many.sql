-- Every ack of one call for one topic in one statement (its transaction plans it generically: see
-- plan_generic.sql). The caller
-- groups the ids by (partition, token - offset): all deliveries of one run share it. Per group:
-- :deltas = token - offset, :los/:his = lowest and highest offset, :masks = '0'/'1' text over [lo, hi] with a 1 per acked
-- offset. Each group's rows are found by a backward primary-key probe at lo plus a range scan to
-- hi, and locked FOR NO KEY UPDATE (a start mark of a run, V5, takes only a key-share lock: neither
-- waits for the other); an id is applied when the current (leased, unexpired) row holds it (offset inside
-- the run, token = row token + position) and its acked bit was not set. Single-message rows and
-- runs whose every bit is now set are deleted; the other runs get their new acked bits (the
-- group's mask cut to the run and padded, OR the old bits). Returns the applied ids.
WITH ids AS (
  SELECT i.p, i.o, i.t
  FROM unnest(CAST(:partitions AS integer[]), CAST(:offsets AS bigint[]),
              CAST(:tokens AS bigint[])) AS i (p, o, t)
), win AS (
  SELECT w.p, w.delta, w.lo, w.hi, w.mask
  FROM unnest(CAST(:groupPartitions AS integer[]), CAST(:deltas AS bigint[]),
              CAST(:los AS bigint[]), CAST(:his AS bigint[]),
              CAST(:masks AS text[])) AS w (p, delta, lo, hi, mask)
), found AS (
  SELECT DISTINCT d.partition_no, d.msg_offset, d.span, d.token, d.acked
  FROM win w
  CROSS JOIN LATERAL (
    SELECT r.partition_no, r.msg_offset, r.span, r.token, r.acked
    FROM ${schema}.mq_deliveries r
    WHERE r.group_name = :group AND r.topic_id = :topicId AND r.partition_no = w.p
      AND r.msg_offset >= COALESCE((SELECT s.msg_offset FROM ${schema}.mq_deliveries s
                                    WHERE s.group_name = :group AND s.topic_id = :topicId
                                      AND s.partition_no = w.p AND s.msg_offset <= w.lo
                                    ORDER BY s.msg_offset DESC
                                    LIMIT 1), w.lo)
      AND r.msg_offset <= w.hi
      AND r.leased AND r.visible_at > :now
    ORDER BY r.msg_offset
    FOR NO KEY UPDATE) d
), hit AS (
  SELECT DISTINCT i.p, i.o, i.t
  FROM ids i
  JOIN found f ON f.partition_no = i.p AND i.o >= f.msg_offset AND i.o < f.msg_offset + f.span
              AND i.t = f.token + (i.o - f.msg_offset)
  WHERE f.acked IS NULL OR get_bit(f.acked, CAST(i.o - f.msg_offset AS integer)) = 0
), runs AS (
  SELECT f.partition_no, f.msg_offset,
         COALESCE(f.acked, CAST(repeat('0', f.span) AS bit varying))
         | CAST(repeat('0', CAST(GREATEST(w.lo - f.msg_offset, 0) AS integer))
                || substr(w.mask, CAST(GREATEST(f.msg_offset - w.lo, 0) AS integer) + 1,
                          CAST(LEAST(w.hi, f.msg_offset + f.span - 1)
                               - GREATEST(w.lo, f.msg_offset) + 1 AS integer))
                || repeat('0', CAST(GREATEST(f.msg_offset + f.span - 1 - w.hi, 0) AS integer))
                AS bit varying) AS bits
  FROM found f
  JOIN win w ON w.p = f.partition_no AND w.delta = f.token - f.msg_offset
            AND w.lo < f.msg_offset + f.span AND w.hi >= f.msg_offset
  WHERE f.span > 1
), gone AS (
  SELECT partition_no, msg_offset FROM found
  WHERE span = 1 AND EXISTS (SELECT 1 FROM hit WHERE hit.p = found.partition_no
                                                 AND hit.o = found.msg_offset)
  UNION ALL
  SELECT partition_no, msg_offset FROM runs WHERE strpos(CAST(bits AS text), '0') = 0
), del AS (
  DELETE FROM ${schema}.mq_deliveries d
  USING gone
  WHERE d.group_name = :group AND d.topic_id = :topicId
    AND d.partition_no = gone.partition_no AND d.msg_offset = gone.msg_offset
  RETURNING 1
), upd AS (
  UPDATE ${schema}.mq_deliveries d
  SET acked = runs.bits
  FROM runs
  WHERE d.group_name = :group AND d.topic_id = :topicId
    AND d.partition_no = runs.partition_no AND d.msg_offset = runs.msg_offset
    AND strpos(CAST(runs.bits AS text), '0') > 0
  RETURNING 1
)
SELECT p AS partition_no, o AS msg_offset, t AS token,
       (SELECT COUNT(*) FROM del) AS deleted, (SELECT COUNT(*) FROM upd) AS updated
FROM hit
