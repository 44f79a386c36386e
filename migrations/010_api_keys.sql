-- Adds what the Open311 GeoReport v2 API needs: the keys that administrators
-- issue to the clients allowed to submit requests (only a hash of each key is
-- stored), the location and key of each request that came in through the API,
-- the description staff may publish for a request, and the indexes that keep
-- the request list fast when it is filtered by service or by the time of the
-- last change.

CREATE TABLE api_keys (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    key_hash     bytea NOT NULL UNIQUE,
    prefix       text NOT NULL,
    created_by   bigint REFERENCES staff (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);

COMMENT ON TABLE api_keys IS 'keys of Open311 clients; the key is shown once, only its SHA-256 is stored';
COMMENT ON COLUMN api_keys.name IS 'the client that uses the key, e.g. "FixMyStreet Chemnitz"';
COMMENT ON COLUMN api_keys.prefix IS 'the first characters of the key, so that staff can tell keys apart';

CREATE TABLE api_requests (
    ticket_id  bigint PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    api_key_id bigint NOT NULL REFERENCES api_keys (id),
    lat        double precision CHECK (lat BETWEEN -90 AND 90),
    long       double precision CHECK (long BETWEEN -180 AND 180)
);

COMMENT ON TABLE api_requests IS 'tickets submitted through the Open311 API: the key used and the location given';

CREATE INDEX api_requests_key_idx ON api_requests (api_key_id);

ALTER TABLE tickets ADD COLUMN published_description text;

COMMENT ON COLUMN tickets.published_description IS
    'a description of the request that staff published for the Open311 API; NULL shows none';

CREATE INDEX tickets_service_created_idx ON tickets (service_id, created_at DESC);
CREATE INDEX tickets_updated_idx ON tickets (updated_at);
