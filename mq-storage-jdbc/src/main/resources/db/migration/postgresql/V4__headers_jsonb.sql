-- Headers readable in SQL (issue 13.5): mq_messages.headers becomes jsonb, an array of
-- [name, value] pairs in message order (a name may repeat), NULL when a message has none. So psql
-- can show a dead letter's reason:
--   SELECT m.msg_offset, h->>1 AS reason
--   FROM sluice.mq_messages m CROSS JOIN jsonb_array_elements(m.headers) h
--   WHERE h->>0 = 'sluice.dlq.reason';
--   SELECT msg_offset FROM sluice.mq_messages WHERE headers @> '[["sluice.dlq.group", "billing"]]';
-- The V1 column held Sluice's binary encoding: version byte 1, a 4-byte big-endian count, then per
-- header a 4-byte length and the UTF-8 bytes of the name, then of the value. This migration
-- converts every row (rewriting the table once) and drops its helper function.
CREATE FUNCTION mq_headers_v1_to_jsonb(b bytea) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  n     integer;
  pos   integer := 5;  -- 0-based offset of the first header, after the version byte and count
  len   integer;
  name  text;
  value text;
  out   jsonb := '[]'::jsonb;
BEGIN
  IF get_byte(b, 0) <> 1 THEN
    RAISE EXCEPTION 'unknown Sluice headers format version %', get_byte(b, 0);
  END IF;
  n := (get_byte(b, 1) << 24) | (get_byte(b, 2) << 16) | (get_byte(b, 3) << 8) | get_byte(b, 4);
  FOR i IN 1..n LOOP
    len := (get_byte(b, pos) << 24) | (get_byte(b, pos + 1) << 16)
           | (get_byte(b, pos + 2) << 8) | get_byte(b, pos + 3);
    name := convert_from(substring(b FROM pos + 5 FOR len), 'UTF8');
    pos := pos + 4 + len;
    len := (get_byte(b, pos) << 24) | (get_byte(b, pos + 1) << 16)
           | (get_byte(b, pos + 2) << 8) | get_byte(b, pos + 3);
    value := convert_from(substring(b FROM pos + 5 FOR len), 'UTF8');
    pos := pos + 4 + len;
    out := out || jsonb_build_array(jsonb_build_array(name, value));
  END LOOP;
  RETURN out;
END
$$;

ALTER TABLE mq_messages ALTER COLUMN headers TYPE jsonb USING mq_headers_v1_to_jsonb(headers);

DROP FUNCTION mq_headers_v1_to_jsonb(bytea);
