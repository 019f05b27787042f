-- Reserves the next free slot of each key at once (general + bulk for a bulk import) and returns how
-- long the caller must wait for it. Runs on the database clock, so every worker shares one schedule.
CREATE OR REPLACE FUNCTION reserve_rate_slots(p_keys text[], p_intervals_ms double precision[])
RETURNS double precision LANGUAGE plpgsql AS $$
DECLARE
  slot_at timestamptz;
BEGIN
  INSERT INTO rate_limit_slots (key, next_at)
    SELECT k, clock_timestamp() FROM unnest(p_keys) AS k
    ON CONFLICT (key) DO NOTHING;
  SELECT greatest(clock_timestamp(), max(locked.next_at)) INTO slot_at
    FROM (SELECT next_at FROM rate_limit_slots WHERE key = ANY (p_keys) ORDER BY key FOR UPDATE) AS locked;
  UPDATE rate_limit_slots AS s
    SET next_at = slot_at + make_interval(secs => i.ms / 1000.0)
    FROM unnest(p_keys, p_intervals_ms) AS i(key, ms)
    WHERE s.key = i.key;
  RETURN greatest(0, extract(epoch FROM slot_at - clock_timestamp()) * 1000);
END
$$;
