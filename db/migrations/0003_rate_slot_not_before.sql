-- reserve_rate_slots gains p_not_before_ms: a slot reserved ahead, for a request that will not be ready
-- before then, is never earlier than that.
DROP FUNCTION reserve_rate_slots(text[], double precision[], double precision[]);
--> statement-breakpoint
CREATE FUNCTION reserve_rate_slots(p_keys text[], p_intervals_ms double precision[], p_tolerances_ms double precision[],
  p_not_before_ms double precision DEFAULT 0)
RETURNS double precision LANGUAGE plpgsql AS $$
DECLARE
  now_at timestamptz := clock_timestamp();
  slot_at timestamptz;
BEGIN
  INSERT INTO rate_limit_slots (key, next_at)
    SELECT k, now_at FROM unnest(p_keys) AS k
    ON CONFLICT (key) DO NOTHING;
  SELECT greatest(now_at + make_interval(secs => p_not_before_ms / 1000.0),
      max(locked.next_at - make_interval(secs => i.tolerance / 1000.0))) INTO slot_at
    FROM (SELECT key, next_at FROM rate_limit_slots WHERE key = ANY (p_keys) ORDER BY key FOR UPDATE) AS locked
    JOIN unnest(p_keys, p_tolerances_ms) AS i(key, tolerance) ON i.key = locked.key;
  UPDATE rate_limit_slots AS s
    SET next_at = greatest(s.next_at, slot_at) + make_interval(secs => i.ms / 1000.0)
    FROM unnest(p_keys, p_intervals_ms) AS i(key, ms)
    WHERE s.key = i.key;
  RETURN greatest(0, extract(epoch FROM slot_at - clock_timestamp()) * 1000);
END
$$;
