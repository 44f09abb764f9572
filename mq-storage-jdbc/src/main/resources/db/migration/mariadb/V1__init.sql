-- Sluice schema, MariaDB 10.6+ (InnoDB). Flyway runs this in the configured schema (a MariaDB
-- database, default "sluice") with its own history table (mq_flyway_history); table names are
-- unqualified on purpose. This one script reaches the state of PostgreSQL's V1 to V4; V2 to V4
-- exist only to keep the version numbers of every dialect aligned.
--
-- Differences from PostgreSQL, all invisible through the SPI:
-- * Names and keys are utf8mb4 with the utf8mb4_nopad_bin collation: compared byte for byte, case
--   and trailing spaces included, as on PostgreSQL ("Orders" and "orders" are two topics).
-- * Instants are DATETIME(6) holding UTC (the store binds and reads them in UTC; TIMESTAMP would
--   end in 2038).
-- * Headers are JSON ([[name, value], ...], as PostgreSQL's jsonb since V4); run bits are text of
--   '0' and '1' (as on H2).
-- * Indexes on msg_key use a 255-character prefix (InnoDB keys are at most 3072 bytes); a lookup
--   still compares the whole key.

CREATE TABLE mq_topics (
    id                    integer      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name                  varchar(200) NOT NULL,
    partitions            integer      NOT NULL,
    retention_ms          bigint,
    retention_bytes       bigint       NOT NULL,
    retain_until_consumed boolean      NOT NULL,
    dedupe_window_ms      bigint       NOT NULL,
    max_message_bytes     integer      NOT NULL,
    created_at            datetime(6)  NOT NULL,
    UNIQUE KEY mq_topics_name (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_nopad_bin;

-- The per-partition offset counter. An append takes it with UPDATE ... LAST_INSERT_ID(...) and
-- holds the row lock until commit, so per partition the commit order is the offset order (no
-- sequence gaps that a reader could skip).
CREATE TABLE mq_partitions (
    topic_id     integer NOT NULL,
    partition_no integer NOT NULL,
    next_offset  bigint  NOT NULL,
    PRIMARY KEY (topic_id, partition_no)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_nopad_bin;

-- The log. Shared by every consumer group; never updated, deleted only by retention.
CREATE TABLE mq_messages (
    topic_id        integer       NOT NULL,
    partition_no    integer       NOT NULL,
    msg_offset      bigint        NOT NULL,
    msg_key         varchar(1024),
    headers         json,
    payload         longblob      NOT NULL,
    msg_timestamp   datetime(6)   NOT NULL,
    idempotency_key varchar(256),
    deliver_at      datetime(6),
    PRIMARY KEY (topic_id, partition_no, msg_offset)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_nopad_bin;

-- Per group and partition: every offset below next_offset has been handed out at least once.
CREATE TABLE mq_cursors (
    group_name   varchar(200) NOT NULL,
    topic_id     integer      NOT NULL,
    partition_no integer      NOT NULL,
    next_offset  bigint       NOT NULL,
    PRIMARY KEY (group_name, topic_id, partition_no)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_nopad_bin;

-- In-flight state per group (see the PostgreSQL V1 to V3 for every column's meaning).
CREATE TABLE mq_deliveries (
    group_name         varchar(200)  NOT NULL,
    topic_id           integer       NOT NULL,
    partition_no       integer       NOT NULL,
    msg_offset         bigint        NOT NULL,
    msg_key            varchar(1024),
    token              bigint        NOT NULL,
    attempts           integer       NOT NULL,
    leased             boolean       NOT NULL,
    visible_at         datetime(6)   NOT NULL,
    first_delivered_at datetime(6),
    started            boolean       NOT NULL DEFAULT FALSE,
    held               boolean       NOT NULL DEFAULT FALSE,
    span               integer       NOT NULL DEFAULT 1,
    acked              text,
    started_bits       text,
    PRIMARY KEY (group_name, topic_id, partition_no, msg_offset),
    KEY mq_deliveries_visible (group_name, topic_id, visible_at),
    KEY mq_deliveries_key (group_name, topic_id, partition_no, msg_key(255), msg_offset),
    KEY mq_deliveries_held (group_name, topic_id, held, partition_no, msg_offset)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_nopad_bin;

-- Consumer idempotency: keys a group has completed.
CREATE TABLE mq_processed (
    group_name    varchar(200) NOT NULL,
    topic_id      integer      NOT NULL,
    processed_key varchar(256) NOT NULL,
    processed_at  datetime(6)  NOT NULL,
    PRIMARY KEY (group_name, topic_id, processed_key),
    KEY mq_processed_at (processed_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_nopad_bin;

-- Producer dedupe: idempotency keys accepted per topic, with the original receipt.
CREATE TABLE mq_dedupe (
    topic_id        integer      NOT NULL,
    idempotency_key varchar(256) NOT NULL,
    partition_no    integer      NOT NULL,
    msg_offset      bigint       NOT NULL,
    msg_timestamp   datetime(6)  NOT NULL,
    accepted_at     datetime(6)  NOT NULL,
    PRIMARY KEY (topic_id, idempotency_key),
    KEY mq_dedupe_accepted (accepted_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_nopad_bin;

-- Persistent pauses: one row per paused group x topic; topic_name '*' pauses every topic.
CREATE TABLE mq_pauses (
    group_name varchar(200) NOT NULL,
    topic_name varchar(200) NOT NULL,
    paused_at  datetime(6)  NOT NULL,
    PRIMARY KEY (group_name, topic_name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_nopad_bin;

-- Fencing tokens: one value per claim call, shared by the leases it grants. A MariaDB sequence
-- (not transactional: a rolled-back claim never gives its number back, as on PostgreSQL).
CREATE SEQUENCE mq_token_seq CACHE 100;
