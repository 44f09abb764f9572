-- Run leases (issue 12.1). Never edit V1/V2: every schema change is a new migration.
--
-- One delivery row may now stand for a run of consecutive offsets claimed together by one grant:
-- [msg_offset, msg_offset + span). The grant's fencing token of offset msg_offset + i is token + i,
-- so every delivery keeps its own token. acked / started_bits hold one bit per offset of the run
-- (leftmost bit = msg_offset; NULL = no bit set): an ack sets bits (the row is deleted once every
-- bit is set), markStarted sets started bits (the attempt of offset i is attempts + its bit).
-- A row of span 1 is the per-message row of V2 (acked and started_bits stay NULL, started counts).
--
-- Existing rows are per-message rows: span 1 is their exact meaning, so the in-flight rows of V2
-- carry over unchanged (ADD COLUMN with a constant default rewrites nothing).
ALTER TABLE mq_deliveries
    ADD COLUMN span integer NOT NULL DEFAULT 1,
    ADD COLUMN acked bit varying,
    ADD COLUMN started_bits bit varying;
