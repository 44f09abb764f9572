-- Run leases (issue 12.1). See the PostgreSQL twin for the meaning. H2 has no bit strings that
-- grow with the run, so the bits are kept as text of '0' and '1' (leftmost = msg_offset).
ALTER TABLE mq_deliveries ADD COLUMN span integer DEFAULT 1 NOT NULL;
ALTER TABLE mq_deliveries ADD COLUMN acked varchar;
ALTER TABLE mq_deliveries ADD COLUMN started_bits varchar;
