package portal

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/tracking"
	"github.com/anliegen/anliegen/internal/web"
)

type linkPage struct {
	web.Page
	Code   string
	Email  string
	Sent   bool
	Errors []summaryItem
	CodeError,
	EmailError string
}

func (p *Portal) linkForm(c *fiber.Ctx) error {
	return p.web.Render(c, fiber.StatusOK, "link", linkPage{Page: p.web.NewPage(c)})
}

// linkRequest mails the access link again when the code and the e-mail address
// belong together. The answer is the same whether or not they do, so the page
// tells nobody which addresses belong to which request.
func (p *Portal) linkRequest(c *fiber.Ctx) error {
	page := linkPage{
		Page: p.web.NewPage(c), Code: strings.TrimSpace(c.FormValue("code")),
		Email: strings.TrimSpace(c.FormValue("email")),
	}

	code, err := tracking.ParseCode(page.Code)
	if err != nil {
		page.CodeError = page.T("link_code_invalid")
		page.Errors = append(page.Errors, summaryItem{Href: "#code", Text: page.CodeError})
	}
	if !catalog.ValidEmail(page.Email) {
		page.EmailError = page.T(catalog.ErrEmail, "Field", page.T("form_contact_email"))
		page.Errors = append(page.Errors, summaryItem{Href: "#email", Text: page.EmailError})
	}
	if len(page.Errors) > 0 {
		return p.web.Render(c, fiber.StatusUnprocessableEntity, "link", page)
	}

	if err := p.tickets.ResendLink(c.UserContext(), code, page.Email); err != nil {
		return err
	}

	page.Sent = true

	return p.web.Render(c, fiber.StatusOK, "link", page)
}
