DELETE FROM ${schema}.mq_pauses WHERE group_name = :group AND topic_name = :topic
