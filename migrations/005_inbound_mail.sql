-- Lets the mailbox poller turn received e-mail into tickets and replies. Each mail's
-- Message-ID is remembered in the transaction that stores its ticket, so that a crash
-- before the mail is marked done on the server neither loses nor duplicates it; the
-- original is kept beside the cleaned text that staff read. A bounce marks the
-- contact's address as failing, and acknowledgements of mail intake are counted per
-- address, so that two robots writing to each other cannot loop.

CREATE TABLE inbound_mail (
    message_id        text PRIMARY KEY CHECK (length(message_id) BETWEEN 1 AND 998),
    ticket_id         bigint REFERENCES tickets (id) ON DELETE CASCADE,
    ticket_message_id bigint REFERENCES messages (id) ON DELETE SET NULL,
    outcome           text NOT NULL
                          CHECK (outcome IN ('appended', 'new_ticket', 'auto_reply', 'bounce',
                              'ignored')),
    received_at       timestamptz NOT NULL DEFAULT now(),
    raw               bytea NOT NULL
);

COMMENT ON TABLE inbound_mail IS 'every mail taken from the mailbox, with the original as received';
COMMENT ON COLUMN inbound_mail.message_id IS 'the Message-ID without angle brackets, or sha256:… of the original when it has none';
COMMENT ON COLUMN inbound_mail.ticket_message_id IS 'the conversation entry made from this mail, if any';

CREATE INDEX inbound_mail_ticket_idx ON inbound_mail (ticket_id) WHERE ticket_id IS NOT NULL;
CREATE INDEX inbound_mail_received_idx ON inbound_mail (received_at);

ALTER TABLE tickets
    ADD COLUMN contact_email_failing boolean NOT NULL DEFAULT false;

COMMENT ON COLUMN tickets.contact_email_failing IS 'a mail to the contact address came back undeliverable';

CREATE TABLE mail_acknowledgements (
    address_hash bytea NOT NULL,
    ticket_id    bigint REFERENCES tickets (id) ON DELETE CASCADE,
    sent_at      timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE mail_acknowledgements IS 'acknowledgements of e-mail intake in the last hour, by SHA-256 of the lower-cased address';

CREATE INDEX mail_acknowledgements_address_idx ON mail_acknowledgements (address_hash, sent_at);
CREATE INDEX mail_acknowledgements_sent_idx ON mail_acknowledgements (sent_at);
