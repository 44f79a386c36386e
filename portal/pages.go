package portal

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/web"
)

// FeedbackService is the service code of the accessibility feedback form; the
// service names the team that receives the feedback and may be non-public.
const FeedbackService = "barrierefreiheit"

type textPage struct {
	web.Page
	Video string
	// Paragraphs is the city's own text of the page, when it wrote one.
	Paragraphs []string
}

// textPages are the pages whose whole content comes from the locales.
func (p *Portal) textPage(name string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return p.web.Render(c, fiber.StatusOK, name, textPage{Page: p.web.NewPage(c)})
	}
}

// privacy shows the city's privacy text in the reader's language or, where it
// wrote none, the shipped one.
func (p *Portal) privacy(c *fiber.Ctx) error {
	page := textPage{Page: p.web.NewPage(c)}
	text, err := p.catalog.PrivacyText(c.UserContext(), catalog.PrivacyPage, page.Tag)
	if err != nil {
		return err
	}
	page.Paragraphs = catalog.Paragraphs(text)

	return p.web.Render(c, fiber.StatusOK, "privacy", page)
}

// easyLanguage explains the portal in Leichte Sprache, whatever language the
// rest of the site is shown in.
func (p *Portal) easyLanguage(c *fiber.Ctx) error {
	page := textPage{Page: p.web.NewPage(c)}
	page.Localizer = p.web.Bundle().Localizer("de-x-ls")

	return p.web.Render(c, fiber.StatusOK, "easy_language", page)
}

// signLanguage shows the city's sign-language video when one is configured.
func (p *Portal) signLanguage(c *fiber.Ctx) error {
	page := textPage{Page: p.web.NewPage(c), Video: p.signVideo}
	return p.web.Render(c, fiber.StatusOK, "sign_language", page)
}

func (p *Portal) feedbackService(c *fiber.Ctx) (catalog.Service, error) {
	svc, err := p.catalog.ServiceByCode(c.UserContext(), FeedbackService)
	if errors.Is(err, db.ErrNotFound) {
		return catalog.Service{}, fiber.ErrNotFound
	}

	return svc, err
}

func (p *Portal) feedbackForm(c *fiber.Ctx) error {
	svc, err := p.feedbackService(c)
	if err != nil {
		return err
	}

	page := p.newFormPage(c, svc, func(string) []string { return nil }, nil)
	page.Action = "/accessibility/feedback"

	return p.web.Render(c, fiber.StatusOK, "request_form", page)
}

func (p *Portal) feedbackSubmit(c *fiber.Ctx) error {
	svc, err := p.feedbackService(c)
	if err != nil {
		return err
	}

	return p.submit(c, svc, "/accessibility/feedback")
}
