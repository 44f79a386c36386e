package backoffice

import (
	"context"
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/changelog"
	"github.com/anliegen/anliegen/internal/staff"
)

// staffPage lists the staff accounts for administrators.
type staffPage struct {
	Page
	Accounts []staffRow
	Error    string
}

// staffRow is one account of the list; Self marks the administrator's own,
// which cannot be disabled from here.
type staffRow struct {
	staff.Account
	Self bool
}

// currentStaff returns the member that requireStaff let through.
func currentStaff(c *fiber.Ctx) *staff.Member {
	m, _ := c.Locals(localMember).(*staff.Member)
	return m
}

// requireAdmin, attached after requireStaff, lets administrators through and
// answers 404 to everyone else, so that the page does not even show that it
// exists.
func (b *Backoffice) requireAdmin(c *fiber.Ctx) error {
	m := currentStaff(c)
	if !staff.CanAdminister(m.Role) {
		b.securityEvent(c, slog.LevelWarn, "permission_denied", m.ID)
		return fiber.ErrNotFound
	}

	return c.Next()
}

func (b *Backoffice) staffList(c *fiber.Ctx) error {
	return b.renderStaff(c, fiber.StatusOK, "")
}

func (b *Backoffice) renderStaff(c *fiber.Ctx, status int, message string) error {
	accounts, err := b.staff.List(c.UserContext())
	if err != nil {
		return err
	}

	page := staffPage{Page: b.newPage(c)}
	for _, a := range accounts {
		page.Accounts = append(page.Accounts, staffRow{Account: a, Self: a.ID == page.Member.ID})
	}

	if message != "" {
		page.Error = page.T(message)
	}

	return b.web.Render(c, status, "staff", page)
}

// staffAction changes another member's access: end their sessions, disable or
// enable the account, or remove its second factor.
func (b *Backoffice) staffAction(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}

	target, admin, action := int64(id), currentStaff(c), c.Params("action")
	if _, err := b.staff.ByID(c.UserContext(), target); err != nil {
		return err
	}

	if action == "disable" && target == admin.ID {
		return b.renderStaff(c, fiber.StatusConflict, "bo_staff_self_disable")
	}

	event, ended, err := b.applyStaffAction(c.UserContext(), action, target)
	if err != nil {
		return err
	}

	b.securityEvent(c, slog.LevelInfo, event, target, "actor_id", admin.ID, "sessions", ended)
	err = changelog.Record(c.UserContext(), b.pool, changelog.Change{
		StaffID: admin.ID, Action: "staff." + event, Object: "staff:" + c.Params("id"),
		Detail: map[string]any{"sessions_ended": ended},
	})
	if err != nil {
		return err
	}

	return c.Redirect("/staff", fiber.StatusSeeOther)
}

// applyStaffAction runs an action on the account id and returns the name of its
// security event and how many of the account's sessions ended; 404 for an
// unknown action.
func (b *Backoffice) applyStaffAction(
	ctx context.Context,
	action string,
	id int64,
) (string, int64, error) {
	var n int64
	var err error
	switch action {
	case "sign-out":
		n, err = b.staff.EndSessions(ctx, id)
		return "sessions_ended", n, err
	case "disable":
		n, err = b.staff.Disable(ctx, id)
		return "account_disabled", n, err
	case "enable":
		return "account_enabled", 0, b.staff.Enable(ctx, id)
	case "reset-mfa":
		n, err = b.staff.ResetSecondFactor(ctx, id)
		return "mfa_reset", n, err
	}

	return "", 0, fiber.ErrNotFound
}
