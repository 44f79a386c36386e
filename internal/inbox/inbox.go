// Package inbox reads the city's mailbox over IMAP and turns each mail into what
// it is: a reply on its ticket, a new ticket in the intake service, or, for
// auto-replies, list traffic and bounces, nothing that answers back. One
// instance among all polls, elected by an advisory lock, and a mail is marked
// done on the server only after its ticket has been committed.
package inbox

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/attachment"
	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/ticket"
)

// DefaultInterval is the time between two passes over the mailbox when Options
// names none.
const DefaultInterval = time.Minute

// Options is what the poller needs; URL, Pool, Tickets and IntakeService are
// required.
type Options struct {
	URL           string            // IMAP_URL; see ParseURL
	Pool          *pgxpool.Pool     // for the lock that elects the poller
	Tickets       *ticket.Store     // where mail becomes tickets and messages
	Files         attachment.Policy // the portal's rules, which mail attachments follow too
	Interval      time.Duration     // between passes; DefaultInterval when zero
	Logger        *slog.Logger      // no logging when nil
	IntakeService string            // code of the service that new tickets open in

	// Language reports whether a ticket may be kept in a language tag, to take
	// the Content-Language of a mail; tickets are German when it is nil.
	Language func(tag string) bool

	// TLSConfig holds the roots to trust for a city's own certificate
	// authority; the system's roots when nil.
	TLSConfig *tls.Config
}

// Poller reads one mailbox into tickets.
type Poller struct {
	opts    Options
	account Account
	intake  catalog.Service
	log     *slog.Logger
}

// Summary counts what one pass over the mailbox did.
type Summary struct {
	Outcomes map[string]int // mails taken, by outcome (ticket.MailAppended, …)
	Known    int            // mails taken in an earlier pass, now marked done
	Failed   int            // mails left for the next pass after an error
	SetAside int            // mails flagged for staff after maxTries failed passes
}

// Run polls the mailbox every interval until ctx ends, while this instance is
// elected; errors of a pass are logged and the pass is tried again. It returns
// early only for options that cannot work.
func Run(ctx context.Context, o Options) error {
	p, err := New(ctx, o)
	if err != nil {
		return err
	}

	p.Run(ctx)
	return nil
}

// New checks the options, parses the URL and finds the intake service.
func New(ctx context.Context, o Options) (*Poller, error) {
	if o.Pool == nil || o.Tickets == nil {
		return nil, errors.New("inbox: a pool and a ticket store are required")
	}

	account, err := ParseURL(o.URL)
	if err != nil {
		return nil, fmt.Errorf("inbox: %w", err)
	}

	if err := o.Files.Validate(); err != nil {
		return nil, fmt.Errorf("inbox: %w", err)
	}

	intake, err := catalog.NewStore(o.Pool).ServiceByCode(ctx, o.IntakeService)
	if err != nil {
		return nil, fmt.Errorf("inbox: intake service %q: %w", o.IntakeService, err)
	}

	if o.Interval <= 0 {
		o.Interval = DefaultInterval
	}

	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}

	return &Poller{opts: o, account: account, intake: intake, log: log}, nil
}

// Run polls the mailbox every interval until ctx ends.
func (p *Poller) Run(ctx context.Context) {
	p.log.Info("mailbox poller started", "mailbox", p.account.String(),
		"interval_ms", p.opts.Interval.Milliseconds())

	t := time.NewTicker(p.opts.Interval)
	defer t.Stop()

	for {
		p.pass(ctx)

		select {
		case <-ctx.Done():
			p.log.Info("mailbox poller stopped")
			return
		case <-t.C:
		}
	}
}

func (p *Poller) pass(ctx context.Context) {
	start := time.Now()
	sum, err := p.Poll(ctx)
	if errors.Is(err, ErrNotLeader) || ctx.Err() != nil {
		return
	}

	if err != nil {
		p.log.Error("mailbox pass failed", "error", err)
		return
	}

	if taken := sum.taken(); taken > 0 || sum.Known > 0 || sum.Failed > 0 || sum.SetAside > 0 {
		p.log.Info("mailbox pass", "taken", taken, "known", sum.Known, "failed", sum.Failed,
			"set_aside", sum.SetAside, "duration_ms", time.Since(start).Milliseconds())
	}
}

// Poll takes every mail not yet done, once, if this instance holds the lead for
// the time of the pass; ErrNotLeader when another instance does. A mail whose
// ticket could not be stored stays for the next pass and is counted as failed;
// after maxTries such passes it is set aside for staff.
func (p *Poller) Poll(ctx context.Context) (Summary, error) {
	lead, err := TakeLead(ctx, p.opts.Pool)
	if err != nil {
		return Summary{}, err
	}
	defer lead.Release()

	s, err := dial(ctx, p.account, p.opts.TLSConfig)
	if err != nil {
		return Summary{}, fmt.Errorf("poll mailbox: %w", err)
	}
	defer s.close()

	uids, err := s.unseen()
	if err != nil {
		return Summary{}, fmt.Errorf("poll mailbox: %w", err)
	}

	sum := Summary{Outcomes: map[string]int{}}
	for _, uid := range uids {
		if err := lead.Check(ctx); err != nil {
			return sum, fmt.Errorf("poll mailbox: %w", err)
		}

		if err := p.takeOne(ctx, s, uid, &sum); err != nil {
			return sum, fmt.Errorf("poll mailbox: %w", err)
		}
	}

	return sum, nil
}

// takeOne takes one mail and marks it done once its outcome is committed. Only
// a lost connection to the mailbox ends the pass; a mail that cannot be stored
// is left for the next one, or set aside (see notTaken).
func (p *Poller) takeOne(ctx context.Context, s *session, uid imap.UID, sum *Summary) error {
	raw, whole, err := s.fetch(uid)
	if errors.Is(err, errGone) {
		return nil
	}
	if err != nil {
		return err
	}

	m := parse(raw, whole)
	outcome, err := p.take(ctx, m)
	if err != nil {
		return p.notTaken(ctx, s, uid, m.id, err, sum)
	}

	if err := s.markDone(uid); err != nil {
		return err
	}
	if err := p.forgetFailures(ctx, m.id); err != nil {
		p.log.Error("count of failed passes not removed", "uid", uint32(uid), "error", err)
	}

	if outcome == "" {
		sum.Known++
	} else {
		sum.Outcomes[outcome]++
	}

	return nil
}

// notTaken counts a failed pass for the mail, which stays for the next pass,
// and sets it aside after maxTries. Only a lost connection to the mailbox ends
// the pass.
func (p *Poller) notTaken(ctx context.Context, s *session, uid imap.UID, id string, cause error,
	sum *Summary) error {
	tries, err := p.failed(ctx, id)
	if err != nil {
		p.log.Error("mail not taken", "uid", uint32(uid), "error", cause, "count_error", err)
		sum.Failed++
		return nil
	}

	if tries < maxTries {
		p.log.Error("mail not taken", "uid", uint32(uid), "tries", tries, "error", cause)
		sum.Failed++
		return nil
	}

	if err := p.setAside(ctx, s, uid, id); err != nil {
		return err
	}
	p.log.Error("mail set aside for staff after failed passes", "uid", uint32(uid),
		"tries", tries, "error", cause)
	sum.SetAside++

	return nil
}

func (s Summary) taken() int {
	n := 0
	for _, c := range s.Outcomes {
		n += c
	}

	return n
}
