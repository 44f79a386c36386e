package web

import (
	"mime/multipart"

	"github.com/gofiber/fiber/v2"
)

// MultipartForm returns the request's multipart form, or nil for a request
// posted otherwise.
func MultipartForm(c *fiber.Ctx) *multipart.Form {
	form, err := c.MultipartForm()
	if err != nil {
		return nil
	}

	return form
}
