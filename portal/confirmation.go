package portal

import (
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"

	"github.com/gofiber/fiber/v2"
	"github.com/skip2/go-qrcode"

	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/internal/tracking"
	"github.com/anliegen/anliegen/internal/web"
)

type confirmationPage struct {
	web.Page
	CaseNumber  string
	Code        string
	TrackingURL string
	QR          template.URL
	ServiceName string
	Promise     string
}

func (p *Portal) confirmation(c *fiber.Ctx) error {
	code, view, err := p.lookup(c, c.Params("code"))
	if err != nil {
		return fiber.ErrNotFound
	}

	svc, err := p.catalog.ServiceByID(c.UserContext(), view.ServiceID)
	if err != nil {
		return err
	}

	url := p.trackingURL(code.Canonical())
	qr, err := qrDataURL(url)
	if err != nil {
		return err
	}

	page := confirmationPage{
		Page: p.web.NewPage(c), CaseNumber: view.CaseNumber, Code: code.String(),
		TrackingURL: url, QR: qr,
	}
	page.ServiceName = page.Pick(view.ServiceName)
	page.Promise = page.Pick(svc.Promise)

	return p.web.Render(c, fiber.StatusOK, "confirmation", page)
}

// lookup parses a typed code and loads its public view; a malformed code fails
// before any database lookup, and every failure looks the same to the caller.
func (p *Portal) lookup(c *fiber.Ctx, raw string) (tracking.Code, ticket.PublicView, error) {
	code, err := tracking.ParseCode(raw)
	if err != nil {
		return tracking.Code{}, ticket.PublicView{}, err
	}

	view, err := p.tickets.PublicByCode(c.UserContext(), code)
	if err != nil {
		return tracking.Code{}, ticket.PublicView{}, err
	}

	return code, view, nil
}

// qrDataURL renders url as a PNG QR code inside a data: URL, which the
// Content-Security-Policy allows for images.
func qrDataURL(url string) (template.URL, error) {
	png, err := qrcode.Encode(url, qrcode.Medium, 240)
	if err != nil {
		return "", fmt.Errorf("qr code: %w", err)
	}

	//nolint:gosec // the content is a PNG we made ourselves
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)), nil
}

// isNotFound reports whether err means that no ticket matched.
func isNotFound(err error) bool {
	return errors.Is(err, db.ErrNotFound) || errors.Is(err, tracking.ErrCodeCheck) ||
		errors.Is(err, tracking.ErrCodeLength) || errors.Is(err, tracking.ErrCodeSymbol)
}
