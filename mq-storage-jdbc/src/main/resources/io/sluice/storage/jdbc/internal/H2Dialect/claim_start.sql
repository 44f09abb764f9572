-- The first statement of a claim: its fencing-token base and whether the group is paused for the
-- topic (a primary-key probe of mq_pauses; '*' is the group-wide pause).
SELECT NEXT VALUE FOR ${schema}.mq_token_seq AS claim_no,
       EXISTS (SELECT 1 FROM ${schema}.mq_pauses
               WHERE group_name = :group AND topic_name IN (:topic, '*')) AS paused
