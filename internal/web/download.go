package web

import (
	"mime"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/attachment"
)

// SendAttachment sends a stored file as a download: always as an attachment,
// with the type detected when it was checked, never sniffed, and never cached.
func SendAttachment(c *fiber.Ctx, f attachment.File) error {
	c.Set(fiber.HeaderContentType, f.ContentType)
	c.Set(fiber.HeaderContentDisposition,
		mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'; sandbox")
	c.Set(fiber.HeaderContentLength, strconv.Itoa(len(f.Data)))

	return c.Send(f.Data)
}
