-- The ledger is tamper-evident (contract section 8): every history entry belongs to one department's chain and
-- stores the SHA-256 of the entry before it in that chain, so a changed, removed or inserted entry shows.
--   hash = sha256(prev_hash || utf8(entry)),  entry = JCS (RFC 8785) of
--   {"applicationId","at","by","department","eventId","note","seq","status"}, "at" in UTC with microseconds.
-- The chain's first entry follows 32 zero bytes. `intake ledger verify <DEPARTMENT>` recomputes it in Java.
ALTER TABLE application_history
  ADD COLUMN department_code text,
  ADD COLUMN chain_seq bigint,
  ADD COLUMN prev_hash bytea,
  ADD COLUMN hash bytea;

CREATE TABLE ledger_chain_heads (
  department_code text PRIMARY KEY,
  chain_seq       bigint NOT NULL,
  hash            bytea NOT NULL
);

-- The entry's canonical text. to_json() escapes a string exactly as JCS does (", \ and control characters,
-- lower-case \u00xx; everything else as it is), and the members are written in JCS's order.
CREATE FUNCTION ledger_entry(application_id uuid, at timestamptz, by_client text, department_code text, event_id text,
                             note text, chain_seq bigint, status text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT '{"applicationId":' || to_json(application_id::text)::text
      || ',"at":' || to_json(to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text
      || ',"by":' || to_json(by_client)::text
      || ',"department":' || to_json(department_code)::text
      || ',"eventId":' || to_json(event_id)::text
      || ',"note":' || coalesce(to_json(note)::text, 'null')
      || ',"seq":' || chain_seq::text
      || ',"status":' || to_json(status)::text || '}'
$$;

-- Appends an entry to its department's chain. The head row's lock orders every writer of one department, on
-- every instance; an event already recorded (a redelivery racing its first delivery) is skipped here, before
-- the head moves, which ON CONFLICT DO NOTHING alone would not do (it runs after BEFORE triggers).
CREATE FUNCTION ledger_chain_append() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  head ledger_chain_heads%ROWTYPE;
BEGIN
  IF NEW.hash IS NOT NULL THEN   -- chained by its writer (ledger_record_accepted); `ledger verify` checks it all the same
    RETURN NEW;
  END IF;
  SELECT * INTO head FROM ledger_chain_heads WHERE department_code = NEW.department_code FOR UPDATE;
  IF NOT FOUND THEN   -- the department's first entry: its chain starts
    INSERT INTO ledger_chain_heads VALUES (NEW.department_code, 0, '\x0000000000000000000000000000000000000000000000000000000000000000')
      ON CONFLICT (department_code) DO NOTHING;
    SELECT * INTO head FROM ledger_chain_heads WHERE department_code = NEW.department_code FOR UPDATE;
  END IF;
  IF EXISTS (SELECT 1 FROM application_history WHERE event_id = NEW.event_id) THEN
    RETURN NULL;
  END IF;
  NEW.chain_seq := head.chain_seq + 1;
  NEW.prev_hash := head.hash;
  NEW.hash := sha256(head.hash || convert_to(ledger_entry(NEW.application_id, NEW.at, NEW.by_client, NEW.department_code,
      NEW.event_id, NEW.note, NEW.chain_seq, NEW.status), 'UTF8'));
  UPDATE ledger_chain_heads SET chain_seq = NEW.chain_seq, hash = NEW.hash WHERE department_code = NEW.department_code;
  RETURN NEW;
END $$;

-- A poll's applications and their ACCEPTED entries, chained here: each department's head is locked and written
-- once per call instead of once per entry (the trigger's way), which is most of the chain's cost. Departments
-- are taken in code order, so that two writers never wait for each other's heads in a cycle.
CREATE FUNCTION ledger_record_accepted(ids uuid[], services text[], departments text[], clients text[], received timestamptz[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  r record;
  dept text;
  head ledger_chain_heads%ROWTYPE;
  entry_hash bytea;
BEGIN
  INSERT INTO applications (application_id, service_code, department_code, client_id, status, received_at, updated_at)
  SELECT t.id, t.service, t.department, t.client, 'ACCEPTED', t.at, t.at
  FROM unnest(ids, services, departments, clients, received) AS t(id, service, department, client, at)
  ON CONFLICT (application_id) DO NOTHING;
  FOR r IN SELECT * FROM (SELECT DISTINCT ON (t.id) t.* FROM unnest(ids, departments, clients, received) AS t(id, department, client, at)) u
           ORDER BY u.department, u.at, u.id LOOP
    IF dept IS DISTINCT FROM r.department THEN
      IF dept IS NOT NULL THEN
        UPDATE ledger_chain_heads SET chain_seq = head.chain_seq, hash = head.hash WHERE department_code = dept;
      END IF;
      dept := r.department;
      SELECT * INTO head FROM ledger_chain_heads WHERE department_code = dept FOR UPDATE;
      IF NOT FOUND THEN
        INSERT INTO ledger_chain_heads VALUES (dept, 0, '\x0000000000000000000000000000000000000000000000000000000000000000')
          ON CONFLICT (department_code) DO NOTHING;
        SELECT * INTO head FROM ledger_chain_heads WHERE department_code = dept FOR UPDATE;
      END IF;
    END IF;
    CONTINUE WHEN EXISTS (SELECT 1 FROM application_history WHERE event_id = r.id::text);
    entry_hash := sha256(head.hash || convert_to(ledger_entry(r.id, r.at, r.client, dept, r.id::text, NULL, head.chain_seq + 1,
        'ACCEPTED'), 'UTF8'));
    INSERT INTO application_history (event_id, application_id, status, note, at, by_client, department_code, chain_seq, prev_hash, hash)
      VALUES (r.id::text, r.id, 'ACCEPTED', NULL, r.at, r.client, dept, head.chain_seq + 1, head.hash, entry_hash);
    head.chain_seq := head.chain_seq + 1;
    head.hash := entry_hash;
  END LOOP;
  IF dept IS NOT NULL THEN
    UPDATE ledger_chain_heads SET chain_seq = head.chain_seq, hash = head.hash WHERE department_code = dept;
  END IF;
END $$;

-- Entries written before this migration join their department's chain in the order they were written: one
-- UPDATE per entry, each department's head kept in variables and written once at the end.
DO $$
DECLARE
  r record;
  dept text;
  seq_now bigint;
  hash_now bytea;
BEGIN
  FOR r IN SELECT h.seq, h.event_id, h.application_id, h.status, h.note, h.at, h.by_client, a.department_code
           FROM application_history h JOIN applications a USING (application_id) ORDER BY a.department_code, h.seq LOOP
    IF dept IS DISTINCT FROM r.department_code THEN
      IF dept IS NOT NULL THEN
        INSERT INTO ledger_chain_heads VALUES (dept, seq_now, hash_now);
      END IF;
      dept := r.department_code;
      seq_now := 0;
      hash_now := '\x0000000000000000000000000000000000000000000000000000000000000000';
    END IF;
    seq_now := seq_now + 1;
    UPDATE application_history SET department_code = dept, chain_seq = seq_now, prev_hash = hash_now,
        hash = sha256(hash_now || convert_to(ledger_entry(r.application_id, r.at, r.by_client, dept, r.event_id, r.note,
            seq_now, r.status), 'UTF8'))
      WHERE seq = r.seq
      RETURNING hash INTO hash_now;
  END LOOP;
  IF dept IS NOT NULL THEN
    INSERT INTO ledger_chain_heads VALUES (dept, seq_now, hash_now);
  END IF;
END $$;

ALTER TABLE application_history
  ALTER COLUMN department_code SET NOT NULL,
  ALTER COLUMN chain_seq SET NOT NULL,
  ALTER COLUMN prev_hash SET NOT NULL,
  ALTER COLUMN hash SET NOT NULL,
  ADD CONSTRAINT application_history_chain UNIQUE (department_code, chain_seq);

CREATE TRIGGER application_history_chain BEFORE INSERT ON application_history
  FOR EACH ROW EXECUTE FUNCTION ledger_chain_append();
