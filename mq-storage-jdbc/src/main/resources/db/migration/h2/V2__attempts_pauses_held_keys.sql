-- SPI v2. Never edit V1: every schema change is a new migration. See the PostgreSQL twin for the
-- reasons; H2 has no partial indexes, so its two new indexes cover every delivery row.

ALTER TABLE mq_deliveries ADD COLUMN started boolean DEFAULT FALSE NOT NULL;
UPDATE mq_deliveries SET started = TRUE WHERE leased;

ALTER TABLE mq_deliveries ADD COLUMN held boolean DEFAULT FALSE NOT NULL;
CREATE INDEX mq_deliveries_key ON mq_deliveries (group_name, topic_id, partition_no, msg_key, msg_offset);
CREATE INDEX mq_deliveries_held ON mq_deliveries (group_name, topic_id, held, partition_no, msg_offset);

CREATE TABLE mq_pauses (
    group_name varchar                     NOT NULL,
    topic_name varchar                     NOT NULL,
    paused_at  timestamp(6) with time zone NOT NULL,
    PRIMARY KEY (group_name, topic_name)
);
