-- Whether the group is paused for the topic; '*' is the group-wide pause.
SELECT COUNT(*) FROM ${schema}.mq_pauses
WHERE group_name = :group AND topic_name IN (:topic, '*')
