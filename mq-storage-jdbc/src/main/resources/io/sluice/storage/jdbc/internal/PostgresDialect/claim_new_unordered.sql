-- Fast path of claim for UNORDERED groups, in one statement (atomic on its own: auto-commit, one
-- round trip): lock as many partition cursors with messages beyond them as :max needs (skipping
-- cursors other members hold; see wanted), read the next messages of each, keep the first :max in
-- rotation order, record them and move each cursor past what it gave. A few messages in each of
-- several partitions therefore take one statement, not one per partition. Consecutive due
-- messages of a partition become run rows of up to :runMax (msg_offset, span; token of offset
-- msg_offset + i = token + i), so a claim of 1,000 messages writes a handful of delivery rows, not
-- 1,000. Due messages are leased with tokens claim_no * 10000 + n (n = rank among the due ones);
-- delayed ones get a waiting row each (not leased). A claim counts no attempt (markStarted does)
-- unless :start: then each leased row counts its attempt as a start mark would (a single-message
-- row: attempts 1, started; a run: every started bit set). Unordered rows store no
-- key. A paused group (mq_pauses, primary-key probe) takes nothing. If the group has deliveries due
-- again (expired leases, retries) or held rows (it claimed KEY_ORDERED before), nothing is taken
-- and the one returned row says so (due_waiting): the caller then runs the general claim, which
-- re-grants them.
WITH paused AS (
  SELECT EXISTS (SELECT 1 FROM ${schema}.mq_pauses
                 WHERE group_name = :group AND topic_name IN (:topic, '*')) AS paused
), due AS (
  SELECT NOT (SELECT paused FROM paused)
         AND (EXISTS (SELECT 1 FROM ${schema}.mq_deliveries
                      WHERE group_name = :group AND topic_id = :topicId AND visible_at <= :now)
              -- A scalar sub-select ordered as the index, not EXISTS (which drops ORDER BY and
              -- LIMIT): always a probe of the small, usually empty partial index
              -- mq_deliveries_held, never a scan betting on an early match.
              OR (SELECT partition_no FROM ${schema}.mq_deliveries
                  WHERE group_name = :group AND topic_id = :topicId AND held
                  ORDER BY partition_no, msg_key LIMIT 1) IS NOT NULL)
         AS due_waiting
), tok AS (
  SELECT nextval('${schema}.mq_token_seq') AS claim_no
), wanted AS (
  -- The cursors this statement wants: in rotation order, those whose backlog (offsets reserved
  -- beyond the cursor, counting from the first) starts below :max. A few messages in each of
  -- several partitions are claimed by one statement; a deep backlog wants one cursor and leaves
  -- the others to other members.
  SELECT b.partition_no
  FROM (SELECT c.partition_no,
               SUM(p.next_offset - c.next_offset)
                 OVER (ORDER BY MOD(c.partition_no + :rotation, :partitions))
               - (p.next_offset - c.next_offset) AS before
        FROM ${schema}.mq_cursors c
        JOIN ${schema}.mq_partitions p
          ON p.topic_id = c.topic_id AND p.partition_no = c.partition_no
        WHERE c.group_name = :group AND c.topic_id = :topicId
          AND NOT (c.partition_no = ANY(:taken))
          AND c.next_offset < p.next_offset) b
  WHERE before < :max
), cur AS (
  -- The cursors this statement locks: in rotation order, skipping those other members hold, as
  -- many as it wants (another one in place of each wanted cursor that is held).
  SELECT c.partition_no, c.next_offset, MOD(c.partition_no + :rotation, :partitions) AS rot
  FROM ${schema}.mq_cursors c
  WHERE c.group_name = :group AND c.topic_id = :topicId
    AND NOT (c.partition_no = ANY(:taken))
    AND NOT (SELECT due_waiting FROM due)
    AND NOT (SELECT paused FROM paused)
    AND c.next_offset < (SELECT p.next_offset FROM ${schema}.mq_partitions p
                         WHERE p.topic_id = c.topic_id AND p.partition_no = c.partition_no)
  ORDER BY MOD(c.partition_no + :rotation, :partitions)
  LIMIT (SELECT COUNT(*) FROM wanted)
  FOR UPDATE SKIP LOCKED
), picked AS (
  -- LATERAL keeps each an ordered primary-key range scan that stops after :max rows.
  SELECT cur.rot, m.partition_no, m.msg_offset, m.msg_key, m.headers, m.payload,
         m.msg_timestamp, m.idempotency_key, m.deliver_at,
         (m.deliver_at IS NULL OR m.deliver_at <= :now) AS due
  FROM cur
  CROSS JOIN LATERAL (
    SELECT * FROM ${schema}.mq_messages mm
    WHERE mm.topic_id = :topicId AND mm.partition_no = cur.partition_no
      AND mm.msg_offset >= cur.next_offset
    ORDER BY mm.msg_offset
    LIMIT :max) m
), numbered AS (
  -- One window, so one sort: seq, the place in rotation order; nr, the due ones up to here.
  SELECT picked.*,
         ROW_NUMBER() OVER w AS seq,
         COUNT(*) FILTER (WHERE due) OVER w AS nr
  FROM picked
  WINDOW w AS (ORDER BY rot, msg_offset ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
), ranked AS (
  -- The first :max in rotation order, so per partition always a prefix from the cursor. rn: rank
  -- among the due ones (1-based); NULL for delayed ones.
  SELECT numbered.*, CASE WHEN due THEN nr END AS rn
  FROM numbered
  WHERE seq <= :max
), runs AS (
  -- Consecutive due messages of a partition share msg_offset - rn: one run each, cut every
  -- :runMax messages.
  SELECT partition_no, MIN(msg_offset) AS start, COUNT(*) AS span, MIN(rn) AS rn0
  FROM ranked WHERE due
  GROUP BY partition_no, msg_offset - rn, (rn - 1) / :runMax
), ins AS (
  INSERT INTO ${schema}.mq_deliveries
      (group_name, topic_id, partition_no, msg_offset, msg_key, token, attempts, leased,
       visible_at, first_delivered_at, span, started, started_bits)
  SELECT :group, :topicId, runs.partition_no, runs.start, NULL,
         tok.claim_no * 10000 + runs.rn0 - 1,
         CASE WHEN :start AND runs.span = 1 THEN 1 ELSE 0 END, TRUE, CAST(:until AS timestamptz),
         CAST(:now AS timestamptz), runs.span, :start AND runs.span = 1,
         CASE WHEN :start AND runs.span > 1
              THEN CAST(repeat('1', CAST(runs.span AS integer)) AS bit varying) END
  FROM runs, tok
  UNION ALL
  SELECT :group, :topicId, ranked.partition_no, ranked.msg_offset, NULL, 0, 0, FALSE,
         ranked.deliver_at, NULL, 1, FALSE, NULL
  FROM ranked WHERE NOT ranked.due
  RETURNING 1
), adv AS (
  UPDATE ${schema}.mq_cursors c
  SET next_offset = t.last + 1
  FROM (SELECT partition_no, MAX(msg_offset) AS last FROM ranked GROUP BY partition_no) t
  WHERE c.group_name = :group AND c.topic_id = :topicId AND c.partition_no = t.partition_no
  RETURNING 1
)
SELECT msg.partition_no, msg.msg_offset, msg.msg_key, msg.headers, msg.payload,
       msg.msg_timestamp, msg.idempotency_key, msg.deliver_at, msg.due,
       tok.claim_no * 10000 + msg.rn - 1 AS token,
       (SELECT COUNT(*) FROM ins) AS inserted, (SELECT COUNT(*) FROM adv) AS advanced,
       due.due_waiting,
       -- every wanted cursor was locked: if fewer than :max came, no other has messages now
       NOT EXISTS (SELECT 1 FROM wanted w
                   WHERE w.partition_no NOT IN (SELECT partition_no FROM cur)) AS all_locked
FROM due CROSS JOIN tok LEFT JOIN ranked msg ON TRUE
