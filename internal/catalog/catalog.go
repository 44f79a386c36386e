// Package catalog holds the services a citizen can request, their forms and the
// teams that receive them. All of it is data, stored in PostgreSQL.
package catalog

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/db"
)

// Texts is a text in several languages, keyed by language tag.
type Texts map[string]string

// Team is a group of staff who work a set of services.
type Team struct {
	ID    int64  `db:"id"`
	Slug  string `db:"slug"`
	Name  Texts  `db:"name"`
	Email string `db:"email"`
}

// Service is a kind of request a citizen can make.
type Service struct {
	ID             int64   `db:"id"`
	Code           string  `db:"code"`
	TeamID         int64   `db:"team_id"`
	Group          Texts   `db:"group_name"`
	Name           Texts   `db:"name"`
	Help           Texts   `db:"help"`
	Promise        Texts   `db:"promise"`
	Keywords       string  `db:"keywords"`
	Form           []Field `db:"form"`
	SLADays        *int32  `db:"sla_days"`
	Public         bool    `db:"is_public"`
	AllowAnonymous bool    `db:"allow_anonymous"`
	Position       int32   `db:"position"`
	Active         bool    `db:"active"`
	// FirstAnswerDays is the target for the first answer in working days.
	FirstAnswerDays *int32 `db:"first_answer_days"`
	// ReminderDays is how long a question waits before the citizen is reminded.
	ReminderDays int32 `db:"reminder_days"`
	// CloseAfterDays is how long after the reminder an unanswered ticket closes.
	CloseAfterDays int32 `db:"close_after_days"`
	// Messages maps a message kind to false for each message the service does
	// not send; use Sends.
	Messages map[string]bool `db:"messages"`
}

// Sends reports whether the service sends the citizen the message kind; every
// message is sent unless the service turned it off.
func (s Service) Sends(kind string) bool {
	on, set := s.Messages[kind]
	return !set || on
}

// Store reads and writes the catalogue.
type Store struct {
	pool   *pgxpool.Pool
	shared sharedServices
}

// NewStore returns a catalogue store on pool.
func NewStore(pool *pgxpool.Pool) *Store {
	return &Store{pool: pool}
}

const serviceColumns = `id, code, team_id, group_name, name, help, promise, keywords, form,
	sla_days, is_public, allow_anonymous, position, active, first_answer_days, reminder_days,
	close_after_days, messages`

const publicServicesSQL = `
SELECT ` + serviceColumns + `
FROM services
WHERE is_public
  AND active
ORDER BY position, code`

// PublicServices lists the active services shown on the portal, in display order.
func (s *Store) PublicServices(ctx context.Context) ([]Service, error) {
	rows, err := s.pool.Query(ctx, publicServicesSQL)
	if err != nil {
		return nil, fmt.Errorf("list public services: %w", err)
	}

	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[Service])
	if err != nil {
		return nil, fmt.Errorf("list public services: %w", err)
	}

	return list, nil
}

const servicesSQL = `
SELECT ` + serviceColumns + `
FROM services
ORDER BY position, code`

// Services lists every service, public or not, active or not, for staff.
func (s *Store) Services(ctx context.Context) ([]Service, error) {
	rows, err := s.pool.Query(ctx, servicesSQL)
	if err != nil {
		return nil, fmt.Errorf("list services: %w", err)
	}

	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[Service])
	if err != nil {
		return nil, fmt.Errorf("list services: %w", err)
	}

	return list, nil
}

const serviceByCodeSQL = `
SELECT ` + serviceColumns + `
FROM services
WHERE code = $1
  AND active`

// ServiceByCode returns an active service, or db.ErrNotFound.
func (s *Store) ServiceByCode(ctx context.Context, code string) (Service, error) {
	return s.oneService(ctx, serviceByCodeSQL, code)
}

const serviceByIDSQL = `
SELECT ` + serviceColumns + `
FROM services
WHERE id = $1`

// ServiceByID returns a service, active or not, or db.ErrNotFound.
func (s *Store) ServiceByID(ctx context.Context, id int64) (Service, error) {
	return s.oneService(ctx, serviceByIDSQL, id)
}

func (s *Store) oneService(ctx context.Context, query string, arg any) (Service, error) {
	rows, err := s.pool.Query(ctx, query, arg)
	if err != nil {
		return Service{}, fmt.Errorf("get service: %w", err)
	}

	svc, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Service])
	if errors.Is(err, pgx.ErrNoRows) {
		return Service{}, fmt.Errorf("get service: %w", db.ErrNotFound)
	}
	if err != nil {
		return Service{}, fmt.Errorf("get service: %w", err)
	}

	return svc, nil
}

const teamsSQL = `
SELECT id, slug, name, email
FROM teams
ORDER BY slug`

// Teams lists all teams.
func (s *Store) Teams(ctx context.Context) ([]Team, error) {
	rows, err := s.pool.Query(ctx, teamsSQL)
	if err != nil {
		return nil, fmt.Errorf("list teams: %w", err)
	}

	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[Team])
	if err != nil {
		return nil, fmt.Errorf("list teams: %w", err)
	}

	return list, nil
}

const createTeamSQL = `
INSERT INTO teams (slug, name, email)
VALUES ($1, $2, $3)
RETURNING id`

// CreateTeam stores a new team and returns it with its ID.
func (s *Store) CreateTeam(ctx context.Context, t Team) (Team, error) {
	err := s.pool.QueryRow(ctx, createTeamSQL, t.Slug, t.Name, t.Email).Scan(&t.ID)
	if db.IsUniqueViolation(err) {
		return Team{}, fmt.Errorf("create team %s: %w", t.Slug, db.ErrConflict)
	}
	if err != nil {
		return Team{}, fmt.Errorf("create team %s: %w", t.Slug, err)
	}

	return t, nil
}

const createServiceSQL = `
INSERT INTO services (code, team_id, group_name, name, help, promise, keywords, form,
	sla_days, is_public, allow_anonymous, position)
VALUES (@code, @team_id, @group_name, @name, @help, @promise, @keywords, @form,
	@sla_days, @is_public, @allow_anonymous, @position)
RETURNING id`

// CreateService stores a new service and returns it with its ID.
func (s *Store) CreateService(ctx context.Context, svc Service) (Service, error) {
	for i, f := range svc.Form {
		if err := f.check(); err != nil {
			return Service{}, fmt.Errorf("create service %s: field %d: %w", svc.Code, i+1, err)
		}
	}

	svc = svc.withDefaults()
	args := pgx.NamedArgs{
		"code": svc.Code, "team_id": svc.TeamID, "group_name": svc.Group,
		"name": svc.Name, "help": svc.Help, "promise": svc.Promise,
		"keywords": svc.Keywords, "form": svc.Form, "sla_days": svc.SLADays,
		"is_public": svc.Public, "allow_anonymous": svc.AllowAnonymous,
		"position": svc.Position,
	}
	err := s.pool.QueryRow(ctx, createServiceSQL, args).Scan(&svc.ID)
	if db.IsUniqueViolation(err) {
		return Service{}, fmt.Errorf("create service %s: %w", svc.Code, db.ErrConflict)
	}
	if err != nil {
		return Service{}, fmt.Errorf("create service %s: %w", svc.Code, err)
	}

	return svc, nil
}

// withDefaults fills the optional texts and the form with empty values, which the
// database stores as {} and [] rather than NULL.
func (svc Service) withDefaults() Service {
	for _, t := range []*Texts{&svc.Group, &svc.Help, &svc.Promise, &svc.Name} {
		if *t == nil {
			*t = Texts{}
		}
	}

	if svc.Form == nil {
		svc.Form = []Field{}
	}

	return svc
}

const countServicesSQL = `
SELECT count(*)
FROM services`

// Empty reports whether the catalogue has no services yet.
func (s *Store) Empty(ctx context.Context) (bool, error) {
	var n int
	if err := s.pool.QueryRow(ctx, countServicesSQL).Scan(&n); err != nil {
		return false, fmt.Errorf("count services: %w", err)
	}

	return n == 0, nil
}
