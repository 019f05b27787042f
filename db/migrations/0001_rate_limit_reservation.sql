-- Reserves the next slot of each key at once (general + bulk for a bulk import) and returns how long the
-- caller must wait for it: GCRA on the database clock, so every worker shares one schedule per account.
-- A key's next_at is its theoretical arrival time; a slot may come up to tolerance_ms before it.
CREATE OR REPLACE FUNCTION reserve_rate_slots(p_keys text[], p_intervals_ms double precision[], p_tolerances_ms double precision[])
RETURNS double precision LANGUAGE plpgsql AS $$
DECLARE
  now_at timestamptz := clock_timestamp();
  slot_at timestamptz;
BEGIN
  INSERT INTO rate_limit_slots (key, next_at)
    SELECT k, now_at FROM unnest(p_keys) AS k
    ON CONFLICT (key) DO NOTHING;
  SELECT greatest(now_at, max(locked.next_at - make_interval(secs => i.tolerance / 1000.0))) INTO slot_at
    FROM (SELECT key, next_at FROM rate_limit_slots WHERE key = ANY (p_keys) ORDER BY key FOR UPDATE) AS locked
    JOIN unnest(p_keys, p_tolerances_ms) AS i(key, tolerance) ON i.key = locked.key;
  UPDATE rate_limit_slots AS s
    SET next_at = greatest(s.next_at, slot_at) + make_interval(secs => i.ms / 1000.0)
    FROM unnest(p_keys, p_intervals_ms) AS i(key, ms)
    WHERE s.key = i.key;
  RETURN greatest(0, extract(epoch FROM slot_at - clock_timestamp()) * 1000);
END
$$;
