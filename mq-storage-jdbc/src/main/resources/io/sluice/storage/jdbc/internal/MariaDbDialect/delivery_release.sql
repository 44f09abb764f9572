-- Ends the current lease. A failed attempt counts if markStarted did not count it already
-- (ifStarted 0, ifNotStarted 1); a delivery handed back unprocessed takes back the attempt its
-- lease counted (ifStarted -1, ifNotStarted 0). MariaDB assigns left to right, each assignment
-- seeing the ones before it: attempts is computed first, from the old started.
UPDATE ${schema}.mq_deliveries
SET attempts = attempts + CASE WHEN started THEN CAST(:ifStarted AS INTEGER)
                               ELSE CAST(:ifNotStarted AS INTEGER) END,
    leased = FALSE, started = FALSE, visible_at = :visibleAt
WHERE group_name = :group AND topic_id = :topicId AND partition_no = :partition
  AND msg_offset = :offset AND token = :token AND leased = TRUE AND visible_at > :now
