package ticket

import (
	"context"
	"encoding/base64"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/anliegen/anliegen/internal/tracking"
)

// Filter narrows a queue. Every field left at its zero value filters nothing;
// the zero Filter lists all tickets, newest first.
type Filter struct {
	Status     Status
	OpenOnly   bool
	ServiceID  int64
	TeamID     int64
	TeamIDs    []int64 // the teams a member may see; nil for all
	AssigneeID int64
	Unassigned bool
	Channel    string
	Priority   string
	From, To   *time.Time // received in [From, To)
	Overdue    bool
	Query      string // words, a case number, a tracking code, a name or an address
	Sort       string // a key of Sorts; "" is "newest"
	After      string // the cursor of the previous page's last row
	Limit      int
}

// QueuePage is one page of a queue: its rows, the number of all matching
// tickets and the cursor of the next page ("" on the last page). Counting stops
// at CountCap, or SearchCountCap for a search: More then says that more tickets
// match than Total.
type QueuePage struct {
	Tickets []Summary
	Total   int
	More    bool
	Next    string
}

// CountCap is where counting a queue stops. Counting a queue of hundreds of
// thousands of tickets would take longer than all the rest of its page, and
// nobody reads through more than this.
const CountCap = 500

// SearchCountCap is where counting a search's matches stops. Each candidate
// is matched against words, names and numbers, which costs more than a filter;
// and a search that finds more than this needs another word, not a number.
const SearchCountCap = 100

// sortOrder is one allowed order of a queue: the expression sorted by, which is
// also the cursor's key, and its direction.
type sortOrder struct {
	key  string
	desc bool
}

// Sorts lists the orders a queue can be sorted in; nothing else reaches SQL.
var Sorts = map[string]sortOrder{
	"newest":  {key: "t.created_at", desc: true},
	"oldest":  {key: "t.created_at"},
	"due":     {key: "COALESCE(t.due_at, 'infinity'::timestamptz)"},
	"updated": {key: "t.updated_at", desc: true},
}

// fresh has a queue's statements planned with each request's values. A plan
// that PostgreSQL keeps for a prepared statement after a few runs fits one
// search or filter and not the next: a walk along the queue's order that finds
// a common surname at once reads the whole queue for a rare case number.
const fresh = pgx.QueryExecModeDescribeExec

// SortNames lists the sort keys in the order the page offers them.
var SortNames = []string{"newest", "oldest", "due", "updated"}

// queueSelect reads the rows of a queue; the names of their services and teams
// come from publicNames, which saves decoding them for every row.
const queueSelect = `
SELECT t.id, t.case_number, t.subject, t.service_id, t.team_id,
	t.status, t.channel, t.priority, st.name AS assignee, t.created_at, t.updated_at,
	t.due_at, (%s)::text AS sort_key
FROM tickets t
LEFT JOIN staff st ON st.id = t.assignee_id`

// Queue returns one page of the tickets that match f and how many match in all.
func (s *Store) Queue(ctx context.Context, f Filter) (QueuePage, error) {
	order := f.order()
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}

	where, args := f.conditions()
	limitCount := CountCap
	if strings.TrimSpace(f.Query) != "" {
		limitCount = SearchCountCap
	}

	total, err := s.count(ctx, where, args, limitCount)
	if err != nil {
		return QueuePage{}, err
	}
	more := total > limitCount
	total = min(total, limitCount)

	if key, id, ok := decodeCursor(f.After); ok {
		cmp := ">"
		if order.desc {
			cmp = "<"
		}
		where = append(where, fmt.Sprintf("(%s, t.id) %s (@after_key::timestamptz, @after_id)",
			order.key, cmp))
		args["after_key"], args["after_id"] = key, id
	}

	dir := "ASC"
	if order.desc {
		dir = "DESC"
	}
	query := fmt.Sprintf(queueSelect, order.key) + whereClause(where) +
		fmt.Sprintf("\nORDER BY %s %s, t.id %s\nLIMIT %d", order.key, dir, dir, limit+1)

	rows, err := s.pool.Query(ctx, query, fresh, args)
	if err != nil {
		return QueuePage{}, fmt.Errorf("queue: %w", err)
	}

	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[Summary])
	if err != nil {
		return QueuePage{}, fmt.Errorf("queue: %w", err)
	}
	for i := range list {
		t := &list[i]
		if t.ServiceName, t.TeamName, err = s.names.get(ctx, s.pool, t.ServiceID,
			t.TeamID); err != nil {
			return QueuePage{}, fmt.Errorf("queue: %w", err)
		}
	}

	page := QueuePage{Tickets: list, Total: total, More: more}
	if len(list) > limit {
		page.Tickets = list[:limit]
		last := page.Tickets[limit-1]
		page.Next = encodeCursor(last.SortKey, last.ID)
	}

	return page, nil
}

// order returns the filter's sort order. A period narrows a queue by creation
// time; walking the index of the last change would pass every later change
// before reaching an old period, as the planner cannot know how closely the
// two times follow each other. An expression no index gives makes it sort the
// period's rows instead.
func (f Filter) order() sortOrder {
	order, ok := Sorts[f.Sort]
	if !ok {
		order = Sorts["newest"]
	}

	if order.key == "t.updated_at" && (f.From != nil || f.To != nil) {
		order.key = "(t.updated_at + interval '0 seconds')"
	}

	return order
}

// count returns how many tickets match, counting up to one more than limit.
func (s *Store) count(
	ctx context.Context,
	where []string,
	args pgx.NamedArgs,
	limit int,
) (int, error) {
	var n int
	query := "SELECT count(*)\nFROM (\nSELECT 1\nFROM tickets t" + whereClause(where) +
		fmt.Sprintf("\nLIMIT %d\n) matching", limit+1)
	if err := s.pool.QueryRow(ctx, query, fresh, args).Scan(&n); err != nil {
		return 0, fmt.Errorf("count queue: %w", err)
	}

	return n, nil
}

// conditions turns the filter into fixed SQL fragments and their arguments.
func (f Filter) conditions() ([]string, pgx.NamedArgs) {
	var where []string
	args := pgx.NamedArgs{}
	add := func(cond, name string, v any) {
		where = append(where, cond)
		if name != "" {
			args[name] = v
		}
	}

	if f.Status != "" {
		add("t.status = @status", "status", string(f.Status))
	}
	if f.OpenOnly {
		add("t.status NOT IN ('closed', 'rejected', 'withdrawn', 'merged')", "", nil)
	}
	if f.ServiceID != 0 {
		add("t.service_id = @service_id", "service_id", f.ServiceID)
	}
	if f.TeamID != 0 {
		add("t.team_id = @team_id", "team_id", f.TeamID)
	}
	switch {
	case len(f.TeamIDs) == 1:
		// An equality lets an index on (team_id, key) give the queue's order,
		// which = ANY over an array does not (PostgreSQL 15).
		add("t.team_id = @team_scope", "team_scope", f.TeamIDs[0])
	case f.TeamIDs != nil:
		add("t.team_id = ANY(@team_ids)", "team_ids", f.TeamIDs)
	}
	f.moreConditions(add)

	return where, args
}

func (f Filter) moreConditions(add func(cond, name string, v any)) {
	if f.AssigneeID != 0 {
		add("t.assignee_id = @assignee_id", "assignee_id", f.AssigneeID)
	}
	if f.Unassigned {
		add("t.assignee_id IS NULL", "", nil)
	}
	if f.Channel != "" {
		add("t.channel = @channel", "channel", f.Channel)
	}
	if f.Priority != "" {
		add("t.priority = @priority", "priority", f.Priority)
	}
	if f.From != nil {
		add("t.created_at >= @from", "from", *f.From)
	}
	if f.To != nil {
		add("t.created_at < @to", "to", *f.To)
	}
	if f.Overdue {
		add("t.due_at < now() AND t.status NOT IN "+
			"('resolved', 'closed', 'rejected', 'withdrawn', 'merged', 'waiting_for_citizen')",
			"", nil)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		searchCondition(q, add)
	}
}

// TODO: a search's p95 on a million tickets is about 290 ms on the shared
// 2-core machine against a target of 150 ms, with 15 ms of database time (of
// which planning with the request's values takes about 0.5 ms): the count and
// the first page match each candidate against five conditions (two word
// lists, case number, code, contact), and a common surname in a team's queue
// is found by reading that queue's rows in order, ten thousand of them for a
// hundred matches. One index over words, names and numbers, or a count only
// as far as the page, would cut most of it.
//
// searchCondition matches a typed search: a complete tracking code exactly,
// else German full text over subject, contact and conversation, and parts of
// case numbers, codes, names and addresses by trigram index. The words of the
// conversation are kept on the ticket (migration 015), so that the indexes of
// one table answer all parts together.
func searchCondition(q string, add func(cond, name string, v any)) {
	if code, err := tracking.ParseCode(q); err == nil {
		add("t.tracking_code = @code", "code", code.Canonical())
		return
	}

	like := strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(q)
	if casePrefix.MatchString(q) {
		// The start of a case number asks for case numbers only: matched with
		// words and names too, the planner could not tell how few match.
		add("t.case_number LIKE @like || '%'", "like", like)
		return
	}

	add(`(t.search @@ websearch_to_tsquery('german', @query)
	OR t.conversation @@ websearch_to_tsquery('german', @query)
	OR t.case_number LIKE @like || '%'
	OR t.tracking_code LIKE upper(@like) || '%'
	OR (t.contact_name || ' ' || t.contact_email) ILIKE '%' || @like || '%')`, "query", q)
	add("TRUE", "like", like)
}

// casePrefix is the start of a case number: the year, a dash and digits.
var casePrefix = regexp.MustCompile(`^[0-9]{4}-[0-9]*$`)

func whereClause(where []string) string {
	if len(where) == 0 {
		return ""
	}

	return "\nWHERE " + strings.Join(where, "\n  AND ")
}

// cursorKey is the shape of a timestamp as PostgreSQL writes it as text, so that
// only such text is ever cast back.
var cursorKey = regexp.MustCompile(`^(infinity|[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.]{8,15}[+-][0-9:]{2,5})$`)

// encodeCursor packs the sort key and ID of a page's last row.
func encodeCursor(key string, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(key + "|" + strconv.FormatInt(id, 10)))
}

func decodeCursor(c string) (string, int64, bool) {
	if c == "" || len(c) > 200 {
		return "", 0, false
	}

	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return "", 0, false
	}

	key, idText, ok := strings.Cut(string(raw), "|")
	id, err := strconv.ParseInt(idText, 10, 64)
	if !ok || err != nil || key == "" {
		return "", 0, false
	}

	if !cursorKey.MatchString(key) {
		return "", 0, false
	}

	return key, id, true
}
