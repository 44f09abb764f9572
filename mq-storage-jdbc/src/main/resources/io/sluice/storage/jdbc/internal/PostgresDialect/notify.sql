-- Tells every listening store that these topics may have new claimable messages (one notification
-- per topic; sent from the notifier's own auto-commit statement, never inside an append). Its
-- commit does not wait for the WAL flush (synchronous_commit off for this transaction only): a
-- notification lost in a server crash costs latency, never a message, and the notifier must not
-- add an fsync per round to the producers' ones.
SELECT pg_notify(:channel, t)
FROM (SELECT set_config('synchronous_commit', 'off', true)) AS s,
     unnest(CAST(:topics AS text[])) AS t
