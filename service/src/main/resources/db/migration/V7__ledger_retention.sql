-- Ledger retention (INTAKE_LEDGER_RETENTION): a department's chain is cut at its front only, so that what stays
-- still verifies. The row here is the last entry removed: `intake ledger verify` starts after it, from its hash,
-- instead of from entry 1 and 32 zero bytes.
CREATE TABLE ledger_chain_starts (
  department_code text PRIMARY KEY,
  chain_seq       bigint NOT NULL,
  hash            bytea NOT NULL,
  purged_at       timestamptz NOT NULL
);

-- Removes, department by department, the front of each chain whose entries are all older than the cutoff (at most
-- max_entries in all per call, so that one call stays within the statement timeout), then the applications that
-- have no entry left. A chain is walked in its own order, on its unique index: an entry newer than the cutoff
-- stops the cut there, even if older ones follow it.
CREATE FUNCTION ledger_purge(cutoff timestamptz, max_entries int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  d text;
  last_seq bigint;
  last_hash bytea;
  ids uuid[];
  n int;
  removed int := 0;
BEGIN
  FOR d IN SELECT department_code FROM ledger_chain_heads ORDER BY department_code LOOP
    EXIT WHEN removed >= max_entries;
    SELECT max(p.chain_seq) INTO last_seq FROM (
      SELECT chain_seq, bool_and(at < cutoff) OVER (ORDER BY chain_seq) AS old
      FROM (SELECT chain_seq, at FROM application_history WHERE department_code = d ORDER BY chain_seq
            LIMIT max_entries - removed) front) p
    WHERE p.old;
    CONTINUE WHEN last_seq IS NULL;
    SELECT hash INTO last_hash FROM application_history WHERE department_code = d AND chain_seq = last_seq;
    WITH gone AS (DELETE FROM application_history WHERE department_code = d AND chain_seq <= last_seq RETURNING application_id)
    SELECT array_agg(DISTINCT application_id), count(*) INTO ids, n FROM gone;
    DELETE FROM applications a WHERE a.application_id = ANY(ids)
      AND NOT EXISTS (SELECT 1 FROM application_history h WHERE h.application_id = a.application_id);
    INSERT INTO ledger_chain_starts VALUES (d, last_seq, last_hash, now())
      ON CONFLICT (department_code) DO UPDATE SET chain_seq = EXCLUDED.chain_seq, hash = EXCLUDED.hash, purged_at = EXCLUDED.purged_at;
    removed := removed + n;
  END LOOP;
  RETURN removed;
END $$;
