-- Counts the passes in which a mail from the mailbox could not be stored, so
-- that the poller sets a mail aside after a few tries instead of trying it,
-- and logging it, in every pass for ever. A mail set aside stays in the
-- mailbox, flagged for staff and marked seen; its row is the record of it. No
-- error text is kept, since it may quote the mail.

CREATE TABLE inbound_failures (
    message_id      text PRIMARY KEY CHECK (length(message_id) BETWEEN 1 AND 998),
    tries           integer NOT NULL CHECK (tries > 0),
    first_failed_at timestamptz NOT NULL DEFAULT now(),
    last_failed_at  timestamptz NOT NULL DEFAULT now(),
    set_aside_at    timestamptz
);

COMMENT ON TABLE inbound_failures IS 'mails that failed to be stored, by Message-ID as in inbound_mail, with the number of passes that tried';
