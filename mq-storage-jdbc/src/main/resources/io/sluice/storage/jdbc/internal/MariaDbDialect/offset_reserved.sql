-- The new next_offset that offset_reserve just set, in this session.
SELECT LAST_INSERT_ID()
