-- markStarted of every id of one call for one topic in one statement (its transaction plans it
-- generically: see plan_generic.sql).
-- The caller groups the ids by (partition, token - offset): all deliveries of one run share it. Per
-- group: :deltas = token - offset, :los/:his = lowest and highest offset, :masks = '0'/'1' text over
-- [lo, hi] with a 1 per id. Rows are found as in delivery_ack_many (a backward primary-key probe at
-- lo plus a range scan to hi), in two scans: single-message rows locked FOR NO KEY UPDATE (their
-- attempt is counted in place), run rows FOR KEY SHARE only (V5: a run's marks go to
-- mq_run_starts, so a start mark never waits for an ack batch of the same run, nor an ack for it;
-- only a deletion of the run row, its last ack or a split, is waited for). An id is applied when the
-- current (leased, unexpired) row holds it and its acked bit is not set: a single-message row
-- counts its attempt unless started; a run gets one mq_run_starts row with the bits of this call
-- (the group's mask cut to the run and padded). Returns the applied ids.
WITH ids AS (
  SELECT i.p, i.o, i.t
  FROM unnest(CAST(:partitions AS integer[]), CAST(:offsets AS bigint[]),
              CAST(:tokens AS bigint[])) AS i (p, o, t)
), win AS (
  SELECT w.p, w.delta, w.lo, w.hi, w.mask,
         COALESCE((SELECT s.msg_offset FROM ${schema}.mq_deliveries s
                   WHERE s.group_name = :group AND s.topic_id = :topicId
                     AND s.partition_no = w.p AND s.msg_offset <= w.lo
                   ORDER BY s.msg_offset DESC
                   LIMIT 1), w.lo) AS floor
  FROM unnest(CAST(:groupPartitions AS integer[]), CAST(:deltas AS bigint[]),
              CAST(:los AS bigint[]), CAST(:his AS bigint[]),
              CAST(:masks AS text[])) AS w (p, delta, lo, hi, mask)
), found AS (
  SELECT d.partition_no, d.msg_offset, d.span, d.token, d.acked
  FROM win w
  CROSS JOIN LATERAL (
    SELECT r.partition_no, r.msg_offset, r.span, r.token, r.acked
    FROM ${schema}.mq_deliveries r
    WHERE r.group_name = :group AND r.topic_id = :topicId AND r.partition_no = w.p
      AND r.msg_offset >= w.floor AND r.msg_offset <= w.hi
      AND r.span = 1 AND r.leased AND r.visible_at > :now
    ORDER BY r.msg_offset
    FOR NO KEY UPDATE) d
  UNION
  SELECT d.partition_no, d.msg_offset, d.span, d.token, d.acked
  FROM win w
  CROSS JOIN LATERAL (
    SELECT r.partition_no, r.msg_offset, r.span, r.token, r.acked
    FROM ${schema}.mq_deliveries r
    WHERE r.group_name = :group AND r.topic_id = :topicId AND r.partition_no = w.p
      AND r.msg_offset >= w.floor AND r.msg_offset <= w.hi
      AND r.span > 1 AND r.leased AND r.visible_at > :now
    ORDER BY r.msg_offset
    FOR KEY SHARE) d
), hit AS (
  SELECT DISTINCT i.p, i.o, i.t
  FROM ids i
  JOIN found f ON f.partition_no = i.p AND i.o >= f.msg_offset AND i.o < f.msg_offset + f.span
              AND i.t = f.token + (i.o - f.msg_offset)
  WHERE f.acked IS NULL OR get_bit(f.acked, CAST(i.o - f.msg_offset AS integer)) = 0
), marks AS (
  INSERT INTO ${schema}.mq_run_starts
      (group_name, topic_id, partition_no, msg_offset, mark_no, bits)
  SELECT :group, :topicId, f.partition_no, f.msg_offset, nextval('${schema}.mq_run_start_seq'),
         CAST(repeat('0', CAST(GREATEST(w.lo - f.msg_offset, 0) AS integer))
              || substr(w.mask, CAST(GREATEST(f.msg_offset - w.lo, 0) AS integer) + 1,
                        CAST(LEAST(w.hi, f.msg_offset + f.span - 1)
                             - GREATEST(w.lo, f.msg_offset) + 1 AS integer))
              || repeat('0', CAST(GREATEST(f.msg_offset + f.span - 1 - w.hi, 0) AS integer))
              AS bit varying)
  FROM found f
  JOIN win w ON w.p = f.partition_no AND w.delta = f.token - f.msg_offset
            AND w.lo < f.msg_offset + f.span AND w.hi >= f.msg_offset
  WHERE f.span > 1
  RETURNING 1
), single AS (
  UPDATE ${schema}.mq_deliveries d
  SET attempts = d.attempts + CASE WHEN d.started THEN 0 ELSE 1 END, started = TRUE
  FROM found f
  WHERE f.span = 1 AND EXISTS (SELECT 1 FROM hit WHERE hit.p = f.partition_no
                                                 AND hit.o = f.msg_offset)
    AND d.group_name = :group AND d.topic_id = :topicId
    AND d.partition_no = f.partition_no AND d.msg_offset = f.msg_offset
  RETURNING 1
)
SELECT p AS partition_no, o AS msg_offset, t AS token,
       (SELECT COUNT(*) FROM single) AS singles, (SELECT COUNT(*) FROM marks) AS marked
FROM hit
