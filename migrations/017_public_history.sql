-- Keeps each ticket's public history in a row of its own, so that the tracking
-- page, the portal's most frequent request, reads one row by key instead of
-- gathering the ticket's events.
--
-- ticket_histories holds, per ticket, its status changes (status, time and
-- public note, as three arrays of equal length) and its last forwarding or
-- rejection. A trigger on events keeps it: a status change is appended, and a
-- forwarding or rejection replaces an older outcome. The arrays are in the
-- order the changes were written; the reader puts a change written late with
-- an earlier time in its place. Events are never changed or deleted one by
-- one; a ticket's row goes with the ticket.

CREATE TABLE ticket_histories (
    ticket_id     bigint PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    statuses      text[]        NOT NULL DEFAULT '{}',
    ats           timestamptz[] NOT NULL DEFAULT '{}',
    notes         text[]        NOT NULL DEFAULT '{}',
    outcome_kind  text          NOT NULL DEFAULT '',
    outcome_value text          NOT NULL DEFAULT '',
    outcome_note  text          NOT NULL DEFAULT '',
    outcome_at    timestamptz
);

CREATE FUNCTION ticket_histories_add() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.kind = 'status' THEN
        INSERT INTO ticket_histories AS h (ticket_id, statuses, ats, notes)
        VALUES (NEW.ticket_id, ARRAY[NEW.new_value], ARRAY[NEW.created_at], ARRAY[NEW.public_note])
        ON CONFLICT (ticket_id) DO UPDATE
        SET statuses = h.statuses || excluded.statuses,
            ats      = h.ats || excluded.ats,
            notes    = h.notes || excluded.notes;
    ELSE
        INSERT INTO ticket_histories AS h (ticket_id, outcome_kind, outcome_value, outcome_note, outcome_at)
        VALUES (NEW.ticket_id, NEW.kind, NEW.new_value, NEW.public_note, NEW.created_at)
        ON CONFLICT (ticket_id) DO UPDATE
        SET outcome_kind  = excluded.outcome_kind,
            outcome_value = excluded.outcome_value,
            outcome_note  = excluded.outcome_note,
            outcome_at    = excluded.outcome_at
        WHERE h.outcome_at IS NULL OR excluded.outcome_at >= h.outcome_at;
    END IF;

    RETURN NULL;
END;
$$;

-- The condition is checked before the function is called, so that the other
-- kinds of events cost nothing.
CREATE TRIGGER ticket_histories_add
AFTER INSERT ON events
FOR EACH ROW WHEN (NEW.kind IN ('status', 'forward', 'reject'))
EXECUTE FUNCTION ticket_histories_add();

INSERT INTO ticket_histories (ticket_id, statuses, ats, notes)
SELECT ticket_id,
       array_agg(new_value ORDER BY created_at, id),
       array_agg(created_at ORDER BY created_at, id),
       array_agg(public_note ORDER BY created_at, id)
FROM events
WHERE kind = 'status'
GROUP BY ticket_id;

INSERT INTO ticket_histories AS h (ticket_id, outcome_kind, outcome_value, outcome_note, outcome_at)
SELECT DISTINCT ON (ticket_id) ticket_id, kind, new_value, public_note, created_at
FROM events
WHERE kind IN ('forward', 'reject')
ORDER BY ticket_id, created_at DESC, id DESC
ON CONFLICT (ticket_id) DO UPDATE
SET outcome_kind  = excluded.outcome_kind,
    outcome_value = excluded.outcome_value,
    outcome_note  = excluded.outcome_note,
    outcome_at    = excluded.outcome_at;
