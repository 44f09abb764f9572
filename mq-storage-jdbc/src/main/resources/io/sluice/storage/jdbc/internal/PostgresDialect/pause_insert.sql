INSERT INTO ${schema}.mq_pauses (group_name, topic_name, paused_at)
VALUES (:group, :topic, :now)
ON CONFLICT DO NOTHING
