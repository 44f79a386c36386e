package backoffice

import "github.com/gofiber/fiber/v2"

// adminIndex leads to every part of the administration.
func (b *Backoffice) adminIndex(c *fiber.Ctx) error {
	return b.web.Render(c, fiber.StatusOK, "admin_index", b.newPage(c))
}
