package backoffice

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/internal/web"
)

// ticketMerge closes the ticket as a duplicate of the one typed by case number
// or tracking code.
func (b *Backoffice) ticketMerge(c *fiber.Ctx) error {
	a, err := action(c)
	if err != nil {
		return err
	}

	target, err := b.target(c, "merge-target", "bo_merge_target")
	if err != nil || target == nil {
		return err
	}

	err = b.tickets.Merge(c.UserContext(), a, target.ID)

	return b.afterWorkflow(c, a, "merged", err, "#merge")
}

// target finds the ticket typed into the input id. A ticket the member may not
// see is not found, as on its own page; then the page is answered with the
// error and target returns nil.
func (b *Backoffice) target(c *fiber.Ctx, id, label string) (*ticket.Ref, error) {
	lz := web.Localizer(c)
	ref, err := b.tickets.Find(c.UserContext(), c.FormValue(id))
	if err == nil && !scopeOf(c).CanSeeTicket(ref.TeamID) {
		err = db.ErrNotFound
	}

	switch {
	case errors.Is(err, db.ErrNotFound):
		errs := newFieldErrors(lz)
		errs.add(id, "bo_target_not_found", lz.T(label), 0)
		return nil, b.workflowError(c, fiber.StatusUnprocessableEntity, errs)
	case err != nil:
		return nil, err
	}

	return &ref, nil
}
