-- A transactional send's signal, in the caller's transaction: PostgreSQL delivers it only when
-- that transaction commits (never on rollback), once per channel and topic however often it is
-- sent in the transaction.
SELECT pg_notify(:channel, :topic)
