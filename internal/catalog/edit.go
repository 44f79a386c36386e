package catalog

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/anliegen/anliegen/internal/changelog"
	"github.com/anliegen/anliegen/internal/db"
)

// MessageKinds are the messages to the citizen a service can turn off.
var MessageKinds = []string{
	"status_changed", "answer", "question", "reminder", "closed_unanswered", "resolved",
	"forwarded", "rejected", "merged", "withdrawn",
}

// ErrStale is returned for an edit of a service that changed since the
// version the edit started from, so that one administrator does not overwrite
// another's change unknowingly.
var ErrStale = errors.New("service changed meanwhile")

// ErrForm is wrapped by the errors of a form definition that is not sound.
var ErrForm = errors.New("form definition not valid")

// CheckForm checks a whole form definition as it would be stored: every field
// well formed, and no field code or option key used twice.
func CheckForm(form []Field) error {
	codes := map[string]bool{}
	for i, f := range form {
		if err := f.check(); err != nil {
			return fmt.Errorf("%w: field %d: %w", ErrForm, i+1, err)
		}
		if codes[f.Code] {
			return fmt.Errorf("%w: field code %s is used twice", ErrForm, f.Code)
		}
		codes[f.Code] = true

		keys := map[string]bool{}
		for _, o := range f.Options {
			if keys[o.Key] {
				return fmt.Errorf("%w: field %s: option %s is used twice", ErrForm, f.Code, o.Key)
			}
			keys[o.Key] = true
		}
	}

	return nil
}

func serviceArgs(svc Service) pgx.NamedArgs {
	return pgx.NamedArgs{
		"id": svc.ID, "code": svc.Code, "team_id": svc.TeamID, "group_name": svc.Group,
		"name": svc.Name, "help": svc.Help, "promise": svc.Promise,
		"keywords": svc.Keywords, "sla_days": svc.SLADays, "is_public": svc.Public,
		"allow_anonymous": svc.AllowAnonymous, "position": svc.Position, "active": svc.Active,
		"first_answer_days": svc.FirstAnswerDays, "reminder_days": svc.ReminderDays,
		"close_after_days": svc.CloseAfterDays, "messages": svc.Messages, "form": svc.Form,
	}
}

// versionSQL is a service's version: the time of its last change, in
// microseconds, as stored.
const versionSQL = `(extract(epoch FROM updated_at) * 1000000)::bigint`

const serviceVersionSQL = `
SELECT ` + versionSQL + `
FROM services
WHERE id = $1`

// ServiceVersion returns the version of a service that UpdateService and
// UpdateForm check; db.ErrNotFound for an unknown service.
func (s *Store) ServiceVersion(ctx context.Context, id int64) (int64, error) {
	var v int64
	err := s.pool.QueryRow(ctx, serviceVersionSQL, id).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("version of service %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("version of service %d: %w", id, err)
	}

	return v, nil
}

// unchanged tells whether a statement that changed no row of service id met a
// missing service (db.ErrNotFound) or a newer version (ErrStale).
func (s *Store) unchanged(ctx context.Context, tx pgx.Tx, id int64) error {
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM services WHERE id = $1`, id).
		Scan(&n); err != nil {
		return fmt.Errorf("service %d: %w", id, err)
	}

	if n == 0 {
		return fmt.Errorf("service %d: %w", id, db.ErrNotFound)
	}

	return fmt.Errorf("service %d: %w", id, ErrStale)
}

const addServiceSQL = `
INSERT INTO services (code, team_id, group_name, name, help, promise, keywords, form,
	sla_days, is_public, allow_anonymous, position, active, first_answer_days,
	reminder_days, close_after_days, messages)
VALUES (@code, @team_id, @group_name, @name, @help, @promise, @keywords, @form,
	@sla_days, @is_public, @allow_anonymous, @position, @active, @first_answer_days,
	@reminder_days, @close_after_days, @messages)
RETURNING id`

// AddService stores a new service with all its settings, recorded as added by
// the staff member by; db.ErrConflict when the code is taken.
func (s *Store) AddService(ctx context.Context, svc Service, by int64) (Service, error) {
	if err := CheckForm(svc.Form); err != nil {
		return Service{}, fmt.Errorf("add service %s: %w", svc.Code, err)
	}

	svc = svc.withDefaults()
	if svc.Messages == nil {
		svc.Messages = map[string]bool{}
	}

	err := inTx(ctx, s, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, addServiceSQL, serviceArgs(svc)).Scan(&svc.ID)
		if err != nil {
			return serviceError("add", svc.Code, err)
		}

		return changelog.Record(ctx, tx, changelog.Change{
			StaffID: by, Action: "service.create", Object: serviceObject(svc.ID),
			Detail: map[string]any{"code": svc.Code},
		})
	})
	if err != nil {
		return Service{}, err
	}

	return svc, nil
}

// updateServiceSQL changes the settings but not the form, which has its own
// editor; updated_at tells caches of the public catalogue that it changed.
const updateServiceSQL = `
UPDATE services
SET code = @code,
    team_id = @team_id,
    group_name = @group_name,
    name = @name,
    help = @help,
    promise = @promise,
    keywords = @keywords,
    sla_days = @sla_days,
    is_public = @is_public,
    allow_anonymous = @allow_anonymous,
    position = @position,
    active = @active,
    first_answer_days = @first_answer_days,
    reminder_days = @reminder_days,
    close_after_days = @close_after_days,
    messages = @messages,
    updated_at = now()
WHERE id = @id
  AND (@version::bigint = 0 OR ` + versionSQL + ` = @version::bigint)`

// UpdateService stores a service's settings, all but its form, recorded as
// changed by by, if the service is still at version (any version when 0);
// db.ErrNotFound for an unknown service, ErrStale for a newer version,
// db.ErrConflict when the code is taken.
func (s *Store) UpdateService(ctx context.Context, svc Service, version, by int64) error {
	svc = svc.withDefaults()
	if svc.Messages == nil {
		svc.Messages = map[string]bool{}
	}

	return inTx(ctx, s, func(tx pgx.Tx) error {
		args := serviceArgs(svc)
		args["version"] = version
		tag, err := tx.Exec(ctx, updateServiceSQL, args)
		if err != nil {
			return serviceError("update", svc.Code, err)
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("update %w", s.unchanged(ctx, tx, svc.ID))
		}

		return changelog.Record(ctx, tx, changelog.Change{
			StaffID: by, Action: "service.update", Object: serviceObject(svc.ID),
			Detail: map[string]any{
				"code": svc.Code, "team_id": svc.TeamID, "public": svc.Public,
				"active": svc.Active, "sla_days": svc.SLADays,
				"first_answer_days": svc.FirstAnswerDays,
			},
		})
	})
}

const updateFormSQL = `
UPDATE services
SET form = $2,
    updated_at = now()
WHERE id = $1
  AND ($3::bigint = 0 OR ` + versionSQL + ` = $3::bigint)`

// UpdateForm stores a service's form once CheckForm accepts it, if the service
// is still at version (any version when 0), recorded as change (such as
// form.field_add by an administrator, with the field's code); db.ErrNotFound
// for an unknown service, ErrStale for a newer version.
func (s *Store) UpdateForm(
	ctx context.Context,
	id, version int64,
	form []Field,
	change changelog.Change,
) error {
	if err := CheckForm(form); err != nil {
		return fmt.Errorf("update form of service %d: %w", id, err)
	}

	if form == nil {
		form = []Field{}
	}

	return inTx(ctx, s, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, updateFormSQL, id, form, version)
		if err != nil {
			return fmt.Errorf("update form of service %d: %w", id, err)
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("update form of %w", s.unchanged(ctx, tx, id))
		}

		change.Object = serviceObject(id)
		return changelog.Record(ctx, tx, change)
	})
}

func serviceObject(id int64) string {
	return "service:" + strconv.FormatInt(id, 10)
}

func serviceError(step, code string, err error) error {
	if db.IsUniqueViolation(err) {
		return fmt.Errorf("%s service %s: %w", step, code, db.ErrConflict)
	}

	return fmt.Errorf("%s service %s: %w", step, code, err)
}

func inTx(ctx context.Context, s *Store, fn func(pgx.Tx) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit this is a no-op

	if err := fn(tx); err != nil {
		return err
	}

	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}

	return nil
}
