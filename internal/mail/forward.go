package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"log/slog"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	gomail "github.com/wneessen/go-mail"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/i18n"
	"github.com/anliegen/anliegen/internal/ticket"
	texttemplate "text/template"
)

// KindForward is the outbox's kind of a mail that hands a ticket to another
// authority or body.
const KindForward = "forward"

// forwardLanguage is the language of a forwarding: it goes to an authority,
// not to the citizen.
const forwardLanguage = "de"

// ForwardDeps is what the forwarding worker needs. Without a Sender the mail
// is kept in the outbox, as citizens' mails are.
type ForwardDeps struct {
	Pool      *pgxpool.Pool
	Outbox    *Outbox
	Sender    *Sender
	Tickets   *ticket.Store
	Catalog   *catalog.Store
	Bundle    *i18n.Bundle
	Templates fs.FS
	Host      string
	Logger    *slog.Logger
	Location  *time.Location
}

// ForwardWorker works the ticket.ForwardArgs jobs: it writes the covering note
// and the request's content to the body the ticket was forwarded to, records
// the mail in the outbox with the job's arguments and sends it, retrying like
// the citizens' mails. Once the queue has removed a failed job, the outbox's
// retry button enqueues those arguments again (see forwardAgain).
type ForwardWorker struct {
	river.WorkerDefaults[ticket.ForwardArgs]
	ForwardDeps
	text *texttemplate.Template
	html *htmltemplate.Template
}

// NewForwardWorker parses mail/forward_body.txt and .html of d.Templates, so
// that a broken template stops start-up.
func NewForwardWorker(d ForwardDeps) (*ForwardWorker, error) {
	text, err := texttemplate.ParseFS(d.Templates, "mail/forward_body.txt")
	if err != nil {
		return nil, fmt.Errorf("parse mail forward_body.txt: %w", err)
	}

	html, err := htmltemplate.ParseFS(d.Templates, "mail/forward_body.html")
	if err != nil {
		return nil, fmt.Errorf("parse mail forward_body.html: %w", err)
	}

	return &ForwardWorker{ForwardDeps: d, text: text, html: html}, nil
}

// ForwardView is what the forwarding templates read.
type ForwardView struct {
	*i18n.Localizer
	CaseNumber string
	Subject    string
	Service    string
	Body       string
	Note       string
	Staff      string
	Answers    []catalog.Answer
	Messages   []ForwardMessage
	Contact    []string
	Files      []string
}

// ForwardMessage is one of the citizen's messages in a forwarding.
type ForwardMessage struct {
	At   string
	Body string
}

// Work sends the forwarding of one job; see NotifyWorker.Work for how attempts
// share one recorded mail.
func (w *ForwardWorker) Work(ctx context.Context, job *river.Job[ticket.ForwardArgs]) error {
	v, files, err := w.load(ctx, job.Args)
	if errors.Is(err, db.ErrNotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}

	m, err := w.prepare(ctx, job, v)
	if err != nil {
		return err
	}

	switch {
	case m.Status == StatusSent || m.Status == StatusKept:
		return nil
	case w.Sender == nil:
		if err := w.Outbox.MarkKept(ctx, m.ID); err != nil {
			return err
		}
		w.log(ctx, job, slog.LevelInfo, "forwarding kept: no mail server configured")
		return nil
	}

	return w.send(ctx, job, m, files)
}

const forwardEventSQL = `
SELECT e.new_value, coalesce(st.name, '')
FROM events e
LEFT JOIN staff st ON st.id = e.actor_id
WHERE e.id = $1
  AND e.ticket_id = $2
  AND e.kind = 'forward'`

// load gathers the forwarding's content and, when asked for, the files.
func (w *ForwardWorker) load(
	ctx context.Context,
	args ticket.ForwardArgs,
) (ForwardView, []gomailFile, error) {
	v := ForwardView{Localizer: w.Bundle.Localizer(forwardLanguage), Note: args.Note}
	err := w.Pool.QueryRow(ctx, forwardEventSQL, args.EventID, args.TicketID).
		Scan(&v.Body, &v.Staff)
	if errors.Is(err, pgx.ErrNoRows) {
		err = db.ErrNotFound
	}
	if err != nil {
		return ForwardView{}, nil, fmt.Errorf("forward event %d: %w", args.EventID, err)
	}

	t, err := w.Tickets.Get(ctx, args.TicketID)
	if err != nil {
		return ForwardView{}, nil, err
	}

	svc, err := w.Catalog.ServiceByID(ctx, t.ServiceID)
	if err != nil {
		return ForwardView{}, nil, err
	}

	w.content(&v, t, svc, args.Contact)
	if !args.Files {
		return v, nil, nil
	}

	files, err := w.files(ctx, args.TicketID)
	for _, f := range files {
		v.Files = append(v.Files, f.name)
	}

	return v, files, err
}

// content fills in the request: its facts, the form's answers, the citizen's
// messages and, with contact set, how to reach the citizen.
func (w *ForwardWorker) content(
	v *ForwardView,
	t ticket.Ticket,
	svc catalog.Service,
	contact bool,
) {
	v.CaseNumber, v.Subject, v.Service = t.CaseNumber, t.Subject, v.Pick(svc.Name)
	v.Answers = svc.Answers(t.Fields, v.Localizer)
	for _, msg := range t.Messages {
		if msg.Kind == "from_citizen" && msg.Body != "" {
			at := msg.CreatedAt.In(w.Location).Format(v.T("format_date_time"))
			v.Messages = append(v.Messages, ForwardMessage{At: at, Body: msg.Body})
		}
	}

	if !contact {
		return
	}

	for _, s := range []string{t.ContactName, t.ContactEmail, t.ContactPhone} {
		if s != "" {
			v.Contact = append(v.Contact, s)
		}
	}
}

// gomailFile is an attachment of a forwarding.
type gomailFile struct {
	name        string
	contentType string
	data        []byte
}

func (w *ForwardWorker) files(ctx context.Context, ticketID int64) ([]gomailFile, error) {
	list, err := w.Tickets.Attachments(ctx, ticketID)
	if err != nil {
		return nil, err
	}

	var out []gomailFile
	for _, info := range list {
		f, err := w.Tickets.Attachment(ctx, ticketID, info.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, gomailFile{name: f.Name, contentType: f.ContentType, data: f.Data})
	}

	return out, nil
}

func (w *ForwardWorker) prepare(
	ctx context.Context,
	job *river.Job[ticket.ForwardArgs],
	v ForwardView,
) (Outgoing, error) {
	subject := "[" + v.CaseNumber + "] " + v.T("bo_fwd_subject", "Service", v.Service)

	var text, html bytes.Buffer
	if err := w.text.ExecuteTemplate(&text, "forward", v); err != nil {
		return Outgoing{}, fmt.Errorf("render forward_body.txt: %w", err)
	}
	if err := w.html.ExecuteTemplate(&html, "forward", v); err != nil {
		return Outgoing{}, fmt.Errorf("render forward_body.html: %w", err)
	}

	m, err := w.Outbox.Prepare(ctx, Outgoing{
		TicketID: job.Args.TicketID, EventID: job.Args.EventID, JobID: job.ID,
		Kind: KindForward, Recipient: job.Args.Email, Language: forwardLanguage,
		Subject: subject, Text: text.String(), HTML: html.String(),
		MessageID: ForwardMessageID(job.Args, job.ID, w.Host),
	})
	if err != nil {
		return Outgoing{}, err
	}

	if _, err := w.Pool.Exec(ctx, keepForwardArgsSQL, m.ID, job.Args); err != nil {
		return Outgoing{}, fmt.Errorf("keep forwarding job: %w", err)
	}

	return m, nil
}

const keepForwardArgsSQL = `
UPDATE outgoing_mail
SET job_args = $2
WHERE id = $1
  AND job_args IS NULL`

const forwardArgsSQL = `
SELECT job_args
FROM outgoing_mail
WHERE id = $1
  AND kind = 'forward'`

// forwardAgain returns the job that sends the forwarding of mail id afresh,
// with the note, files and contact the first one had. A forwarding recorded
// before its arguments were kept cannot be rebuilt: it returns db.ErrConflict,
// and staff forward the ticket anew.
func forwardAgain(ctx context.Context, tx pgx.Tx, id int64) (ticket.ForwardArgs, error) {
	var args *ticket.ForwardArgs
	if err := tx.QueryRow(ctx, forwardArgsSQL, id).Scan(&args); err != nil {
		return ticket.ForwardArgs{}, fmt.Errorf("forwarding of mail: %w", err)
	}

	if args == nil {
		return ticket.ForwardArgs{}, fmt.Errorf("forwarding without arguments: %w",
			db.ErrConflict)
	}

	return *args, nil
}

// ForwardMessageID returns the Message-ID of a forwarding, the same for every
// attempt of its job.
func ForwardMessageID(args ticket.ForwardArgs, jobID int64, host string) string {
	return "forward-" + strconv.FormatInt(args.TicketID, 10) + "-" +
		strconv.FormatInt(args.EventID, 10) + "-" + strconv.FormatInt(jobID, 10) + "@" + host
}

func (w *ForwardWorker) send(
	ctx context.Context,
	job *river.Job[ticket.ForwardArgs],
	m Outgoing,
	files []gomailFile,
) error {
	sendErr := w.deliver(ctx, m, files)
	if sendErr == nil {
		if err := w.Outbox.MarkSent(ctx, m.ID); err != nil {
			return err
		}
		w.log(ctx, job, slog.LevelInfo, "forwarding sent")
		return nil
	}

	w.log(ctx, job, slog.LevelWarn, "forwarding not sent")

	// As for citizens' mails, the server's words stay with the mail only.
	notDelivered := fmt.Errorf("%w: %s", ErrNotDelivered, summary(sendErr))
	refused := permanent(sendErr)
	final := refused || job.Attempt >= job.MaxAttempts
	if err := w.Outbox.RecordFailure(ctx, m.ID, sendErr, final); err != nil {
		return errors.Join(notDelivered, err)
	}

	if refused {
		return river.JobCancel(notDelivered)
	}

	return notDelivered
}

func (w *ForwardWorker) deliver(ctx context.Context, m Outgoing, files []gomailFile) error {
	msg, err := w.Sender.message(m)
	if err != nil {
		return err
	}

	for _, f := range files {
		err := msg.AttachReader(f.name, bytes.NewReader(f.data),
			gomail.WithFileContentType(gomail.ContentType(f.contentType)))
		if err != nil {
			return fmt.Errorf("%w: attachment: %w", errBadMessage, err)
		}
	}

	if err := w.Sender.client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("deliver to %s: %w", w.Sender.server.Addr(), err)
	}

	return nil
}

// log records a step of a job with the ticket's ID only: the body's address
// and the note stay out of the log.
func (w *ForwardWorker) log(
	ctx context.Context,
	job *river.Job[ticket.ForwardArgs],
	level slog.Level,
	msg string,
) {
	w.Logger.Log(ctx, level, msg, "ticket_id", job.Args.TicketID, "kind", KindForward)
}
