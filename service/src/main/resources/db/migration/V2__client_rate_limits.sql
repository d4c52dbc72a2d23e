-- Per-client rate limits (token bucket, enforced in Redis across all instances): a sustained rate and a burst.
ALTER TABLE clients
  ADD COLUMN rate_per_second integer NOT NULL DEFAULT 100 CHECK (rate_per_second > 0),
  ADD COLUMN burst integer NOT NULL DEFAULT 200 CHECK (burst > 0);
