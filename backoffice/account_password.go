package backoffice

import (
	"errors"
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/staff"
)

// passwordPath is the page where members change their own password, the only
// one open to a member who must still replace the password an administrator
// gave them.
const passwordPath = "/account/password"

// passwordPage lets the signed-in member replace their password.
type passwordPage struct {
	Page
	Errors  []summaryItem
	Changed bool
	// Required says that the password must be replaced before anything else.
	Required bool
	Current  passwordInput
	New      passwordInput
	Repeat   passwordInput
}

// passwordInput is a password input with the autocomplete token that lets
// password managers tell the current password from the new one.
type passwordInput struct {
	input
	Autocomplete string
}

func (b *Backoffice) accountPasswordForm(c *fiber.Ctx) error {
	return b.renderPassword(c, fiber.StatusOK, newFormErrors(b.newPage(c)))
}

// accountPassword changes the password and, on success, redirects to the page
// again with a notice, so that reloading does not send the passwords again.
func (b *Backoffice) accountPassword(c *fiber.Ctx) error {
	errs := newFormErrors(b.newPage(c))
	current, next := c.FormValue("current_password"), c.FormValue("new_password")
	if current == "" {
		errs.add("current_password", "bo_password_error_current_empty")
	}
	if err := staff.CheckPassword(next); err != nil {
		errs.add("new_password", newPasswordMessage(err))
	} else if c.FormValue("repeat_password") != next {
		errs.add("repeat_password", "bo_password_error_repeat")
	}

	if !errs.ok() {
		return b.renderPassword(c, fiber.StatusUnprocessableEntity, errs)
	}

	m := currentStaff(c)
	ended, err := b.staff.ChangePassword(c.UserContext(), m.ID,
		b.web.Cookie(c, sessionCookie), current, next)
	if errors.Is(err, staff.ErrWrongPassword) {
		b.securityEvent(c, slog.LevelWarn, "password_change_failed", m.ID)
		errs.add("current_password", "bo_password_error_current_wrong")
		return b.renderPassword(c, fiber.StatusUnprocessableEntity, errs)
	}
	if err != nil {
		return err
	}

	b.securityEvent(c, slog.LevelInfo, "password_changed", m.ID, "sessions", ended)

	return c.Redirect(passwordPath+"?changed=1", fiber.StatusSeeOther)
}

func newPasswordMessage(err error) string {
	if errors.Is(err, staff.ErrCommonPassword) {
		return "bo_password_error_new_common"
	}

	return "bo_password_error_new_short"
}

func (b *Backoffice) renderPassword(c *fiber.Ctx, status int, errs *formErrors) error {
	page := passwordPage{Page: b.newPage(c), Errors: errs.Errors,
		Changed: status == fiber.StatusOK && c.Query("changed") != ""}
	page.Required = page.Member.MustChangePassword
	page.Current = passwordInput{input{ID: "current_password", Name: "current_password",
		Label: page.T("bo_password_current"), Error: errs.of("current_password")},
		"current-password"}
	page.New = passwordInput{input{ID: "new_password", Name: "new_password",
		Label: page.T("bo_password_new"), Help: page.T("bo_password_new_hint"),
		Error: errs.of("new_password")}, "new-password"}
	page.Repeat = passwordInput{input{ID: "repeat_password", Name: "repeat_password",
		Label: page.T("bo_password_repeat"), Error: errs.of("repeat_password")},
		"new-password"}

	c.Set(fiber.HeaderCacheControl, "no-store")

	return b.web.Render(c, status, "account_password", page)
}
