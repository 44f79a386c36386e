package backoffice

import (
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/skip2/go-qrcode"

	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/staff"
)

// mfaPage asks for the code of the second factor; with Enrol set it first
// shows the new secret as a QR code and as text.
type mfaPage struct {
	Page
	Enrol  bool
	QR     template.URL
	Secret string
	Error  string
}

// mfaCodeForm shows the second step of a sign-in, or sends back to the password
// when there is none.
func (b *Backoffice) mfaCodeForm(c *fiber.Ctx) error {
	p, _, err := b.signInChallenge(c)
	if errors.Is(err, db.ErrNotFound) {
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	if err != nil {
		return err
	}

	return b.renderMFA(c, fiber.StatusOK, p, "")
}

// mfaCode checks the code of the second step and starts the session.
func (b *Backoffice) mfaCode(c *fiber.Ctx) error {
	p, id, err := b.signInChallenge(c)
	if errors.Is(err, db.ErrNotFound) {
		return b.loginRefused(c, "", "bo_mfa_expired")
	}
	if err != nil {
		return err
	}

	code := strings.Join(strings.Fields(c.FormValue("code")), "")
	if !isTOTPCode(code) {
		return b.renderMFA(c, fiber.StatusUnprocessableEntity, p, "bo_mfa_code_format")
	}

	m, err := b.staff.Answer(c.UserContext(), id, code)
	if err != nil {
		return b.mfaRefused(c, p, err)
	}

	if p.EnrolSecret != "" {
		b.securityEvent(c, slog.LevelInfo, "mfa_enrolled", m.ID)
	}

	return b.startSession(c, m)
}

// mfaRefused answers a code that Answer did not accept.
func (b *Backoffice) mfaRefused(c *fiber.Ctx, p staff.Pending, err error) error {
	switch {
	case errors.Is(err, staff.ErrWrongCode):
		b.securityEvent(c, slog.LevelWarn, "mfa_failed", p.Member.ID, "reason", "wrong")
		return b.renderMFA(c, fiber.StatusUnauthorized, p, "bo_mfa_wrong")
	case errors.Is(err, staff.ErrCodeUsed):
		b.securityEvent(c, slog.LevelWarn, "mfa_failed", p.Member.ID, "reason", "reused")
		return b.renderMFA(c, fiber.StatusUnauthorized, p, "bo_mfa_used")
	case errors.Is(err, staff.ErrTooManyCodes):
		b.securityEvent(c, slog.LevelWarn, "mfa_failed", p.Member.ID, "reason", "too_many")
		b.web.ClearCookie(c, challengeCookie)
		return b.loginRefused(c, p.Member.Email, "bo_mfa_too_many")
	case errors.Is(err, db.ErrNotFound):
		b.web.ClearCookie(c, challengeCookie)
		return b.loginRefused(c, p.Member.Email, "bo_mfa_expired")
	}

	return err
}

// signInChallenge returns the sign-in of the challenge cookie and its ID;
// db.ErrNotFound when there is none.
func (b *Backoffice) signInChallenge(c *fiber.Ctx) (staff.Pending, string, error) {
	id := b.web.Cookie(c, challengeCookie)
	if id == "" {
		return staff.Pending{}, "", fmt.Errorf("sign-in challenge: %w", db.ErrNotFound)
	}

	p, err := b.staff.Pending(c.UserContext(), id)
	if err != nil {
		return staff.Pending{}, "", err
	}

	return p, id, nil
}

func (b *Backoffice) renderMFA(c *fiber.Ctx, status int, p staff.Pending, message string) error {
	page := mfaPage{Page: b.newPage(c), Enrol: p.EnrolSecret != ""}
	if message != "" {
		page.Error = page.T(message)
	}

	if !page.Enrol {
		return b.web.Render(c, status, "mfa_code", page)
	}

	url, err := staff.TOTPURL(p.Member.Email, p.EnrolSecret)
	if err != nil {
		return err
	}

	if page.QR, err = totpQR(url); err != nil {
		return err
	}
	page.Secret = secretGroups(p.EnrolSecret)

	return b.web.Render(c, status, "mfa_enrol", page)
}

// isTOTPCode reports whether code has the six digits of a TOTP code.
func isTOTPCode(code string) bool {
	if len(code) != 6 {
		return false
	}

	for _, r := range code {
		if r < '0' || r > '9' {
			return false
		}
	}

	return true
}

// secretGroups spaces a secret for typing it into an app by hand.
func secretGroups(s string) string {
	var out strings.Builder
	for i, r := range s {
		if i > 0 && i%4 == 0 {
			out.WriteByte(' ')
		}
		out.WriteRune(r)
	}

	return out.String()
}

// totpQR renders text as a PNG QR code inside a data: URL, which the
// Content-Security-Policy allows for images.
func totpQR(text string) (template.URL, error) {
	png, err := qrcode.Encode(text, qrcode.Medium, 240)
	if err != nil {
		return "", fmt.Errorf("qr code: %w", err)
	}

	//nolint:gosec // the content is a PNG we made ourselves
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)), nil
}
