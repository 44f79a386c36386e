package backoffice

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/attachment"
	"github.com/anliegen/anliegen/internal/catalog"
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

// intakeFiles reads the files of the service's file fields, such as a scanned
// letter, and checks them by the portal's attachment rules. A refusal becomes
// the message at its field, and a limit of the whole form the message at the
// first file field; the other inputs keep what was typed.
func (b *Backoffice) intakeFiles(
	c *fiber.Ctx,
	svc catalog.Service,
	errs map[string]string,
) []attachment.File {
	form, err := c.MultipartForm()
	if err != nil {
		for _, f := range svc.Form {
			if f.Type == catalog.FieldFile && f.Required {
				errs["field_"+f.Code] = catalog.ErrRequired
			}
		}
		return nil
	}

	var all []attachment.File
	var count int
	var total int64
	firstField := ""
	for _, f := range svc.Form {
		if f.Type != catalog.FieldFile {
			continue
		}

		name := "field_" + f.Code
		if firstField == "" {
			firstField = name
		}

		uploads, err := attachment.ReadUploads(form.File[name])
		if err != nil {
			errs[name] = attachment.ErrDamaged
			continue
		}

		for _, u := range uploads {
			count, total = count+1, total+int64(len(u.Data))
		}

		if f.Required && len(uploads) == 0 {
			errs[name] = catalog.ErrRequired
			continue
		}

		files, id := b.files.CheckUploads(uploads)
		if id != "" {
			errs[name] = id
			continue
		}
		all = append(all, files...)
	}

	if id := b.files.Limit(count, total); id != "" && firstField != "" {
		errs[firstField] = id
	}

	return all
}
