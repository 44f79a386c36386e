-- Lets citizens open their full ticket through the access link: the link's secret
-- is derived from the server key and the ticket's access epoch (raising the epoch
-- revokes old links), and opening it starts a short citizen session, so that the
-- secret leaves the address bar.

ALTER TABLE tickets
    ADD COLUMN access_epoch integer NOT NULL DEFAULT 1 CHECK (access_epoch > 0);

CREATE TABLE citizen_sessions (
    id_hash    bytea PRIMARY KEY,
    ticket_id  bigint NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);

COMMENT ON TABLE citizen_sessions IS 'access-link sessions; the cookie carries the ID, only its hash is stored';

CREATE INDEX citizen_sessions_expires_idx ON citizen_sessions (expires_at);
CREATE INDEX citizen_sessions_ticket_idx ON citizen_sessions (ticket_id);
