-- The outage spool: events committed here while Kafka was unreachable (a 202 promises this row), and the
-- status-change events of the status API (an outbox: written in the same transaction as the change).
-- The relay publishes them in seq order per shard; shard = a hash of the Kafka key, so one applicant's
-- (or one application's) events stay in one shard and keep their order.
CREATE TABLE spool (
  seq            bigserial PRIMARY KEY,
  event_id       text NOT NULL UNIQUE,          -- ce_id: the same on every publish of this row
  topic          text NOT NULL,
  record_key     text NOT NULL,
  shard          smallint NOT NULL,
  ce_type        text NOT NULL,
  ce_subject     text,
  ce_time        timestamptz NOT NULL,
  traceparent    text,
  value          bytea NOT NULL,
  application_id uuid NOT NULL,
  spooled_at     timestamptz NOT NULL DEFAULT now(),
  published_at   timestamptz
);
CREATE INDEX spool_pending ON spool (shard, seq) WHERE published_at IS NULL;
CREATE INDEX spool_pending_key ON spool (record_key) WHERE published_at IS NULL;
CREATE INDEX spool_application ON spool (application_id);
CREATE INDEX spool_published ON spool (published_at) WHERE published_at IS NOT NULL;

-- The ledger: one row per accepted application, and its status history. No payload and no applicant: the
-- status API does not need them, and personal data stays on the department topics.
CREATE TABLE applications (
  application_id  uuid PRIMARY KEY,
  service_code    text NOT NULL,
  department_code text NOT NULL,
  client_id       text NOT NULL,
  status          text NOT NULL,
  received_at     timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);
CREATE INDEX applications_department ON applications (department_code, received_at);

CREATE TABLE application_history (
  seq            bigserial PRIMARY KEY,
  event_id       text NOT NULL UNIQUE,          -- ce_id of the event that made this entry
  application_id uuid NOT NULL REFERENCES applications,
  status         text NOT NULL,
  note           text,
  at             timestamptz NOT NULL,
  by_client      text NOT NULL
);
CREATE INDEX application_history_application ON application_history (application_id, seq);
