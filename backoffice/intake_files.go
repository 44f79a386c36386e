package backoffice

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// accept is the accept attribute of a file input: the types the rules allow.
func (b *Backoffice) accept() string {
	return strings.Join(b.files.Types, ",")
}

// intakeValues returns every value of an input of the intake form, posted
// URL-encoded or, with files, as multipart. The values are copies: they
// outlive the request's buffers.
func intakeValues(c *fiber.Ctx) func(name string) []string {
	if form, err := c.MultipartForm(); err == nil {
		return func(name string) []string { return form.Value[name] }
	}

	return func(name string) []string { return formValues(c, name) }
}
