package stats

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"log/slog"
	netmail "net/mail"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/i18n"
	"github.com/anliegen/anliegen/internal/mail"
)

// Recipient is one address the monthly report goes to, with the language it
// is written in: German or English.
type Recipient struct {
	Address  string
	Language string
}

// ParseRecipients reads a comma-separated list of addresses, each optionally
// preceded by its language and a colon, such as "amt@stadt.de, en:it@stadt.de".
func ParseRecipients(s string) ([]Recipient, error) {
	var out []Recipient
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}

		r := Recipient{Address: part, Language: "de"}
		if lang, addr, ok := strings.Cut(part, ":"); ok && (lang == "de" || lang == "en") {
			r = Recipient{Address: strings.TrimSpace(addr), Language: lang}
		}

		a, err := netmail.ParseAddress(r.Address)
		if err != nil {
			return nil, fmt.Errorf("%q is not an e-mail address", r.Address)
		}
		r.Address = a.Address
		out = append(out, r)
	}

	return out, nil
}

// ReportArgs is the job that mails the report of one month, as 2006-01. The
// scheduled job names no recipient and hands out one job per recipient, so
// that a retry after one recipient's failure never mails the others again.
type ReportArgs struct {
	Month string `json:"month"`
	// To is the recipient's address; empty for the job that hands out.
	To string `json:"to,omitempty"`
}

// Kind names the job in the queue.
func (ReportArgs) Kind() string { return "stats_report" }

// ReportDeps is what the monthly report needs. Without a Sender, no report
// goes out.
type ReportDeps struct {
	Store      *Store
	Catalog    *catalog.Store
	Sender     *mail.Sender
	Bundle     *i18n.Bundle
	Recipients []Recipient
	// DashboardURL is the address of the back office's statistics.
	DashboardURL string
	// Host names the installation in the reports' Message-IDs.
	Host   string
	Logger *slog.Logger
}

// ReportWorker works the ReportArgs jobs.
type ReportWorker struct {
	river.WorkerDefaults[ReportArgs]
	ReportDeps
}

// Work counts the month and mails its report to every recipient. Each mail
// has a Message-ID of its month and recipient, so a retry after a failure
// sends the same mail again rather than a different one.
func (w *ReportWorker) Work(ctx context.Context, job *river.Job[ReportArgs]) error {
	month, err := time.ParseInLocation("2006-01", job.Args.Month, w.Store.Location())
	if err != nil {
		return river.JobCancel(fmt.Errorf("stats report: month %q: %w", job.Args.Month, err))
	}

	// TODO: without a mail server the report is only logged as not sent; the
	// outbox keeps mails about tickets only (outgoing_mail.ticket_id is
	// required), so staff cannot read the report there.
	if w.Sender == nil {
		w.Logger.Warn("monthly statistics not mailed: no mail server configured",
			"month", job.Args.Month)
		return nil
	}

	if job.Args.To == "" {
		return w.handOut(ctx, job.Args.Month)
	}

	i := slices.IndexFunc(w.Recipients, func(r Recipient) bool { return r.Address == job.Args.To })
	if i < 0 {
		return river.JobCancel(fmt.Errorf("stats report: recipient %d is no longer configured",
			job.ID))
	}

	return w.send(ctx, month, job, i)
}

// handOut enqueues one job per recipient of the month's report; a retry of
// the handing out adds no second job for a recipient.
func (w *ReportWorker) handOut(ctx context.Context, month string) error {
	client, err := river.ClientFromContextSafely[pgx.Tx](ctx)
	if err != nil {
		return fmt.Errorf("stats report: %w", err)
	}

	for _, r := range w.Recipients {
		_, err := client.Insert(ctx, ReportArgs{Month: month, To: r.Address},
			&river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}})
		if err != nil {
			return fmt.Errorf("stats report: enqueue a recipient: %w", err)
		}
	}

	return nil
}

// send mails the report of month to recipient i, under a Message-ID of its
// own job, so that a retry sends the same mail again.
func (w *ReportWorker) send(
	ctx context.Context,
	month time.Time,
	job *river.Job[ReportArgs],
	i int,
) error {
	if _, err := w.Store.Refresh(ctx, false); err != nil {
		return err
	}

	f := Filter{From: month, To: month.AddDate(0, 1, 0)}
	d, err := w.Store.Dashboard(ctx, f)
	if err != nil {
		return err
	}

	services, err := w.Catalog.Services(ctx)
	if err != nil {
		return err
	}

	m := w.Compose(d, services, w.Recipients[i])
	m.MessageID = fmt.Sprintf("stats-%s-%d.%d@%s", job.Args.Month, i, job.ID, w.Host)
	if err := w.Sender.Send(ctx, m); err != nil {
		return fmt.Errorf("stats report to recipient %d: %w", i+1, err)
	}

	w.Logger.Info("monthly statistics mailed", "month", job.Args.Month, "recipient", i+1)

	return nil
}

// reportLine is one figure of the report.
type reportLine struct {
	Label, Value string
}

// reportView is what the report's text and HTML show.
type reportView struct {
	Intro    string
	Lines    []reportLine
	Services string
	Head     []string
	Rows     [][]string
	Link     string
	LinkText string
}

// Compose writes the report of d for r in r's language.
func (w *ReportWorker) Compose(
	d *Dashboard,
	services []catalog.Service,
	r Recipient,
) mail.Outgoing {
	l := w.Bundle.Localizer(r.Language)
	p := message.NewPrinter(language.Make(l.Tag))
	month := d.Filter.From.Format("01/2006")
	pct := func(s Share) string {
		if !s.Known() {
			return l.T("bo_stats_none")
		}
		return p.Sprintf("%.1f %%", s.Percent())
	}
	days := func(h *Histogram, q float64) string {
		v, ok := h.Percentile(q)
		if !ok {
			return l.T("bo_stats_none")
		}
		return p.Sprintf("%.1f", v)
	}

	v := reportView{
		Intro:    l.T("bo_stats_report_intro", "Month", month),
		Services: l.T("bo_stats_by_service"),
		Link: fmt.Sprintf("%s?from=%s&to=%s", w.DashboardURL, d.Filter.From.Format(time.DateOnly),
			d.Filter.To.AddDate(0, 0, -1).Format(time.DateOnly)),
		LinkText: l.T("bo_stats_report_link"),
		Head: []string{l.T("bo_stats_name"), l.T("bo_stats_intake"),
			l.T("bo_stats_resolve_median"), l.T("bo_stats_resolve_level")},
	}
	score := l.T("bo_stats_none")
	if s, ok := d.Total.Satisfaction(); ok {
		score = l.T("bo_stats_score", "Score", p.Sprintf("%.1f", s)) + ", " +
			l.T("bo_stats_answers", "N", p.Sprintf("%d", d.Total.Feedback))
	}
	v.Lines = []reportLine{
		{l.T("bo_stats_intake"), p.Sprintf("%d", d.Total.Intake) + " (" +
			l.T("bo_stats_report_before", "N", p.Sprintf("%d", d.PreviousTotal.Intake)) + ")"},
		{l.T("bo_stats_answer_level"), pct(d.Total.AnswerLevel())},
		{l.T("bo_stats_resolve_level"), pct(d.Total.ResolveLevel())},
		{l.T("bo_stats_resolve_median"), days(&d.TimesAll.Resolve, 0.5)},
		{l.T("bo_stats_resolve_p90"), days(&d.TimesAll.Resolve, 0.9)},
		{l.T("bo_stats_reopened"), pct(d.Total.ReopenedShare())},
		{l.T("bo_stats_merged"), pct(d.Total.MergedShare())},
		{l.T("bo_stats_satisfaction"), score},
	}
	for _, s := range services {
		g := Counts{}
		for _, bs := range d.ByService {
			if bs.ID == s.ID {
				g = bs.Current
			}
		}
		if g.Intake == 0 {
			continue
		}
		t := d.TimesByService[s.ID]
		median := l.T("bo_stats_none")
		if t != nil {
			median = days(&t.Resolve, 0.5)
		}
		v.Rows = append(v.Rows, []string{l.Pick(s.Name), p.Sprintf("%d", g.Intake), median,
			pct(g.ResolveLevel())})
	}

	return mail.Outgoing{
		Kind: "stats_report", Recipient: r.Address, Language: l.Tag,
		Subject: l.T("bo_stats_report_subject", "Month", month),
		Text:    reportText(v), HTML: reportHTML(v),
	}
}

func reportText(v reportView) string {
	var b strings.Builder
	b.WriteString(v.Intro + "\n\n")
	for _, line := range v.Lines {
		fmt.Fprintf(&b, "%s: %s\n", line.Label, line.Value)
	}

	b.WriteString("\n" + v.Services + "\n")
	for _, r := range v.Rows {
		fmt.Fprintf(&b, "- %s: %s %s, %s %s, %s %s\n", r[0], v.Head[1], r[1], v.Head[2], r[2],
			v.Head[3], r[3])
	}

	fmt.Fprintf(&b, "\n%s: %s\n", v.LinkText, v.Link)

	return b.String()
}

var reportTemplate = template.Must(template.New("report").Parse(`<!doctype html>
<html><body>
<p>{{.Intro}}</p>
<table>{{range .Lines}}
<tr><th scope="row" align="left">{{.Label}}</th><td>{{.Value}}</td></tr>{{end}}
</table>
<h2>{{.Services}}</h2>
<table><tr>{{range .Head}}<th scope="col" align="left">{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>{{end}}</table>
<p><a href="{{.Link}}">{{.LinkText}}</a></p>
</body></html>`))

func reportHTML(v reportView) string {
	var b bytes.Buffer
	if err := reportTemplate.Execute(&b, v); err != nil {
		return ""
	}

	return b.String()
}
