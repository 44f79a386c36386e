package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/catalog"
)

// service is a service of the catalogue as the generator uses it.
type service struct {
	ID             int64           `db:"id"`
	Code           string          `db:"code"`
	TeamID         int64           `db:"team_id"`
	Name           catalog.Texts   `db:"name"`
	Form           []catalog.Field `db:"form"`
	SLADays        *int32          `db:"sla_days"`
	AllowAnonymous bool            `db:"allow_anonymous"`
	profile        *profile        `db:"-"`
}

// world is what the tickets are made of: the services and the staff who work
// them.
type world struct {
	services []service
	staff    []int64           // everyone who works tickets
	teams    map[int64][]int64 // staff by team
}

const servicesSQL = `
SELECT id, code, team_id, name, form, sla_days, allow_anonymous
FROM services
WHERE active
ORDER BY id`

const staffSQL = `
SELECT s.id, coalesce(m.team_id, 0)
FROM staff s
LEFT JOIN team_members m ON m.staff_id = s.id
WHERE s.role <> 'statistics'
ORDER BY s.id, m.team_id`

// loadWorld reads the active services, public or not, and the staff, after
// filling an empty catalogue with the demo one and empty teams with clerks.
func loadWorld(ctx context.Context, pool *pgxpool.Pool, seed int64) (*world, error) {
	if _, err := catalog.NewStore(pool).LoadDemo(ctx); err != nil {
		return nil, fmt.Errorf("load demo catalogue: %w", err)
	}

	if err := staffTeams(ctx, pool, seed); err != nil {
		return nil, err
	}

	rows, err := pool.Query(ctx, servicesSQL)
	if err != nil {
		return nil, fmt.Errorf("list services: %w", err)
	}

	services, err := pgx.CollectRows(rows, pgx.RowToStructByName[service])
	if err != nil {
		return nil, fmt.Errorf("list services: %w", err)
	}

	if len(services) == 0 {
		return nil, errors.New("the catalogue has no active service")
	}

	for i := range services {
		services[i].profile = profileOf(services[i].Code)
	}

	w := &world{services: services, teams: map[int64][]int64{}}
	if err := w.loadStaff(ctx, pool); err != nil {
		return nil, err
	}

	return w, nil
}

func (w *world) loadStaff(ctx context.Context, pool *pgxpool.Pool) error {
	rows, err := pool.Query(ctx, staffSQL)
	if err != nil {
		return fmt.Errorf("list staff: %w", err)
	}

	var id, team int64
	_, err = pgx.ForEachRow(rows, []any{&id, &team}, func() error {
		if n := len(w.staff); n == 0 || w.staff[n-1] != id {
			w.staff = append(w.staff, id)
		}
		if team != 0 {
			w.teams[team] = append(w.teams[team], id)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("list staff: %w", err)
	}

	return nil
}

// slaDays returns the service's promised days, or 0 when it promises none.
func (s *service) slaDays() int {
	if s.SLADays == nil {
		return 0
	}

	return int(*s.SLADays)
}

// pickService chooses the service of a ticket created at t, by the services'
// weights in that season and at that hour.
func (w *world) pickService(rng *rand.Rand, t time.Time) *service {
	var total float64
	for i := range w.services {
		total += w.services[i].profile.weightAt(t)
	}

	x := rng.Float64() * total
	for i := range w.services {
		x -= w.services[i].profile.weightAt(t)
		if x < 0 {
			return &w.services[i]
		}
	}

	return &w.services[len(w.services)-1]
}

// season returns how busy the catalogue as a whole is at t compared with the
// average of the year.
func (w *world) season(t time.Time) float64 {
	var sum, base float64
	for i := range w.services {
		p := w.services[i].profile
		sum += p.weight * p.seasonAt(t)
		base += p.weight
	}

	return sum / base
}

// colleague returns a staff member of team, or of any team when it has
// nobody, or 0 when there is no staff at all.
func (w *world) colleague(rng *rand.Rand, team int64) int64 {
	if members := w.teams[team]; len(members) > 0 {
		return members[rng.IntN(len(members))]
	}

	if len(w.staff) == 0 {
		return 0
	}

	return w.staff[rng.IntN(len(w.staff))]
}
