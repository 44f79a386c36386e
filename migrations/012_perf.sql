-- Makes the back office's queues and searches fast on a million tickets.
--
-- A search matches the conversation as well as the subject and contact. Until
-- now it asked the messages of every candidate ticket, which no index could
-- answer together with the ticket's own columns: a word that many messages
-- share took seconds. Each ticket now carries its conversation's words in
-- conversation, kept by a trigger on messages, so that one table's indexes
-- answer every part of a search, or a walk along the queue's order finds the
-- first page at once when the word is common.
--
-- The indexes after it serve the queue's most used filters in its order:
-- by status, by assignee, a team's queue and its open tickets, and the order
-- by last change.

ALTER TABLE tickets ADD COLUMN conversation tsvector NOT NULL DEFAULT ''::tsvector;

COMMENT ON COLUMN tickets.conversation IS
    'the words of the ticket''s messages (German stemming), kept by trigger from messages';

UPDATE tickets t
SET conversation = c.words
FROM (
    SELECT ticket_id, to_tsvector('german', string_agg(body, ' ' ORDER BY id)) AS words
    FROM messages
    GROUP BY ticket_id
) c
WHERE c.ticket_id = t.id;

-- New messages add their words, unless the ticket has all of them already:
-- a new ticket is stored with its first message's words, and updating its row
-- again would write a second version of it into every index of tickets. A
-- changed or deleted message has its ticket's words read again from the
-- remaining messages.
CREATE FUNCTION tickets_conversation_add() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tickets t
    SET conversation = t.conversation || n.words
    FROM (
        SELECT ticket_id, to_tsvector('german', string_agg(body, ' ' ORDER BY id)) AS words
        FROM added
        GROUP BY ticket_id
    ) n
    WHERE n.ticket_id = t.id
      AND NOT tsvector_to_array(n.words) <@ tsvector_to_array(t.conversation);
    RETURN NULL;
END $$;

CREATE FUNCTION tickets_conversation_renew() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tickets t
    SET conversation = coalesce((
        SELECT to_tsvector('german', string_agg(m.body, ' ' ORDER BY m.id))
        FROM messages m
        WHERE m.ticket_id = t.id), ''::tsvector)
    WHERE t.id IN (SELECT ticket_id FROM removed);
    RETURN NULL;
END $$;

CREATE TRIGGER messages_conversation_insert
    AFTER INSERT ON messages
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION tickets_conversation_add();

CREATE TRIGGER messages_conversation_update
    AFTER UPDATE ON messages
    REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION tickets_conversation_renew();

CREATE TRIGGER messages_conversation_delete
    AFTER DELETE ON messages
    REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION tickets_conversation_renew();

CREATE INDEX tickets_conversation_idx ON tickets USING gin (conversation);

CREATE INDEX tickets_status_created_idx ON tickets (status, created_at DESC);

CREATE INDEX tickets_assignee_created_idx ON tickets (assignee_id, created_at DESC)
    WHERE assignee_id IS NOT NULL;

-- A team's queue in its order, with the columns filters ask for, so that the
-- first page is found and the matches are counted from the index alone; the
-- open tickets, a small part of all, have one of their own.
CREATE INDEX tickets_queue_idx ON tickets (team_id, created_at DESC)
    INCLUDE (status, priority, channel, service_id, assignee_id, due_at);

CREATE INDEX tickets_open_idx ON tickets (team_id, created_at DESC)
    INCLUDE (status, priority, channel, service_id, assignee_id, due_at)
    WHERE status NOT IN ('closed', 'rejected', 'withdrawn', 'merged');

CREATE INDEX tickets_team_updated_idx ON tickets (team_id, updated_at DESC);
