package ticket

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// ErrUnknownTarget is returned when the team, service or ticket an action names
// does not exist, or cannot take the ticket.
var ErrUnknownTarget = errors.New("the team, service or ticket named does not exist")

// ErrNoChange is returned when an action would leave the ticket as it is.
var ErrNoChange = errors.New("the ticket is already so")

const ticketPlaceSQL = `
SELECT t.team_id, tm.name->>'de', t.service_id, s.name->>'de'
FROM tickets t
JOIN teams tm ON tm.id = t.team_id
JOIN services s ON s.id = t.service_id
WHERE t.id = $1`

const teamNameSQL = `
SELECT name->>'de'
FROM teams
WHERE id = $1`

const serviceTeamSQL = `
SELECT team_id, name->>'de'
FROM services
WHERE id = $1
  AND active`

const moveTeamSQL = `
UPDATE tickets
SET team_id = $2
WHERE id = $1`

const moveServiceSQL = `
UPDATE tickets
SET service_id = $2
WHERE id = $1`

// releaseOutsiderSQL releases the assignee unless they belong to the ticket's
// new team, and returns the released member's name.
const releaseOutsiderSQL = `
UPDATE tickets t
SET assignee_id = NULL
FROM staff st
WHERE t.id = $1
  AND st.id = t.assignee_id
  AND NOT EXISTS (
	SELECT 1
	FROM team_members tm
	WHERE tm.team_id = t.team_id
	  AND tm.staff_id = t.assignee_id)
RETURNING st.name`

// place is where a ticket stands in the organisation: its team and service.
type place struct {
	teamID      int64
	teamName    string
	serviceID   int64
	serviceName string
}

func readPlace(ctx context.Context, tx pgx.Tx, id int64) (place, error) {
	var p place
	err := tx.QueryRow(ctx, ticketPlaceSQL, id).Scan(&p.teamID, &p.teamName, &p.serviceID,
		&p.serviceName)
	if err != nil {
		return place{}, fmt.Errorf("read team and service: %w", err)
	}

	return p, nil
}

// ChangeTeam moves the ticket to another team. An assignee who is not a member
// of the new team is released, so the ticket shows up as unassigned there.
func (s *Store) ChangeTeam(ctx context.Context, a Action, teamID int64) error {
	err := s.locked(ctx, a, func(tx pgx.Tx, _ Status, _ string) error {
		p, err := readPlace(ctx, tx, a.TicketID)
		if err != nil {
			return err
		}

		if p.teamID == teamID {
			return ErrNoChange
		}

		return moveTeam(ctx, tx, a, p, teamID)
	})
	if err != nil {
		return fmt.Errorf("change team of ticket %d: %w", a.TicketID, err)
	}

	return nil
}

// ChangeService files the ticket under another service. Its team follows the
// new service's team unless teamID names another one. Its due dates are
// counted anew from its creation with the new service's targets.
func (s *Store) ChangeService(ctx context.Context, a Action, serviceID, teamID int64) error {
	err := s.locked(ctx, a, func(tx pgx.Tx, _ Status, _ string) error {
		p, err := readPlace(ctx, tx, a.TicketID)
		if err != nil {
			return err
		}

		if p.serviceID == serviceID {
			return ErrNoChange
		}

		serviceTeam, err := moveService(ctx, tx, a, p, serviceID)
		if err != nil {
			return err
		}

		if err := s.recountDue(ctx, tx, a.TicketID, p.serviceID); err != nil {
			return err
		}

		if teamID == 0 {
			teamID = serviceTeam
		}
		if teamID == p.teamID {
			return nil
		}

		return moveTeam(ctx, tx, a, p, teamID)
	})
	if err != nil {
		return fmt.Errorf("change service of ticket %d: %w", a.TicketID, err)
	}

	return nil
}

// moveService files a locked ticket under serviceID, records it and returns
// the service's team.
func moveService(
	ctx context.Context,
	tx pgx.Tx,
	a Action,
	p place,
	serviceID int64,
) (int64, error) {
	var team int64
	var name string
	err := tx.QueryRow(ctx, serviceTeamSQL, serviceID).Scan(&team, &name)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, ErrUnknownTarget
	}
	if err != nil {
		return 0, fmt.Errorf("read service: %w", err)
	}

	if _, err := tx.Exec(ctx, moveServiceSQL, a.TicketID, serviceID); err != nil {
		return 0, fmt.Errorf("move service: %w", err)
	}

	_, err = tx.Exec(ctx, insertEventSQL, a.TicketID, "service", actor(a.ActorID),
		p.serviceName, name)
	if err != nil {
		return 0, fmt.Errorf("service event: %w", err)
	}

	return team, nil
}

// moveTeam moves a locked ticket from the team of p to teamID and records it,
// releasing an assignee from outside the new team.
func moveTeam(ctx context.Context, tx pgx.Tx, a Action, p place, teamID int64) error {
	var name string
	err := tx.QueryRow(ctx, teamNameSQL, teamID).Scan(&name)
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrUnknownTarget
	}
	if err != nil {
		return fmt.Errorf("read team: %w", err)
	}

	if _, err := tx.Exec(ctx, moveTeamSQL, a.TicketID, teamID); err != nil {
		return fmt.Errorf("move team: %w", err)
	}

	_, err = tx.Exec(ctx, insertEventSQL, a.TicketID, "team", actor(a.ActorID), p.teamName, name)
	if err != nil {
		return fmt.Errorf("team event: %w", err)
	}

	var released string
	err = tx.QueryRow(ctx, releaseOutsiderSQL, a.TicketID).Scan(&released)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("release assignee: %w", err)
	}

	_, err = tx.Exec(ctx, insertEventSQL, a.TicketID, "assignment", actor(a.ActorID),
		released, "")

	return err
}
