package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/internal/tracking"
)

// ErrNotDelivered is what the job queue records, and logs, for a mail the
// server did not take; the server's reply, which may name the recipient, is
// kept only with the mail in outgoing_mail.
var ErrNotDelivered = errors.New("mail not delivered")

// AccessLinks derives a ticket's access link secret and the token of its
// satisfaction question, as ticket.Store does.
type AccessLinks interface {
	AccessSecret(code tracking.Code, epoch int) string
	FeedbackToken(ticketID int64) string
}

// WorkerDeps is what the notification worker needs. Without a Sender, mails
// are kept in the outbox instead of sent.
type WorkerDeps struct {
	Pool     *pgxpool.Pool
	Outbox   *Outbox
	Renderer *Renderer
	Sender   *Sender
	Links    AccessLinks
	BaseURL  *url.URL
	// BackofficeURL is where staff mails link to; without it they name the
	// case number only.
	BackofficeURL *url.URL
	Logger        *slog.Logger
	// Location is the city's time zone, in which mails give dates.
	Location *time.Location
}

func (d *WorkerDeps) location() *time.Location {
	if d.Location == nil {
		return time.Local
	}

	return d.Location
}

// NotifyWorker works the ticket.NotifyArgs jobs: it renders the mail in the
// ticket's language, records it in the outbox and sends it. A failed delivery
// returns its error, so the job queue tries again with exponential backoff.
type NotifyWorker struct {
	river.WorkerDefaults[ticket.NotifyArgs]
	WorkerDeps
}

// NewNotifyWorker returns the worker for d.
func NewNotifyWorker(d WorkerDeps) *NotifyWorker {
	return &NotifyWorker{WorkerDeps: d}
}

// Work sends the mail of one job. Every attempt of the job reuses the row the
// first attempt recorded and sends under its Message-ID, and an attempt after
// a recorded delivery sends nothing. Only a crash between the server taking
// the mail and its record sends it twice, then as the same mail. A mail the
// ticket's service has turned off is not sent and leaves no row.
func (w *NotifyWorker) Work(ctx context.Context, job *river.Job[ticket.NotifyArgs]) error {
	f, err := w.loadFacts(ctx, job.Args)
	if errors.Is(err, db.ErrNotFound) {
		// The ticket or its event was deleted: there is nobody left to tell.
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}

	logf := func(level slog.Level, msg string) { w.log(ctx, job, level, msg) }
	message := f.message(job.Args)
	switch {
	case f.Email == "":
		logf(slog.LevelInfo, "mail skipped: no address")
		return nil
	case message == "":
		logf(slog.LevelInfo, "mail skipped: the action's own mail tells")
		return nil
	case !f.sends(message):
		logf(slog.LevelInfo, "mail skipped: turned off for the service")
		return nil
	}

	m, err := w.prepare(ctx, job, message, f)
	if err != nil {
		return err
	}

	m = m.withSecret(w.Links.AccessSecret(f.Code, f.Epoch))

	return w.deliver(ctx, m, job.JobRow, logf)
}

// prepare renders the mail and records it, or returns the row that an earlier
// attempt of the job recorded.
func (w *NotifyWorker) prepare(
	ctx context.Context,
	job *river.Job[ticket.NotifyArgs],
	message string,
	f facts,
) (Outgoing, error) {
	v := w.view(job.Args.TicketID, message, f)
	r, err := w.Renderer.Render(message, v)
	if err != nil {
		return Outgoing{}, err
	}

	return w.Outbox.Prepare(ctx, Outgoing{
		TicketID: job.Args.TicketID, EventID: job.Args.EventID, JobID: job.ID,
		Kind: message, Recipient: f.Email, Language: v.Tag,
		Subject: r.Subject, Text: r.Text, HTML: r.HTML,
		MessageID: MessageID(job.Args, job.ID, w.BaseURL.Hostname()),
	})
}

// view gathers what the templates show, in the ticket's language. Texts from
// staff and administrators lose any copy of the placeholder, which only the
// access link may carry.
func (w *NotifyWorker) view(ticketID int64, message string, f facts) View {
	loc := w.Renderer.Localizer(f.Language)
	base := w.BaseURL.String()
	lang := "?lang=" + url.QueryEscape(loc.Tag)
	v := View{
		Localizer:  loc,
		CaseNumber: f.CaseNumber,
		Code:       f.Code.String(),
		Service:    strings.ReplaceAll(loc.Pick(f.Service), secretPlaceholder, ""),
		AccessURL:  base + "/a/" + secretPlaceholder + lang,
		TrackURL:   base + "/t/" + f.Code.Canonical() + lang,
		PrivacyURL: base + "/privacy" + lang,
		Value:      strings.ReplaceAll(f.Value, secretPlaceholder, ""),
		Note:       strings.ReplaceAll(f.Note, secretPlaceholder, ""),
	}

	// A reminder's event names when the ticket closes unanswered.
	if closes, err := time.Parse(time.RFC3339, f.Value); err == nil && f.EventKind == "reminder" {
		v.CloseDate, v.Value = closes.In(w.location()).Format(loc.T("format_date")), ""
	}

	if f.Status != "" {
		v.Status = loc.T("status_" + string(f.Status) + "_name")
		v.StatusText = loc.T("status_" + string(f.Status) + "_text")
	}

	if message == MessageResolved {
		feedback := base + "/feedback/" + w.Links.FeedbackToken(ticketID) + lang + "&score="
		for score := 1; score <= 5; score++ {
			v.Scores = append(v.Scores, ScoreLink{Score: score,
				URL: feedback + strconv.Itoa(score)})
		}
	}

	return v
}

// deliver sends a prepared mail, or keeps it without a mail server; a mail
// recorded as sent or kept by an earlier attempt goes nowhere again.
func (d *WorkerDeps) deliver(
	ctx context.Context,
	m Outgoing,
	job *rivertype.JobRow,
	logf func(slog.Level, string),
) error {
	switch {
	case m.Status == StatusSent || m.Status == StatusKept:
		return nil
	case d.Sender == nil:
		if err := d.Outbox.MarkKept(ctx, m.ID); err != nil {
			return err
		}

		logf(slog.LevelInfo, "mail kept: no mail server configured")

		return nil
	}

	sendErr := d.Sender.Send(ctx, m)
	if sendErr == nil {
		if err := d.Outbox.MarkSent(ctx, m.ID); err != nil {
			return err
		}

		logf(slog.LevelInfo, "mail sent")

		return nil
	}

	logf(slog.LevelWarn, "mail not sent")

	// The cause is not wrapped: its text may name the recipient, and the job
	// queue logs what it is given. The whole reply stays with the mail.
	notDelivered := fmt.Errorf("%w: %s", ErrNotDelivered, summary(sendErr))
	refused := permanent(sendErr)
	final := refused || job.Attempt >= job.MaxAttempts
	if err := d.Outbox.RecordFailure(ctx, m.ID, sendErr, final); err != nil {
		return errors.Join(notDelivered, err)
	}

	if refused {
		return river.JobCancel(notDelivered)
	}

	return notDelivered
}

// log records a step of a job with the ticket's ID and the kind of mail only.
func (w *NotifyWorker) log(
	ctx context.Context,
	job *river.Job[ticket.NotifyArgs],
	level slog.Level,
	msg string,
) {
	w.Logger.Log(ctx, level, msg, "ticket_id", job.Args.TicketID,
		"kind", job.Args.Message)
}
