package backoffice

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/apikey"
	"github.com/anliegen/anliegen/internal/web"
)

// apiKeysPage lists the Open311 API keys for administrators. NewKey is the
// secret of a key just issued, shown on this one answer and nowhere again.
type apiKeysPage struct {
	Page
	Keys []apikey.Key
	// Name is the name typed into the issue form, kept when it is refused.
	Name   string
	NewKey string
	// Error is the message of a refused name; ErrorFor names the form it
	// belongs to: "new" or the ID of the renamed key.
	Error    string
	ErrorFor string
}

func (b *Backoffice) apiKeys() *apikey.Store {
	return apikey.NewStore(b.pool)
}

func (b *Backoffice) apiKeyList(c *fiber.Ctx) error {
	return b.renderAPIKeys(c, fiber.StatusOK, apiKeysPage{})
}

func (b *Backoffice) renderAPIKeys(c *fiber.Ctx, status int, page apiKeysPage) error {
	keys, err := b.apiKeys().List(c.UserContext())
	if err != nil {
		return err
	}

	page.Page, page.Keys = b.newPage(c), keys
	if page.Error != "" {
		page.Error = page.T(page.Error)
	}

	// The page may carry a new key: no cache may keep it.
	c.Set(fiber.HeaderCacheControl, "no-store")

	return b.web.Render(c, status, "apikeys", page)
}

// apiKeyCreate issues a key and shows it once on the answer itself, since a
// redirect would have to carry the secret.
func (b *Backoffice) apiKeyCreate(c *fiber.Ctx) error {
	name := c.FormValue("name")
	admin := currentStaff(c)
	k, secret, err := b.apiKeys().Create(c.UserContext(), name, &admin.ID)
	if errors.Is(err, apikey.ErrName) {
		return b.renderAPIKeys(c, fiber.StatusUnprocessableEntity, apiKeysPage{
			Name: name, Error: "bo_apikeys_name_invalid", ErrorFor: "new",
		})
	}
	if err != nil {
		return err
	}

	b.web.Logger().Info("api key issued", "request_id", web.RequestID(c),
		"api_key_id", k.ID, "staff_id", admin.ID)

	return b.renderAPIKeys(c, fiber.StatusOK, apiKeysPage{NewKey: secret})
}

func (b *Backoffice) apiKeyRename(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}

	admin := currentStaff(c)
	err = b.apiKeys().Rename(c.UserContext(), int64(id), c.FormValue("name"), &admin.ID)
	if errors.Is(err, apikey.ErrName) {
		return b.renderAPIKeys(c, fiber.StatusUnprocessableEntity, apiKeysPage{
			Error: "bo_apikeys_name_invalid", ErrorFor: strconv.Itoa(id),
		})
	}
	if err != nil {
		return err
	}

	return c.Redirect("/apikeys", fiber.StatusSeeOther)
}

func (b *Backoffice) apiKeyRevoke(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}

	admin := currentStaff(c)
	if err := b.apiKeys().Revoke(c.UserContext(), int64(id), &admin.ID); err != nil {
		return err
	}

	b.web.Logger().Info("api key revoked", "request_id", web.RequestID(c),
		"api_key_id", id, "staff_id", admin.ID)

	return c.Redirect("/apikeys", fiber.StatusSeeOther)
}
