-- Resuming the whole group clears its group-wide pause and every per-topic pause.
DELETE FROM ${schema}.mq_pauses WHERE group_name = :group
