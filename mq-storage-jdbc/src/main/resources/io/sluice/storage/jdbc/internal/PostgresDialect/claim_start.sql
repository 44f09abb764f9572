-- The first statement of a claim: its fencing-token base, whether the group is paused for the
-- topic (a primary-key probe of mq_pauses; '*' is the group-wide pause), and whether the group has
-- held rows (a probe of the partial index mq_deliveries_held, ordered as the index so the plan
-- stays a probe whatever the statistics say).
SELECT nextval('${schema}.mq_token_seq') AS claim_no,
       EXISTS (SELECT 1 FROM ${schema}.mq_pauses
               WHERE group_name = :group AND topic_name IN (:topic, '*')) AS paused,
       (SELECT partition_no FROM ${schema}.mq_deliveries
        WHERE group_name = :group AND topic_id = :topicId AND held
        ORDER BY partition_no, msg_key LIMIT 1) IS NOT NULL AS has_held
