-- Adds what the full ticket workflow, automated correspondence, administration and
-- statistics share: more kinds of events, the merge target and the clocks of a
-- ticket, per-service settings for service levels and messages, links between
-- tickets, text modules, the citizens' satisfaction answers and the change log of
-- the administration. One migration for all of them, so that each part can rely on
-- the others' columns.

ALTER TABLE events DROP CONSTRAINT events_kind_check;

ALTER TABLE events ADD CONSTRAINT events_kind_check CHECK (kind IN (
    'status', 'assignment', 'team', 'service', 'priority', 'merge', 'link', 'forward',
    'reject', 'reminder', 'feedback', 'bounce', 'overdue', 'intake'));

COMMENT ON COLUMN events.kind IS
    'status/assignment/team/service/priority: old and new value; merge: the target case number; '
    'link: the linked case number; forward: the body forwarded to; reject: the pointer; '
    'reminder, overdue, bounce, intake: set by the system; feedback: the score';

ALTER TABLE tickets
    ADD COLUMN merged_into_id      bigint REFERENCES tickets (id),
    ADD COLUMN first_answer_due_at timestamptz,
    ADD COLUMN waiting_since       timestamptz,
    ADD COLUMN reminded_at         timestamptz,
    ADD COLUMN overdue_notified_at timestamptz;

COMMENT ON COLUMN tickets.merged_into_id IS 'the ticket this duplicate was merged into';
COMMENT ON COLUMN tickets.waiting_since IS
    'when the ticket began waiting for the citizen; the service-level clock stops meanwhile';

CREATE INDEX tickets_waiting_idx ON tickets (waiting_since) WHERE waiting_since IS NOT NULL;
CREATE INDEX tickets_due_idx ON tickets (due_at)
    WHERE status NOT IN ('resolved', 'closed', 'rejected', 'withdrawn', 'merged');

ALTER TABLE services
    ADD COLUMN first_answer_days integer CHECK (first_answer_days > 0),
    ADD COLUMN reminder_days     integer NOT NULL DEFAULT 7 CHECK (reminder_days > 0),
    ADD COLUMN close_after_days  integer NOT NULL DEFAULT 14 CHECK (close_after_days > 0),
    ADD COLUMN messages          jsonb NOT NULL DEFAULT '{}'
                                     CHECK (jsonb_typeof(messages) = 'object');

COMMENT ON COLUMN services.sla_days IS 'target for resolution in working days';
COMMENT ON COLUMN services.first_answer_days IS 'target for the first answer in working days';
COMMENT ON COLUMN services.reminder_days IS
    'days a question waits for the citizen before a reminder goes out';
COMMENT ON COLUMN services.close_after_days IS
    'days after the reminder before a still unanswered ticket is closed';
COMMENT ON COLUMN services.messages IS
    'message kind to false for each message this service does not send; absent means sent';

CREATE TABLE ticket_links (
    ticket_id  bigint NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    linked_id  bigint NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    actor_id   bigint REFERENCES staff (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (ticket_id, linked_id),
    CHECK (ticket_id < linked_id)
);

COMMENT ON TABLE ticket_links IS 'related tickets; each pair once, the smaller ID first';

CREATE INDEX ticket_links_linked_idx ON ticket_links (linked_id);

CREATE TABLE text_modules (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    team_id    bigint REFERENCES teams (id) ON DELETE CASCADE,
    body       jsonb NOT NULL CHECK (jsonb_typeof(body) = 'object'),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON COLUMN text_modules.team_id IS 'the team that uses it; NULL for every team';
COMMENT ON COLUMN text_modules.body IS
    'text per language tag with placeholders such as {{.CaseNumber}}; German is the fallback';

CREATE TABLE feedback (
    ticket_id  bigint PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    score      integer NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment    text NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
    created_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE feedback IS 'the citizen''s satisfaction answer to the resolved mail, one per ticket';

CREATE INDEX feedback_created_idx ON feedback (created_at);

CREATE TABLE change_log (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    staff_id   bigint REFERENCES staff (id),
    action     text NOT NULL,
    object     text NOT NULL,
    detail     jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(detail) = 'object'),
    created_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE change_log IS
    'every change to the configuration: who, when, what (e.g. action service.update, object service:3)';

CREATE INDEX change_log_created_idx ON change_log (created_at DESC);
