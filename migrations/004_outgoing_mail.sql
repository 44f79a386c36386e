-- Records every mail to a citizen before it is sent, so that the ticket shows
-- what was sent when, a failing mail is visible to staff with its error, and a
-- retry after a crash is recognised by its Message-ID and sent as the same mail
-- instead of a second one. Without a mail server, mails are kept here and shown
-- in the back office.

CREATE TABLE outgoing_mail (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id   bigint NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    event_id    bigint REFERENCES events (id) ON DELETE SET NULL,
    job_id      bigint,
    kind        text NOT NULL CHECK (kind ~ '^[a-z_]{1,64}$'),
    recipient   text NOT NULL CHECK (length(recipient) BETWEEN 3 AND 254),
    language    text NOT NULL,
    subject     text NOT NULL,
    text_body   text NOT NULL,
    html_body   text NOT NULL,
    message_id  text NOT NULL UNIQUE,
    status      text NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'sent', 'kept', 'failed')),
    last_error  text NOT NULL DEFAULT '',
    attempts    integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz
);

COMMENT ON COLUMN outgoing_mail.job_id IS 'the job that sends the mail, for a retry from the back office';
COMMENT ON COLUMN outgoing_mail.text_body IS 'the text as sent, with the access link secret left out: it is filled in when sending';
COMMENT ON COLUMN outgoing_mail.message_id IS 'the Message-ID header without angle brackets, derived from the job';
COMMENT ON COLUMN outgoing_mail.attempts IS 'delivery attempts so far';

CREATE INDEX outgoing_mail_status_created_idx ON outgoing_mail (status, created_at DESC);
CREATE INDEX outgoing_mail_created_idx ON outgoing_mail (created_at DESC);
CREATE INDEX outgoing_mail_ticket_idx ON outgoing_mail (ticket_id, created_at);
