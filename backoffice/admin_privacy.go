package backoffice

import (
	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/catalog"
)

// privacyPage edits the privacy notice above every form and the privacy page
// of the portal, per language.
type privacyPage struct {
	Page
	Errors []summaryItem
	Saved  bool
	Notice textsInput
	Body   textsInput
}

func (b *Backoffice) adminPrivacy(c *fiber.Ctx) error {
	ctx := c.UserContext()
	notice, err := b.catalog.PrivacyTexts(ctx, catalog.PrivacyNotice)
	if err != nil {
		return err
	}

	body, err := b.catalog.PrivacyTexts(ctx, catalog.PrivacyPage)
	if err != nil {
		return err
	}

	return b.renderPrivacy(c, fiber.StatusOK, notice, body, newFormErrors(b.newPage(c)))
}

func (b *Backoffice) adminPrivacySave(c *fiber.Ctx) error {
	errs := newFormErrors(b.newPage(c))
	notice := b.textsFrom(c, "notice", 2000, true, errs)
	body := b.textsFrom(c, "page", 20000, true, errs)
	if !errs.ok() {
		return b.renderPrivacy(c, fiber.StatusUnprocessableEntity, notice, body, errs)
	}

	// Every language is stored, so that an emptied text goes back to the
	// shipped one.
	for _, tag := range b.languageTags() {
		notice[tag] += ""
		body[tag] += ""
	}

	ctx, by := c.UserContext(), currentStaff(c).ID
	if err := b.catalog.SetPrivacyTexts(ctx, catalog.PrivacyNotice, notice, by); err != nil {
		return err
	}

	if err := b.catalog.SetPrivacyTexts(ctx, catalog.PrivacyPage, body, by); err != nil {
		return err
	}

	return c.Redirect("/admin/privacy?saved=1", fiber.StatusSeeOther)
}

func (b *Backoffice) renderPrivacy(
	c *fiber.Ctx,
	status int,
	notice, body catalog.Texts,
	errs *formErrors,
) error {
	p := b.newPage(c)
	page := privacyPage{
		Page: p, Errors: errs.Errors, Saved: c.Query("saved") != "",
		Notice: b.textsInputs("notice", p.T("bo_admin_privacy_notice"), "textarea", notice, errs),
		Body:   b.textsInputs("page", p.T("bo_admin_privacy_page"), "textarea", body, errs),
	}
	for i := range page.Body.Inputs {
		page.Body.Inputs[i].Rows = 12
	}

	return b.web.Render(c, status, "admin_privacy", page)
}
