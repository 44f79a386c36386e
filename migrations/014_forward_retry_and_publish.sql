-- Keeps the arguments of the job that sends a forwarding with its mail, so that
-- the outbox's retry button can enqueue the same forwarding again after the job
-- queue has removed the failed job; and allows the event that records staff
-- publishing, changing or removing a ticket's description for the Open311 API.

ALTER TABLE outgoing_mail ADD COLUMN job_args jsonb;

COMMENT ON COLUMN outgoing_mail.job_args IS
    'forwardings only: the arguments of the sending job, to enqueue it anew on a retry';

ALTER TABLE events DROP CONSTRAINT events_kind_check;

ALTER TABLE events ADD CONSTRAINT events_kind_check CHECK (kind IN (
    'status', 'assignment', 'team', 'service', 'priority', 'merge', 'link', 'forward',
    'reject', 'reminder', 'feedback', 'bounce', 'overdue', 'intake', 'publish'));

COMMENT ON COLUMN events.kind IS
    'status/assignment/team/service/priority: old and new value; merge: the target case number; '
    'link: the linked case number; forward: the body forwarded to; reject: the pointer; '
    'reminder, overdue, bounce, intake: set by the system; feedback: the score; '
    'publish: the description published for the Open311 API, empty when removed';
