package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/staff"
)

// staffSample is how many tickets and search words the staff scenarios pick
// from.
const staffSample = 20_000

// staffScenario reports whether scenario drives the back office as a clerk.
func staffScenario(scenario string) bool {
	return scenario == "queue" || scenario == "search" || scenario == "ticket"
}

// clerk is the staff member a staff scenario works as, and what is in reach.
type clerk struct {
	id       int64
	email    string
	teams    []int64
	services []int64
	tickets  []int64
	words    []string
}

// runStaff signs a clerk in and drives the back office at base with one of the
// staff scenarios: queue opens queues with filters, search searches the full
// text, ticket opens tickets of the clerk's teams. The session is made
// directly in the database, as a sign-in would, so that the second factor
// stays on; it ends with the run.
func runStaff(
	ctx context.Context,
	base string,
	pool *pgxpool.Pool,
	opts loadOptions,
	out io.Writer,
) (loadResult, error) {
	who, err := findClerk(ctx, pool, opts.As)
	if err != nil {
		return loadResult{}, err
	}

	if err := who.sample(ctx, pool); err != nil {
		return loadResult{}, err
	}

	store := staff.NewStore(pool)
	session, err := store.StartSession(ctx, who.id)
	if err != nil {
		return loadResult{}, fmt.Errorf("load: sign in: %w", err)
	}
	defer func() { _ = store.EndSession(context.WithoutCancel(ctx), session) }()

	client, err := newFastClient(base, opts.Connections)
	if err != nil {
		return loadResult{}, err
	}

	header := map[string]string{"Cookie": sessionCookieName(base) + "=" + session}
	res, err := drive(ctx, opts, pool, func() (shot, error) {
		return newGetShot(client, who.next(base, opts.Scenario), header), nil
	})
	if err != nil {
		return res, err
	}

	fmt.Fprintf(out, "Signed in as %s (teams %v); picked from %d tickets and %d search words.\n",
		who.email, who.teams, len(who.tickets), len(who.words))
	printLoad(out, base, opts, res)

	return res, nil
}

// sessionCookieName is the back office's session cookie, which carries the
// __Host- prefix over HTTPS.
func sessionCookieName(base string) string {
	if strings.HasPrefix(base, "https:") {
		return "__Host-staff_session"
	}

	return "staff_session"
}

// findClerkSQL finds the member with the given address, or else the team lead
// of the team with the most tickets: the fullest queue a clerk has.
const findClerkSQL = `
SELECT s.id, s.email, coalesce(array_agg(m.team_id ORDER BY m.team_id)
	FILTER (WHERE m.team_id IS NOT NULL), '{}')
FROM staff s
LEFT JOIN team_members m ON m.staff_id = s.id
WHERE s.disabled_at IS NULL
  AND s.role <> 'statistics'
  AND (lower(s.email) = lower($1) OR ($1 = '' AND s.role = 'team_lead'))
GROUP BY s.id
ORDER BY (SELECT count(*) FROM tickets t WHERE t.team_id = ANY(array_agg(m.team_id))) DESC,
	s.id
LIMIT 1`

func findClerk(ctx context.Context, pool *pgxpool.Pool, email string) (*clerk, error) {
	c := &clerk{}
	err := pool.QueryRow(ctx, findClerkSQL, email).Scan(&c.id, &c.email, &c.teams)
	if errors.Is(err, pgx.ErrNoRows) {
		if email != "" {
			return nil, fmt.Errorf("load: no active staff member %s", email)
		}
		return nil, errors.New("load: no team lead to sign in as; load some with " +
			"anliegen demo, or give --as")
	}
	if err != nil {
		return nil, fmt.Errorf("load: find a clerk: %w", err)
	}

	return c, nil
}

// sampleTicketsSQL picks tickets of the clerk's teams, or of all teams for a
// clerk in none (an administrator).
const sampleTicketsSQL = `
SELECT t.id, t.subject, t.contact_name, t.case_number
FROM tickets t TABLESAMPLE SYSTEM ($1)
WHERE cardinality($2::bigint[]) = 0 OR t.team_id = ANY($2)
LIMIT $3`

const clerkServicesSQL = `
SELECT id
FROM services
WHERE cardinality($1::bigint[]) = 0 OR team_id = ANY($1)
ORDER BY id`

// sample picks the tickets, services and search words the clerk's requests
// ask for: words of subjects, surnames and the first digits of case numbers,
// as clerks type them.
func (c *clerk) sample(ctx context.Context, pool *pgxpool.Pool) error {
	var estimate int64
	if err := pool.QueryRow(ctx, estimateTicketsSQL).Scan(&estimate); err != nil {
		return fmt.Errorf("estimate tickets: %w", err)
	}
	percent := 100.0
	if estimate > 0 {
		percent = min(100, 400*float64(staffSample)/float64(estimate))
	}

	rows, err := pool.Query(ctx, sampleTicketsSQL, percent, c.teams, staffSample)
	if err != nil {
		return fmt.Errorf("sample tickets: %w", err)
	}

	var id int64
	var subject, name, number string
	_, err = pgx.ForEachRow(rows, []any{&id, &subject, &name, &number}, func() error {
		c.tickets = append(c.tickets, id)
		c.words = append(c.words, searchWords(subject, name, number)...)
		return nil
	})
	if err != nil {
		return fmt.Errorf("sample tickets: %w", err)
	}

	if len(c.tickets) == 0 || len(c.words) == 0 {
		return errors.New("load: no tickets in the clerk's teams; load some with anliegen demo")
	}

	rows, err = pool.Query(ctx, clerkServicesSQL, c.teams)
	if err != nil {
		return fmt.Errorf("list services: %w", err)
	}
	c.services, err = pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("list services: %w", err)
	}

	return nil
}

// searchWords returns what a clerk might type to find a ticket: its longest
// subject word, the contact's surname, or its case number's year and first
// digits.
func searchWords(subject, name, number string) []string {
	var words []string
	var longest string
	for _, w := range strings.FieldsFunc(subject, func(r rune) bool {
		return r == ' ' || r == ',' || r == '.' || r == ':' || r == '(' || r == ')'
	}) {
		if len([]rune(w)) > len([]rune(longest)) {
			longest = w
		}
	}
	if len([]rune(longest)) >= 5 {
		words = append(words, longest)
	}

	if f := strings.Fields(name); len(f) > 1 {
		words = append(words, f[len(f)-1])
	}

	if len(number) >= 9 {
		words = append(words, number[:9])
	}

	return words
}

// next returns the function that makes each request's address.
func (c *clerk) next(base, scenario string) func() string {
	switch scenario {
	case "search":
		return func() string {
			return base + "/tickets?q=" + url.QueryEscape(c.words[rand.IntN(len(c.words))])
		}
	case "ticket":
		return func() string {
			return base + "/tickets/" + strconv.FormatInt(c.tickets[rand.IntN(len(c.tickets))], 10)
		}
	}

	return func() string { return base + "/tickets?" + c.queueFilter() }
}

// queueViews are the queues clerks open most, as the view links write them.
var queueViews = []string{
	"assignee=me&open=1", "assignee=none&open=1", "status=waiting_for_citizen",
	"overdue=1&sort=due", "open=1", "status=closed&sort=updated", "",
}

var queueStatuses = []string{"received", "in_review", "in_progress", "waiting_for_citizen",
	"resolved", "closed"}

// queueFilter returns a view, or a view narrowed further by status, service,
// channel, priority or a month, as a clerk sets the filter form.
func (c *clerk) queueFilter() string {
	q := url.Values{}
	view, _ := url.ParseQuery(queueViews[rand.IntN(len(queueViews))])
	for k, v := range view {
		q[k] = v
	}

	switch rand.IntN(6) {
	case 0:
		q.Set("status", queueStatuses[rand.IntN(len(queueStatuses))])
	case 1:
		if len(c.services) > 0 {
			q.Set("service", strconv.FormatInt(c.services[rand.IntN(len(c.services))], 10))
		}
	case 2:
		q.Set("channel", []string{"web", "email", "phone", "letter"}[rand.IntN(4)])
	case 3:
		q.Set("priority", []string{"high", "urgent", "low"}[rand.IntN(3)])
	case 4:
		month := time.Now().AddDate(0, -rand.IntN(24), 0)
		q.Set("from", month.Format("2006-01")+"-01")
		q.Set("to", month.Format("2006-01")+"-28")
	}

	return q.Encode()
}
