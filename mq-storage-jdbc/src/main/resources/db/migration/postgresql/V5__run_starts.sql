-- Start marks of run rows in a table of their own (issue 12.1). Never edit V1..V4.
--
-- V3 kept a run's started bits in its mq_deliveries row, so a start mark and an ack batch of the
-- same run both updated that row: each waited for the other's commit (its WAL flush), and the
-- runtime's start marks, which gate its handlers, queued behind its own acks. Now a start mark of a
-- run inserts a row here, with the bits it set (one per offset of the run, leftmost = msg_offset),
-- and locks the run row FOR KEY SHARE only, which an ack's FOR NO KEY UPDATE does not wait for, nor
-- it for an ack. A run's started bits are its own started_bits (rows written before V5, or by a
-- run_set_started) OR every row here for it; offset i of the run has counted attempts + bit i.
-- Single-message rows still count their attempt in place (attempts, started).
--
-- The foreign key does the bookkeeping: inserting a mark takes the key-share lock of its run row,
-- and the row's deletion (its last ack, a split into single-message rows, retention, a group or
-- topic deleted) deletes its marks. A run row is never re-keyed or re-granted in place, so a mark
-- never outlives the lease it was made for.
CREATE SEQUENCE mq_run_start_seq CACHE 100;

CREATE TABLE mq_run_starts (
    group_name   text        NOT NULL,
    topic_id     integer     NOT NULL,
    partition_no integer     NOT NULL,
    msg_offset   bigint      NOT NULL,
    mark_no      bigint      NOT NULL,
    bits         bit varying NOT NULL,
    PRIMARY KEY (group_name, topic_id, partition_no, msg_offset, mark_no),
    FOREIGN KEY (group_name, topic_id, partition_no, msg_offset)
        REFERENCES mq_deliveries (group_name, topic_id, partition_no, msg_offset)
        ON DELETE CASCADE
) WITH (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 1000);
