-- Sluice schema, PostgreSQL 13+. Flyway runs this in the configured schema (default "sluice") with
-- its own history table (mq_flyway_history); table names are unqualified on purpose.

-- One row per topic. The id keeps the hot tables narrow; names are only ever bound parameters.
CREATE TABLE mq_topics (
    id                    integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                  text        NOT NULL UNIQUE,
    partitions            integer     NOT NULL,
    retention_ms          bigint,
    retention_bytes       bigint      NOT NULL,
    retain_until_consumed boolean     NOT NULL,
    dedupe_window_ms      bigint      NOT NULL,
    max_message_bytes     integer     NOT NULL,
    created_at            timestamptz NOT NULL
);

-- The per-partition offset counter. An append takes it with UPDATE ... RETURNING and holds the row
-- lock until commit, so per partition the commit order is the offset order (no sequence gaps that
-- a reader could skip). The log start is not stored here (retention would then have to lock this
-- hot row): it is the lowest offset still in mq_messages, one index probe.
CREATE TABLE mq_partitions (
    topic_id     integer NOT NULL,
    partition_no integer NOT NULL,
    next_offset  bigint  NOT NULL,
    PRIMARY KEY (topic_id, partition_no)
);

-- The log. Shared by every consumer group; never updated, deleted only by retention.
CREATE TABLE mq_messages (
    topic_id        integer     NOT NULL,
    partition_no    integer     NOT NULL,
    msg_offset      bigint      NOT NULL,
    msg_key         text,
    headers         bytea,
    payload         bytea       NOT NULL,
    msg_timestamp   timestamptz NOT NULL,
    idempotency_key text,
    deliver_at      timestamptz,
    PRIMARY KEY (topic_id, partition_no, msg_offset)
);

-- Per group and partition: every offset below next_offset has been handed out at least once.
-- Offsets in [committed, next_offset) that are not done have a row in mq_deliveries; the
-- committed offset is the lowest such row's offset, or next_offset when there is none.
CREATE TABLE mq_cursors (
    group_name   text    NOT NULL,
    topic_id     integer NOT NULL,
    partition_no integer NOT NULL,
    next_offset  bigint  NOT NULL,
    PRIMARY KEY (group_name, topic_id, partition_no)
);

-- In-flight state per group: leased (leased = true, visible_at = lease expiry) or waiting
-- (leased = false, visible_at = next-visible time). Acking deletes the row.
CREATE TABLE mq_deliveries (
    group_name         text        NOT NULL,
    topic_id           integer     NOT NULL,
    partition_no       integer     NOT NULL,
    msg_offset         bigint      NOT NULL,
    msg_key            text,
    token              bigint      NOT NULL,
    attempts           integer     NOT NULL,
    leased             boolean     NOT NULL,
    visible_at         timestamptz NOT NULL,
    first_delivered_at timestamptz,
    PRIMARY KEY (group_name, topic_id, partition_no, msg_offset)
) WITH (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.02,
       autovacuum_vacuum_threshold = 1000);
-- Every claimed message inserts a row and every ack deletes it: vacuum this small, churning table
-- early so that dead index entries do not pile up in front of the claim's visible_at range scan.

-- Claim looks for rows whose lease or retry delay has passed.
CREATE INDEX mq_deliveries_visible ON mq_deliveries (group_name, topic_id, visible_at);

-- Consumer idempotency: keys a group has completed.
CREATE TABLE mq_processed (
    group_name    text        NOT NULL,
    topic_id      integer     NOT NULL,
    processed_key text        NOT NULL,
    processed_at  timestamptz NOT NULL,
    PRIMARY KEY (group_name, topic_id, processed_key)
);
CREATE INDEX mq_processed_at ON mq_processed (processed_at);

-- Producer dedupe: idempotency keys accepted per topic, with the original receipt.
CREATE TABLE mq_dedupe (
    topic_id        integer     NOT NULL,
    idempotency_key text        NOT NULL,
    partition_no    integer     NOT NULL,
    msg_offset      bigint      NOT NULL,
    msg_timestamp   timestamptz NOT NULL,
    accepted_at     timestamptz NOT NULL,
    PRIMARY KEY (topic_id, idempotency_key)
);
CREATE INDEX mq_dedupe_accepted ON mq_dedupe (accepted_at);

-- Fencing tokens: one value per claim call, shared by the leases it grants.
CREATE SEQUENCE mq_token_seq CACHE 100;
