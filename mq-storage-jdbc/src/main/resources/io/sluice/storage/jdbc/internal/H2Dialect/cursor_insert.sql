MERGE INTO ${schema}.mq_cursors c
USING (VALUES (CAST(:group AS VARCHAR), CAST(:topicId AS INTEGER), CAST(:partition AS INTEGER),
               CAST(:offset AS BIGINT))) AS n (group_name, topic_id, partition_no, next_offset)
ON c.group_name = n.group_name AND c.topic_id = n.topic_id AND c.partition_no = n.partition_no
WHEN NOT MATCHED THEN INSERT (group_name, topic_id, partition_no, next_offset)
  VALUES (n.group_name, n.topic_id, n.partition_no, n.next_offset)
