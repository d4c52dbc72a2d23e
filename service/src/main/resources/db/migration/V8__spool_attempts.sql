-- How often Kafka refused a spooled row itself (too large for its topic, or invalid), as opposed to being
-- unreachable: after a few refusals the relay sends the row to the dead-letter topic instead of retrying it for
-- ever, which would hold its applicant's later rows behind it.
ALTER TABLE spool ADD COLUMN attempts smallint NOT NULL DEFAULT 0;
