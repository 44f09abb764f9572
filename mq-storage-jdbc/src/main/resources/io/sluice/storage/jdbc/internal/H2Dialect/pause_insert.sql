MERGE INTO ${schema}.mq_pauses p
USING (VALUES (CAST(:group AS VARCHAR), CAST(:topic AS VARCHAR))) AS n (group_name, topic_name)
ON p.group_name = n.group_name AND p.topic_name = n.topic_name
WHEN NOT MATCHED THEN INSERT (group_name, topic_name, paused_at)
  VALUES (n.group_name, n.topic_name, :now)
