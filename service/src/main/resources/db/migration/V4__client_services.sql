-- A channel client may be allowed only some services (a partner that files taxes only); NULL means all.
ALTER TABLE clients ADD COLUMN services text[];
