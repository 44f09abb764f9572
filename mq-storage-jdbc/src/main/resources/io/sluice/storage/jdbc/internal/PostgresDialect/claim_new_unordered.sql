-- Fast path of claim for UNORDERED groups, in one statement (atomic on its own: auto-commit, one
-- round trip): lock one partition cursor with messages beyond it (skipping cursors other members
-- hold), read the next messages, record them and move the cursor past them. Consecutive due
-- messages become run rows of up to :runMax (msg_offset, span; token of offset msg_offset + i =
-- token + i), so a claim of 1,000 messages writes a handful of delivery rows, not 1,000. Due messages are leased with tokens
-- claim_no * 10000 + n (n = rank among the due ones); delayed ones get a waiting row each (not
-- leased). Claims count no attempt (attempts stays 0: markStarted counts). Unordered rows store no
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
), cur AS (
  SELECT c.partition_no, c.next_offset
  FROM ${schema}.mq_cursors c
  WHERE c.group_name = :group AND c.topic_id = :topicId
    AND NOT (c.partition_no = ANY(:taken))
    AND NOT (SELECT due_waiting FROM due)
    AND NOT (SELECT paused FROM paused)
    AND c.next_offset < (SELECT p.next_offset FROM ${schema}.mq_partitions p
                         WHERE p.topic_id = c.topic_id AND p.partition_no = c.partition_no)
  ORDER BY MOD(c.partition_no + :rotation, :partitions)
  LIMIT 1
  FOR UPDATE SKIP LOCKED
), picked AS (
  -- LATERAL keeps this an ordered primary-key range scan that stops after :max rows.
  SELECT m.partition_no, m.msg_offset, m.msg_key, m.headers, m.payload, m.msg_timestamp,
         m.idempotency_key, m.deliver_at
  FROM cur
  CROSS JOIN LATERAL (
    SELECT * FROM ${schema}.mq_messages mm
    WHERE mm.topic_id = :topicId AND mm.partition_no = cur.partition_no
      AND mm.msg_offset >= cur.next_offset
    ORDER BY mm.msg_offset
    LIMIT :max) m
), msg AS (
  SELECT picked.*, (deliver_at IS NULL OR deliver_at <= :now) AS due
  FROM picked
), ranked AS (
  -- rn: rank among the due messages (1-based); NULL for delayed ones.
  SELECT msg.*,
         CASE WHEN due THEN ROW_NUMBER() OVER (PARTITION BY due ORDER BY msg_offset) END AS rn
  FROM msg
), runs AS (
  -- Consecutive due messages share msg_offset - rn: one run each, cut every :runMax messages.
  SELECT MIN(msg_offset) AS start, COUNT(*) AS span, MIN(rn) AS rn0
  FROM ranked WHERE due
  GROUP BY msg_offset - rn, (rn - 1) / :runMax
), ins AS (
  INSERT INTO ${schema}.mq_deliveries
      (group_name, topic_id, partition_no, msg_offset, msg_key, token, attempts, leased,
       visible_at, first_delivered_at, span)
  SELECT :group, :topicId, cur.partition_no, runs.start, NULL, tok.claim_no * 10000 + runs.rn0 - 1,
         0, TRUE, CAST(:until AS timestamptz), CAST(:now AS timestamptz), runs.span
  FROM runs, tok, cur
  UNION ALL
  SELECT :group, :topicId, ranked.partition_no, ranked.msg_offset, NULL, 0, 0, FALSE,
         ranked.deliver_at, NULL, 1
  FROM ranked WHERE NOT ranked.due
  RETURNING 1
), adv AS (
  UPDATE ${schema}.mq_cursors c
  SET next_offset = (SELECT MAX(msg_offset) + 1 FROM msg)
  WHERE c.group_name = :group AND c.topic_id = :topicId
    AND c.partition_no = (SELECT partition_no FROM cur)
    AND EXISTS (SELECT 1 FROM msg)
  RETURNING 1
)
SELECT msg.partition_no, msg.msg_offset, msg.msg_key, msg.headers, msg.payload,
       msg.msg_timestamp, msg.idempotency_key, msg.deliver_at, msg.due,
       tok.claim_no * 10000 + msg.rn - 1 AS token,
       (SELECT COUNT(*) FROM ins) AS inserted, (SELECT COUNT(*) FROM adv) AS advanced,
       due.due_waiting
FROM due CROSS JOIN tok LEFT JOIN ranked msg ON TRUE
ORDER BY msg.msg_offset
