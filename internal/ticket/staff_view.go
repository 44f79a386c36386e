package ticket

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/db"
)

// Summary is one row of a queue.
type Summary struct {
	ID          int64         `db:"id"`
	CaseNumber  string        `db:"case_number"`
	Subject     string        `db:"subject"`
	ServiceID   int64         `db:"service_id"`
	TeamID      int64         `db:"team_id"`
	ServiceName catalog.Texts `db:"-"` // from the names of all services, see publicNames
	TeamName    catalog.Texts `db:"-"`
	Status      Status        `db:"status"`
	Channel     string        `db:"channel"`
	Priority    string        `db:"priority"`
	Assignee    *string       `db:"assignee"`
	CreatedAt   time.Time     `db:"created_at"`
	UpdatedAt   time.Time     `db:"updated_at"`
	DueAt       *time.Time    `db:"due_at"`
	SortKey     string        `db:"sort_key"`
}

// Overdue reports whether an open ticket is past its due date at now; a ticket
// waiting for the citizen is not, as its clock stands still.
func (s Summary) Overdue(now time.Time) bool {
	return !s.Status.Terminal() && s.Status != Resolved && s.Status != WaitingForCitizen &&
		s.DueAt != nil && now.After(*s.DueAt)
}

// Ticket is everything staff see of one ticket.
type Ticket struct {
	Summary
	TrackingCode string
	ServiceID    int64
	Language     string
	Fields       map[string]string
	ContactName  string
	ContactEmail string
	ContactPhone string
	Version      int32
	TeamID       int64
	AssigneeID   *int64
	// FirstAnswerDueAt and WaitingSince are the service-level clock: when the
	// first answer is due, and since when the clock stands still.
	FirstAnswerDueAt *time.Time
	WaitingSince     *time.Time
	Messages         []Message
	Events           []Event
}

// Message is one entry of a ticket's conversation.
type Message struct {
	ID         int64     `db:"id"`
	Kind       string    `db:"kind"`
	AuthorName *string   `db:"author_name"`
	Body       string    `db:"body"`
	CreatedAt  time.Time `db:"created_at"`
}

// Event is one recorded change of a ticket.
type Event struct {
	Kind       string    `db:"kind"`
	ActorName  *string   `db:"actor_name"`
	OldValue   string    `db:"old_value"`
	NewValue   string    `db:"new_value"`
	PublicNote string    `db:"public_note"`
	CreatedAt  time.Time `db:"created_at"`
}

const getSQL = `
SELECT t.id, t.case_number, t.subject, s.name, tm.name, t.status, t.channel, t.priority,
	t.created_at, t.updated_at, t.tracking_code, t.service_id, t.language, t.fields,
	t.contact_name, t.contact_email, t.contact_phone, t.due_at, t.version, t.team_id,
	t.assignee_id, st.name, t.first_answer_due_at, t.waiting_since
FROM tickets t
JOIN services s ON s.id = t.service_id
JOIN teams tm ON tm.id = t.team_id
LEFT JOIN staff st ON st.id = t.assignee_id
WHERE t.id = $1`

const messagesSQL = `
SELECT m.id, m.kind, st.name AS author_name, m.body, m.created_at
FROM messages m
LEFT JOIN staff st ON st.id = m.author_id
WHERE m.ticket_id = $1
ORDER BY m.created_at, m.id`

const eventsSQL = `
SELECT e.kind, st.name AS actor_name, e.old_value, e.new_value, e.public_note, e.created_at
FROM events e
LEFT JOIN staff st ON st.id = e.actor_id
WHERE e.ticket_id = $1
ORDER BY e.created_at, e.id`

// Get returns a ticket with its conversation and events, or db.ErrNotFound.
func (s *Store) Get(ctx context.Context, id int64) (Ticket, error) {
	var t Ticket
	err := s.pool.QueryRow(ctx, getSQL, id).Scan(
		&t.ID, &t.CaseNumber, &t.Subject, &t.ServiceName, &t.TeamName, &t.Status, &t.Channel,
		&t.Priority, &t.CreatedAt, &t.UpdatedAt, &t.TrackingCode, &t.ServiceID, &t.Language, &t.Fields,
		&t.ContactName, &t.ContactEmail, &t.ContactPhone, &t.DueAt, &t.Version, &t.TeamID,
		&t.AssigneeID, &t.Assignee, &t.FirstAnswerDueAt, &t.WaitingSince,
	)
	if errors.Is(err, pgx.ErrNoRows) {
		return Ticket{}, fmt.Errorf("get ticket %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return Ticket{}, fmt.Errorf("get ticket %d: %w", id, err)
	}

	if t.Messages, err = collect[Message](ctx, s, messagesSQL, id); err != nil {
		return Ticket{}, fmt.Errorf("get ticket %d messages: %w", id, err)
	}

	if t.Events, err = collect[Event](ctx, s, eventsSQL, id); err != nil {
		return Ticket{}, fmt.Errorf("get ticket %d events: %w", id, err)
	}

	return t, nil
}

func collect[T any](ctx context.Context, s *Store, query string, args ...any) ([]T, error) {
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}

	return pgx.CollectRows(rows, pgx.RowToStructByName[T])
}
