-- SPI v2. Never edit V1: every schema change is a new migration.

-- Attempts count handler runs, not claims (issue 10.1). attempts = the attempts counted so far;
-- a lease's attempt number is attempts + 1. started = the current lease has counted its attempt
-- (markStarted, once per lease); every grant resets it.
ALTER TABLE mq_deliveries ADD COLUMN started boolean NOT NULL DEFAULT FALSE;
-- Under V1 a claim counted the attempt of its lease: a row leased now has already counted it.
UPDATE mq_deliveries SET started = TRUE WHERE leased;

-- KEY_ORDERED hold-back (issue 11.3). A held row is a message waiting for an earlier message of its
-- key; its visible_at is the latest instant, so the claims' visible_at range scan never reads it, and
-- a claim finds the heads of held keys through mq_deliveries_held (one probe per held key) instead
-- of scanning every held row. Unordered claims store msg_key NULL, so mq_deliveries_key only holds
-- rows of KEY_ORDERED claims; both indexes are empty for groups that never claim KEY_ORDERED.
ALTER TABLE mq_deliveries ADD COLUMN held boolean NOT NULL DEFAULT FALSE;
CREATE INDEX mq_deliveries_key ON mq_deliveries (group_name, topic_id, partition_no, msg_key, msg_offset)
    WHERE msg_key IS NOT NULL;
CREATE INDEX mq_deliveries_held ON mq_deliveries (group_name, topic_id, partition_no, msg_key, msg_offset)
    WHERE held;

-- Persistent pauses (issue 13): one row per paused group x topic; topic_name '*' (never a valid
-- topic name) pauses every topic of the group. Claims probe the primary key.
CREATE TABLE mq_pauses (
    group_name text        NOT NULL,
    topic_name text        NOT NULL,
    paused_at  timestamptz NOT NULL,
    PRIMARY KEY (group_name, topic_name)
);
