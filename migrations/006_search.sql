-- Lets staff search the queues: full-text search with German stemming over the
-- subject, the contact and the conversation, and trigram matching for case
-- numbers, tracking codes, names and e-mail addresses typed in part.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE tickets
    ADD COLUMN search tsvector GENERATED ALWAYS AS (
        to_tsvector('german', subject || ' ' || contact_name || ' ' || contact_email)
    ) STORED;

CREATE INDEX tickets_search_idx ON tickets USING gin (search);
CREATE INDEX tickets_case_trgm_idx ON tickets USING gin (case_number gin_trgm_ops);
CREATE INDEX tickets_code_trgm_idx ON tickets USING gin (tracking_code gin_trgm_ops);
CREATE INDEX tickets_contact_trgm_idx ON tickets
    USING gin ((contact_name || ' ' || contact_email) gin_trgm_ops);

ALTER TABLE messages
    ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('german', body)) STORED;

CREATE INDEX messages_search_idx ON messages USING gin (search);
