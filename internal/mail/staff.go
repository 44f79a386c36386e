package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/i18n"
	"github.com/anliegen/anliegen/internal/ticket"
)

// staffKindPrefix starts the outbox kind of a mail to staff, so that the
// outbox tells them from mails to citizens.
const staffKindPrefix = "staff_"

// StaffMessages lists the mails staff are sent about a ticket; each has a text
// and an HTML template in templates/mail, named staff_ and the message.
var StaffMessages = []string{ticket.StaffMessageBounce, ticket.StaffMessageOverdue}

// StaffView is what a staff mail template reads: the translations of the
// staff member's language, German or English, and the ticket's few facts. The
// mail names neither the citizen nor what they wrote.
type StaffView struct {
	*i18n.Localizer
	Subject    string
	Name       string
	CaseNumber string
	Service    string
	Team       string
	Due        string
	TicketURL  string
}

// StaffNotifyWorker works the ticket.StaffNotifyArgs jobs through the same
// outbox, and with the same retries, as the mails to citizens. A staff member
// who replies to such a mail reaches the city's mailbox, where the inbox
// recognises the reply by its In-Reply-To or References (see StaffMessageID)
// and drops it instead of opening a ticket.
type StaffNotifyWorker struct {
	river.WorkerDefaults[ticket.StaffNotifyArgs]
	WorkerDeps
}

// NewStaffNotifyWorker returns the staff mail worker for d.
func NewStaffNotifyWorker(d WorkerDeps) *StaffNotifyWorker {
	return &StaffNotifyWorker{WorkerDeps: d}
}

// staffFacts is what a staff mail says and where it goes.
type staffFacts struct {
	CaseNumber string
	Service    catalog.Texts
	Team       catalog.Texts
	Due        *time.Time
	Email      string
	Name       string
	Language   string
	Active     bool
}

const staffFactsSQL = `
SELECT t.case_number, s.name, tm.name, t.due_at, st.email, st.name, st.language,
	st.disabled_at IS NULL
FROM tickets t
JOIN services s ON s.id = t.service_id
JOIN teams tm ON tm.id = t.team_id
CROSS JOIN staff st
WHERE t.id = $1
  AND st.id = $2`

// Work sends the mail of one job, as NotifyWorker does for citizens; a staff
// member disabled meanwhile is sent nothing.
func (w *StaffNotifyWorker) Work(
	ctx context.Context,
	job *river.Job[ticket.StaffNotifyArgs],
) error {
	var f staffFacts
	err := w.Pool.QueryRow(ctx, staffFactsSQL, job.Args.TicketID, job.Args.StaffID).Scan(
		&f.CaseNumber, &f.Service, &f.Team, &f.Due, &f.Email, &f.Name, &f.Language, &f.Active)
	if errors.Is(err, pgx.ErrNoRows) {
		return river.JobCancel(fmt.Errorf("load staff mail: %w", db.ErrNotFound))
	}
	if err != nil {
		return fmt.Errorf("load staff mail: %w", err)
	}

	logf := func(level slog.Level, msg string) {
		w.Logger.Log(ctx, level, msg, "ticket_id", job.Args.TicketID,
			"staff_id", job.Args.StaffID, "kind", staffKindPrefix+job.Args.Message)
	}
	if !f.Active {
		logf(slog.LevelInfo, "mail skipped: staff member disabled")
		return nil
	}

	v := w.staffView(job.Args, f)
	r, err := w.Renderer.RenderStaff(job.Args.Message, v)
	if err != nil {
		return err
	}

	m, err := w.Outbox.Prepare(ctx, Outgoing{
		TicketID: job.Args.TicketID, EventID: job.Args.EventID, JobID: job.ID,
		Kind: staffKindPrefix + job.Args.Message, Recipient: f.Email, Language: v.Tag,
		Subject: r.Subject, Text: r.Text, HTML: r.HTML,
		MessageID: StaffMessageID(job.Args, job.ID, w.BaseURL.Hostname()),
	})
	if err != nil {
		return err
	}

	return w.deliver(ctx, m, job.JobRow, logf)
}

func (w *StaffNotifyWorker) staffView(args ticket.StaffNotifyArgs, f staffFacts) StaffView {
	// The back office speaks German and English only.
	lang := i18n.Default
	if f.Language == "en" {
		lang = "en"
	}

	loc := w.Renderer.Localizer(lang)
	v := StaffView{
		Localizer: loc, Name: f.Name, CaseNumber: f.CaseNumber,
		Service: loc.Pick(f.Service), Team: loc.Pick(f.Team),
	}

	if f.Due != nil {
		v.Due = f.Due.In(w.location()).Format(loc.T("format_date"))
	}

	if w.BackofficeURL != nil {
		v.TicketURL = strings.TrimSuffix(w.BackofficeURL.String(), "/") + "/tickets/" +
			strconv.FormatInt(args.TicketID, 10)
	}

	return v
}

// StaffMessageID returns the Message-ID, without angle brackets, of the mail
// that job jobID sends to a staff member for args.
func StaffMessageID(args ticket.StaffNotifyArgs, jobID int64, host string) string {
	return "staff-" + strconv.FormatInt(args.TicketID, 10) + "-" + args.Message + "-" +
		strconv.FormatInt(args.StaffID, 10) + "-" + strconv.FormatInt(jobID, 10) + "@" + host
}

const staffOfMailSQL = `
SELECT st.id
FROM outgoing_mail m
JOIN staff st ON lower(st.email) = lower(m.recipient)
WHERE m.id = $1`

// againArgs returns the job that sends a failed mail afresh: a forwarding, a
// notice to the citizen, or a staff mail to the staff member it went to.
func againArgs(ctx context.Context, tx pgx.Tx, id int64, e Entry) (river.JobArgs, error) {
	if e.Kind == KindForward {
		return forwardAgain(ctx, tx, id)
	}

	message, toStaff := strings.CutPrefix(e.Kind, staffKindPrefix)
	if !toStaff {
		return ticket.NotifyArgs{TicketID: e.TicketID, Message: e.Kind, EventID: e.EventID}, nil
	}

	var staffID int64
	if err := tx.QueryRow(ctx, staffOfMailSQL, id).Scan(&staffID); err != nil {
		return nil, fmt.Errorf("staff member of mail: %w", err)
	}

	return ticket.StaffNotifyArgs{
		TicketID: e.TicketID, StaffID: staffID, Message: message, EventID: e.EventID,
	}, nil
}
