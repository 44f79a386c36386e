-- Creates the core schema of Anliegen: the catalogue (teams, services and their
-- forms), staff, tickets with their conversation, events and attachments, and the
-- tables behind sessions and rate limits, so that all state lives in PostgreSQL.

CREATE TABLE settings (
    key        text PRIMARY KEY,
    value      bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE teams (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]{1,64}$'),
    name        jsonb NOT NULL CHECK (jsonb_typeof(name) = 'object'),
    email       text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now()
);

COMMENT ON COLUMN teams.name IS 'public name per language tag, e.g. {"de": "…", "en": "…"}';

CREATE TABLE services (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code            text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9-]{1,64}$'),
    team_id         bigint NOT NULL REFERENCES teams (id),
    group_name      jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(group_name) = 'object'),
    name            jsonb NOT NULL CHECK (jsonb_typeof(name) = 'object'),
    help            jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(help) = 'object'),
    promise         jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(promise) = 'object'),
    keywords        text NOT NULL DEFAULT '',
    form            jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(form) = 'array'),
    sla_days        integer CHECK (sla_days > 0),
    is_public       boolean NOT NULL DEFAULT true,
    allow_anonymous boolean NOT NULL DEFAULT false,
    position        integer NOT NULL DEFAULT 0,
    active          boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

COMMENT ON COLUMN services.form IS 'the form definition: a list of fields, see internal/catalog';

CREATE TABLE staff (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    role          text NOT NULL CHECK (role IN ('agent', 'team_lead', 'admin', 'statistics')),
    password_hash text NOT NULL,
    language      text NOT NULL DEFAULT 'de',
    disabled_at   timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX staff_email_key ON staff (lower(email));

CREATE TABLE team_members (
    team_id  bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    staff_id bigint NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, staff_id)
);

CREATE TABLE tickets (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_number      text NOT NULL UNIQUE CHECK (case_number ~ '^[0-9]{4}-[0-9]{6,}$'),
    tracking_code    text NOT NULL UNIQUE CHECK (tracking_code ~ '^[0-9A-Z]{17}$'),
    access_hash      bytea NOT NULL UNIQUE,
    service_id       bigint NOT NULL REFERENCES services (id),
    team_id          bigint NOT NULL REFERENCES teams (id),
    assignee_id      bigint REFERENCES staff (id),
    status           text NOT NULL DEFAULT 'received' CHECK (status IN (
                         'received', 'in_review', 'in_progress', 'waiting_for_citizen',
                         'forwarded', 'resolved', 'closed', 'rejected', 'withdrawn',
                         'merged')),
    priority         text NOT NULL DEFAULT 'normal'
                         CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    channel          text NOT NULL
                         CHECK (channel IN ('web', 'email', 'phone', 'letter', 'counter', 'api')),
    language         text NOT NULL,
    subject          text NOT NULL DEFAULT '',
    fields           jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(fields) = 'object'),
    contact_name     text NOT NULL DEFAULT '',
    contact_email    text NOT NULL DEFAULT '',
    contact_phone    text NOT NULL DEFAULT '',
    due_at           timestamptz,
    first_answer_at  timestamptz,
    resolved_at      timestamptz,
    closed_at        timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    version          integer NOT NULL DEFAULT 1
);

COMMENT ON COLUMN tickets.tracking_code IS 'canonical tracking code, 16 symbols and a check symbol';
COMMENT ON COLUMN tickets.access_hash IS 'keyed hash of the access link secret; the secret is never stored';
COMMENT ON COLUMN tickets.version IS 'incremented on every change, for optimistic locking';

CREATE INDEX tickets_team_status_idx ON tickets (team_id, status, created_at DESC);
CREATE INDEX tickets_created_idx ON tickets (created_at DESC);
CREATE INDEX tickets_assignee_idx ON tickets (assignee_id) WHERE assignee_id IS NOT NULL;

CREATE TABLE messages (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id   bigint NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind IN ('from_citizen', 'to_citizen', 'note')),
    author_id   bigint REFERENCES staff (id),
    body        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX messages_ticket_idx ON messages (ticket_id, created_at);

CREATE TABLE events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id   bigint NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind IN (
                    'status', 'assignment', 'team', 'service', 'priority', 'merge')),
    actor_id    bigint REFERENCES staff (id),
    old_value   text NOT NULL DEFAULT '',
    new_value   text NOT NULL DEFAULT '',
    public_note text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now()
);

COMMENT ON COLUMN events.actor_id IS 'the staff member who acted; NULL for the citizen or the system';

CREATE INDEX events_ticket_idx ON events (ticket_id, created_at);
CREATE INDEX events_kind_created_idx ON events (kind, created_at);

CREATE TABLE attachments (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id    bigint NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    message_id   bigint REFERENCES messages (id) ON DELETE SET NULL,
    filename     text NOT NULL,
    content_type text NOT NULL,
    size         integer NOT NULL CHECK (size >= 0),
    sha256       bytea NOT NULL,
    content      bytea NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX attachments_ticket_idx ON attachments (ticket_id);

CREATE TABLE staff_sessions (
    id_hash      bytea PRIMARY KEY,
    staff_id     bigint NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);

COMMENT ON TABLE staff_sessions IS 'staff sign-ins; the cookie carries the ID, only its hash is stored';

CREATE INDEX staff_sessions_staff_idx ON staff_sessions (staff_id);
CREATE INDEX staff_sessions_expires_idx ON staff_sessions (expires_at);

CREATE TABLE web_storage (
    key        text PRIMARY KEY,
    value      bytea NOT NULL,
    expires_at timestamptz
);

COMMENT ON TABLE web_storage IS 'key-value store behind rate limits and other short-lived web state';

CREATE INDEX web_storage_expires_idx ON web_storage (expires_at) WHERE expires_at IS NOT NULL;
