INSERT INTO ${schema}.mq_pauses (group_name, topic_name, paused_at)
VALUES (:group, :topic, :now)
ON DUPLICATE KEY UPDATE paused_at = paused_at
