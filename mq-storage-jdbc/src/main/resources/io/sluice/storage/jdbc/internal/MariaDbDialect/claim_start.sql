-- The first statement of a claim: its fencing-token base, whether the group is paused for the
-- topic (a primary-key probe of mq_pauses; '*' is the group-wide pause), and whether the group has
-- held rows (index mq_deliveries_held).
SELECT NEXT VALUE FOR ${schema}.mq_token_seq AS claim_no,
       EXISTS (SELECT 1 FROM ${schema}.mq_pauses
               WHERE group_name = :group AND topic_name IN (:topic, '*')) AS paused,
       EXISTS (SELECT 1 FROM ${schema}.mq_deliveries
               WHERE group_name = :group AND topic_id = :topicId AND held = TRUE) AS has_held
