// Package mail writes to citizens: it renders each message in the ticket's
// language from templates/mail and the locales, records it in outgoing_mail,
// and sends it over SMTP from a job-queue worker, or keeps it for the back
// office when no mail server is configured.
package mail

import (
	"strings"
	"time"
)

// Statuses of an outgoing mail.
const (
	StatusQueued = "queued"
	StatusSent   = "sent"
	StatusKept   = "kept"
	StatusFailed = "failed"
)

// Statuses lists every status of an outgoing mail, for filters.
var Statuses = []string{StatusQueued, StatusSent, StatusKept, StatusFailed}

// secretPlaceholder stands for the access link's secret in a stored mail: the
// secret is stored nowhere, only derived again when the mail goes out.
const secretPlaceholder = "access_secret_placeholder"

// Outgoing is one mail to a citizen as outgoing_mail records it.
type Outgoing struct {
	ID        int64
	TicketID  int64
	EventID   int64
	JobID     int64
	Kind      string
	Recipient string
	Language  string
	Subject   string
	Text      string
	HTML      string
	MessageID string
	Status    string
	LastError string
	Attempts  int
	CreatedAt time.Time
	SentAt    *time.Time
}

// withSecret returns the mail with the access link's secret filled in.
func (m Outgoing) withSecret(secret string) Outgoing {
	m.Text = FillSecret(m.Text, secret)
	m.HTML = FillSecret(m.HTML, secret)

	return m
}

// FillSecret puts the access link's secret into a stored mail body.
func FillSecret(body, secret string) string {
	return strings.ReplaceAll(body, secretPlaceholder, secret)
}
