package web

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/db"
)

// ErrorPage is the data of the error page.
type ErrorPage struct {
	Page
	Status int
	Title  string
	Text   string
}

// knownErrorPages are the statuses that have their own title and text in the
// locales; every other status gets the general one of its class.
var knownErrorPages = map[int]bool{
	400: true, 403: true, 404: true, 405: true, 413: true, 429: true, 500: true, 503: true,
}

// handleError is the one place that turns an error into a response: it logs the
// cause and shows a translated page with the request ID, never the internals.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	status := fiber.StatusInternalServerError
	var fe *fiber.Error
	switch {
	case errors.As(err, &fe):
		status = fe.Code
	case errors.Is(err, db.ErrNotFound):
		status = fiber.StatusNotFound
	}

	attrs := append(LogAttrs(c), "status", status, "error", err.Error())
	if status >= 500 {
		s.logger.Error("request failed", attrs...)
	} else {
		s.logger.Warn("request refused", attrs...)
	}

	if Localizer(c) == nil {
		// The error came before the language was chosen, as for a bad static path.
		c.Locals(localLocalizer, s.localizer(
			s.bundle.Choose("", s.Cookie(c, langCookie), c.Get(fiber.HeaderAcceptLanguage)).Tag))
	}

	key := "500"
	if knownErrorPages[status] {
		key = strconv.Itoa(status)
	} else if status < 500 {
		key = "400"
	}

	p := ErrorPage{Page: s.NewPage(c), Status: status}
	p.Title = p.T("error_" + key + "_title")
	p.Text = p.T("error_" + key + "_text")

	if rerr := s.Render(c, status, "error", p); rerr != nil {
		s.logger.Error("render error page", append(LogAttrs(c), "error", rerr.Error())...)
		return c.Status(status).SendString(strconv.Itoa(status))
	}

	return nil
}
