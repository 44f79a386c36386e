package backoffice

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/i18n"
	"github.com/anliegen/anliegen/internal/letter"
	"github.com/anliegen/anliegen/internal/staff"
	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/internal/tracking"
)

// LetterOptions is what printed letters need beyond the ticket: the sender's
// letterhead and the portal's address, which the access link and the short
// address to type start with.
type LetterOptions struct {
	Head    letter.Letterhead
	BaseURL *url.URL
}

// maxLetterText is the longest text staff can write for a letter, in
// characters: about three pages.
const maxLetterText = 8000

// contactAddressField is the form answer that holds the contact's postal
// address. Other address answers of a form say where a problem is and are
// never taken as the recipient's address.
const contactAddressField = "contact_address"

// ticketLetter answers a letter to the ticket's contact as a PDF download: the
// standard text for GET, the text staff wrote for POST.
func (b *Backoffice) ticketLetter(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return fiber.ErrNotFound
	}

	text := ""
	if c.Method() == fiber.MethodPost {
		text = strings.TrimSpace(c.FormValue("text"))
		if !validLetterText(text) {
			return b.renderTicket(c, fiber.StatusUnprocessableEntity,
				"ticket_letter_text_invalid", "")
		}
	}

	pdf, caseNumber, err := b.printLetter(c, id, text)
	if err != nil {
		return err
	}

	m, _ := c.Locals(localMember).(*staff.Member)
	b.web.Logger().Info("letter printed", "ticket_id", id, "staff_id", m.ID)

	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+fileName(caseNumber)+`.pdf"`)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderCacheControl, "no-store")

	return c.Send(pdf)
}

func validLetterText(text string) bool {
	return text != "" && len([]rune(text)) <= maxLetterText && catalog.CleanText(text, true)
}

// printLetter renders the letter for ticket id and returns it with the case
// number; text empty means the standard text.
func (b *Backoffice) printLetter(c *fiber.Ctx, id int64, text string) ([]byte, string, error) {
	opts := b.deps.Letters
	if opts.BaseURL == nil {
		return nil, "", errors.New("print letter: the portal's base URL is not configured")
	}

	t, err := b.tickets.Get(c.UserContext(), id)
	if errors.Is(err, db.ErrNotFound) {
		return nil, "", fiber.ErrNotFound
	}
	if err != nil {
		return nil, "", err
	}

	code, secret, err := b.tickets.LetterAccess(c.UserContext(), id)
	if err != nil {
		return nil, "", err
	}

	l := b.newLetter(t, text, opts.Head)
	base := strings.TrimRight(opts.BaseURL.String(), "/")
	l.Code = code.String()
	l.AccessURL = base + "/a/" + secret
	l.TrackingURL = trackingURL(base, code)

	var buf bytes.Buffer
	if err := letter.Render(&buf, []letter.Letter{l}, opts.Head); err != nil {
		return nil, "", fmt.Errorf("print letter %d: %w", id, err)
	}

	return buf.Bytes(), t.CaseNumber, nil
}

// newLetter fills a letter to the ticket's contact in the ticket's language:
// greeting, text and closing, signed with the letterhead's name.
func (b *Backoffice) newLetter(t ticket.Ticket, text string, head letter.Letterhead) letter.Letter {
	lz := b.citizenLocalizer(t.Language)
	if text == "" {
		text = lz.T("letter_standard_text")
	}

	body := greeting(lz, t.ContactName) + "\n\n" + text + "\n\n" + lz.T("letter_closing")
	if head.Name != "" {
		body += "\n" + head.Name
	}

	return letter.Letter{
		Localizer:  lz,
		CaseNumber: t.CaseNumber,
		Date:       time.Now().In(b.web.Location()),
		Recipient:  recipient(t),
		Subject:    lz.T("letter_subject", "Service", lz.Pick(t.ServiceName)),
		Body:       body,
	}
}

func greeting(lz *i18n.Localizer, name string) string {
	if name == "" {
		return lz.T("letter_greeting_anonymous")
	}

	return lz.T("letter_greeting", "Name", name)
}

// recipient returns the lines of the address window: the contact's name and,
// when the form asked for it, the postal address, stored as one line
// "street number, postcode (place)".
func recipient(t ticket.Ticket) []string {
	var lines []string
	if t.ContactName != "" {
		lines = append(lines, t.ContactName)
	}

	if address := strings.TrimSpace(t.Fields[contactAddressField]); address != "" {
		street, rest, _ := strings.Cut(address, ", ")
		lines = append(lines, street)
		if rest != "" {
			lines = append(lines, rest)
		}
	}

	return lines
}

// trackingURL is the short address printed to type instead of scanning.
func trackingURL(base string, code tracking.Code) string {
	return base + "/t/" + code.Canonical()
}

var unsafeFileName = regexp.MustCompile(`[^A-Za-z0-9._-]`)

// fileName makes a case number safe to stand in a quoted file name.
func fileName(caseNumber string) string {
	return unsafeFileName.ReplaceAllString(caseNumber, "_")
}
