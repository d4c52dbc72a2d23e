-- The service catalog: departments and the services they own, each with the JSON Schema of its payload.
CREATE TABLE departments (
  code     text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9]{1,15}$'),
  name_zh  text NOT NULL,
  name_en  text NOT NULL
);

CREATE TABLE services (
  code                     text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9]{1,15}-[0-9]{4}$'),
  department_code          text NOT NULL REFERENCES departments (code),
  category                 text NOT NULL,
  name_zh                  text NOT NULL,
  name_en                  text NOT NULL,
  open                     boolean NOT NULL DEFAULT true,
  payload_schema           jsonb NOT NULL,
  idempotency_key_required boolean NOT NULL DEFAULT true,
  max_body_bytes           integer NOT NULL DEFAULT 262144 CHECK (max_body_bytes > 0),
  dedupe_window_seconds    integer NOT NULL DEFAULT 600 CHECK (dedupe_window_seconds >= 0),
  updated_at               timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX services_by_department ON services (department_code);

-- Who may call: channel front ends and department systems. API keys are stored as SHA-256 hashes only and
-- looked up by their non-secret prefix.
CREATE TABLE clients (
  client_id        text PRIMARY KEY CHECK (client_id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  kind             text NOT NULL CHECK (kind IN ('channel', 'department')),
  channels         text[] NOT NULL DEFAULT '{}',
  department_code  text REFERENCES departments (code),
  enabled          boolean NOT NULL DEFAULT true,
  created_at       timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'department') = (department_code IS NOT NULL))
);

CREATE TABLE api_keys (
  prefix      text PRIMARY KEY,
  client_id   text NOT NULL REFERENCES clients (client_id),
  key_hash    bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);
CREATE INDEX api_keys_by_client ON api_keys (client_id);
