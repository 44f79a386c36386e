package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/ticket"
)

// batch is the rows of the tickets that one transaction copies.
type batch struct {
	tickets  []ticketRow
	messages []messageRow
	events   []eventRow
}

// ticketRow is one row of tickets; a zero ID or time stands for NULL.
type ticketRow struct {
	id                                      int64
	caseNumber, code                        string
	accessHash                              []byte
	serviceID, teamID, assigneeID           int64
	status                                  ticket.Status
	priority, channel, language, subject    string
	fields                                  map[string]string
	contactName, contactEmail, contactPhone string
	dueAt, firstAnswerAt                    time.Time
	resolvedAt, closedAt                    time.Time
	createdAt, updatedAt                    time.Time
	version                                 int32
}

// messageRow is one row of messages.
type messageRow struct {
	ticketID int64
	kind     string
	authorID int64
	body     string
	at       time.Time
}

// eventRow is one row of events.
type eventRow struct {
	ticketID           int64
	kind               string
	actorID            int64
	oldValue, newValue string
	note               string
	at                 time.Time
}

var ticketColumns = []string{
	"id", "case_number", "tracking_code", "access_hash", "service_id", "team_id",
	"assignee_id", "status", "priority", "channel", "language", "subject", "fields",
	"contact_name", "contact_email", "contact_phone", "due_at", "first_answer_at",
	"resolved_at", "closed_at", "created_at", "updated_at", "version",
}

var messageColumns = []string{"ticket_id", "kind", "author_id", "body", "created_at"}

var eventColumns = []string{
	"ticket_id", "kind", "actor_id", "old_value", "new_value", "public_note", "created_at",
}

// write copies the batch in one transaction. The tickets carry the IDs reserved
// for them, which COPY takes as given, as INSERT does with OVERRIDING SYSTEM VALUE.
func (b *batch) write(ctx context.Context, pool *pgxpool.Pool) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		err := copyRows(ctx, tx, "tickets", ticketColumns, len(b.tickets), b.ticketValues)
		if err != nil {
			return err
		}

		err = copyRows(ctx, tx, "messages", messageColumns, len(b.messages), b.messageValues)
		if err != nil {
			return err
		}

		return copyRows(ctx, tx, "events", eventColumns, len(b.events), b.eventValues)
	})
}

func copyRows(
	ctx context.Context,
	tx pgx.Tx,
	table string,
	columns []string,
	n int,
	values func(int) ([]any, error),
) error {
	_, err := tx.CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromSlice(n, values))
	if err != nil {
		return fmt.Errorf("copy %s: %w", table, err)
	}

	return nil
}

func (b *batch) ticketValues(i int) ([]any, error) {
	t := &b.tickets[i]

	return []any{
		t.id, t.caseNumber, t.code, t.accessHash, t.serviceID, t.teamID,
		nullID(t.assigneeID), string(t.status), t.priority, t.channel, t.language,
		t.subject, t.fields, t.contactName, t.contactEmail, t.contactPhone,
		nullTime(t.dueAt), nullTime(t.firstAnswerAt), nullTime(t.resolvedAt),
		nullTime(t.closedAt), t.createdAt, t.updatedAt, t.version,
	}, nil
}

func (b *batch) messageValues(i int) ([]any, error) {
	m := &b.messages[i]

	return []any{m.ticketID, m.kind, nullID(m.authorID), m.body, m.at}, nil
}

func (b *batch) eventValues(i int) ([]any, error) {
	e := &b.events[i]

	return []any{e.ticketID, e.kind, nullID(e.actorID), e.oldValue, e.newValue, e.note, e.at}, nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}

	return id
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}

	return t
}
