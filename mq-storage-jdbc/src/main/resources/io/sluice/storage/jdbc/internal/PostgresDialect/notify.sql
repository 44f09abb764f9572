-- Tells every listening store that these topics may have new claimable messages (one notification
-- per topic; sent from the notifier's own auto-commit statement, never inside an append).
SELECT pg_notify(:channel, t) FROM unnest(CAST(:topics AS text[])) AS t
