package stats

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Ages are the age classes of open tickets: under a day, a week, a month
// (30 days), and older.
var Ages = []string{"day", "week", "month", "older"}

// Backlog is the open tickets of one status by age class.
type Backlog struct {
	Status string
	Ages   [4]int
}

// Total returns the open tickets of the status.
func (b Backlog) Total() int {
	return b.Ages[0] + b.Ages[1] + b.Ages[2] + b.Ages[3]
}

// Workload is what a team has on its desk.
type Workload struct {
	TeamID   int64
	Open     int
	Assigned int
	Overdue  int
}

// openFilterSQL selects the open tickets received in the period that match the
// filter, by the index on open tickets.
var openFilterSQL = `
FROM tickets
WHERE status IN ` + openList + `
  AND created_at >= (@from::date::timestamp AT TIME ZONE @tz)
  AND created_at < (@to::date::timestamp AT TIME ZONE @tz)` + filterSQL

var backlogSQL = `
SELECT status,
	CASE WHEN created_at > @now::timestamptz - interval '1 day' THEN 0
		WHEN created_at > @now::timestamptz - interval '7 days' THEN 1
		WHEN created_at > @now::timestamptz - interval '30 days' THEN 2
		ELSE 3 END,
	count(*)` + openFilterSQL + `
GROUP BY 1, 2`

// backlog counts the open tickets by status and age, in the order of
// OpenStatuses; statuses without tickets are listed with zeros.
func (s *Store) backlog(ctx context.Context, f Filter) ([]Backlog, error) {
	args := pgx.NamedArgs(f.args(s.loc))
	args["now"] = s.now()
	rows, err := s.pool.Query(ctx, backlogSQL, args)
	if err != nil {
		return nil, fmt.Errorf("stats backlog: %w", err)
	}
	defer rows.Close()

	out := make([]Backlog, len(OpenStatuses))
	index := map[string]int{}
	for i, st := range OpenStatuses {
		out[i].Status = st
		index[st] = i
	}

	for rows.Next() {
		var status string
		var age, n int
		if err := rows.Scan(&status, &age, &n); err != nil {
			return nil, fmt.Errorf("stats backlog: %w", err)
		}
		out[index[status]].Ages[age] += n
	}

	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("stats backlog: %w", err)
	}

	return out, nil
}

var workloadSQL = `
SELECT team_id, count(*), count(assignee_id),
	count(*) FILTER (WHERE due_at < @now::timestamptz)` + openFilterSQL + `
GROUP BY team_id
ORDER BY team_id`

func (s *Store) workload(ctx context.Context, f Filter) ([]Workload, error) {
	args := pgx.NamedArgs(f.args(s.loc))
	args["now"] = s.now()
	rows, err := s.pool.Query(ctx, workloadSQL, args)
	if err != nil {
		return nil, fmt.Errorf("stats workload: %w", err)
	}

	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Workload, error) {
		var w Workload
		err := r.Scan(&w.TeamID, &w.Open, &w.Assigned, &w.Overdue)
		return w, err
	})
	if err != nil {
		return nil, fmt.Errorf("stats workload: %w", err)
	}

	return list, nil
}
