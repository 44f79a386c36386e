package backoffice

import (
	"context"
	"errors"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/staff"
	"github.com/anliegen/anliegen/internal/ticket"
)

// maxBulk is the most tickets one bulk action may change.
const maxBulk = 200

// ticketBulk applies one action to the tickets ticked in a queue: take over,
// release, or a status change. Each ticket is changed on its current version,
// so that a ticket a colleague changed meanwhile is not reverted; the result
// says how many changed and how many could not.
func (b *Backoffice) ticketBulk(c *fiber.Ctx) error {
	m, _ := c.Locals(localMember).(*staff.Member)
	ids, err := bulkIDs(formValues(c, "ids"))
	if err != nil || len(ids) == 0 || len(ids) > maxBulk {
		return fiber.ErrBadRequest
	}

	do, err := b.bulkAction(c.FormValue("action"), m.ID, scopeOf(c))
	if err != nil {
		return err
	}

	done, failed := 0, 0
	for _, id := range ids {
		if err := do(c.UserContext(), id); err != nil {
			if !errors.Is(err, ticket.ErrTransition) && !errors.Is(err, ticket.ErrFinished) {
				b.web.Logger().Warn("bulk action failed", "ticket_id", id, "error", err.Error())
			}
			failed++
			continue
		}
		done++
	}

	b.web.Logger().Info("bulk action", "staff_id", m.ID, "done", done, "failed", failed)
	back := c.FormValue("back")
	if u, err := url.Parse(back); err != nil || u.Path != "/tickets" || u.Host != "" {
		back = "/tickets"
	}

	return c.Redirect(back+sep(back)+"done="+strconv.Itoa(done)+"&failed="+strconv.Itoa(failed),
		fiber.StatusSeeOther)
}

func sep(u string) string {
	for _, r := range u {
		if r == '?' {
			return "&"
		}
	}

	return "?"
}

// bulkAction returns the change one bulk action makes to one ticket.
func (b *Backoffice) bulkAction(
	name string,
	actorID int64,
	sc staff.Scope,
) (func(context.Context, int64) error, error) {
	current := func(ctx context.Context, id int64) (ticket.Ticket, ticket.Action, error) {
		t, err := b.tickets.Get(ctx, id)
		if err == nil && !sc.CanSeeTicket(t.TeamID) {
			err = db.ErrNotFound
		}
		return t, ticket.Action{TicketID: id, Version: t.Version, ActorID: actorID}, err
	}

	switch name {
	case "take", "release":
		to := actorID
		if name == "release" {
			to = 0
		}
		return func(ctx context.Context, id int64) error {
			_, a, err := current(ctx, id)
			if err != nil {
				return err
			}
			return b.tickets.Assign(ctx, a, to)
		}, nil
	}

	status := ticket.Status(name)
	if !status.Valid() {
		return nil, fiber.ErrBadRequest
	}

	return func(ctx context.Context, id int64) error {
		t, a, err := current(ctx, id)
		if err != nil {
			return err
		}
		return b.tickets.ChangeStatus(ctx, ticket.StatusChangeRequest{
			TicketID: id, Version: t.Version, To: status, ActorID: a.ActorID,
		})
	}, nil
}

func bulkIDs(values []string) ([]int64, error) {
	ids := make([]int64, 0, len(values))
	for _, v := range values {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}

	return ids, nil
}

// formValues returns every value of a URL-encoded form field.
func formValues(c *fiber.Ctx, name string) []string {
	var out []string
	for _, v := range c.Request().PostArgs().PeekMulti(name) {
		out = append(out, string(v))
	}

	return out
}
