package portal

import (
	"errors"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/attachment"
	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/internal/web"
)

type messageView struct {
	FromCitizen bool
	Author      string
	Body        string
	At          time.Time
	Files       []fileView
}

type fileView struct {
	ID   int64
	Name string
	Size string
}

type requestPage struct {
	trackPage
	Answers    []catalog.Answer
	Messages   []messageView
	Reply      string
	Errors     []summaryItem
	ReplyError string
	FilesError string
	Accept     string
	FileRules  string
	Notice     string
	Waiting    bool
}

func (p *Portal) requestView(c *fiber.Ctx) error {
	page, err := p.newRequestPage(c)
	if err != nil {
		return err
	}

	switch c.Query("done") {
	case "reply":
		page.Notice = page.T("request_reply_sent")
	case "withdrawn":
		page.Notice = page.T("request_withdrawn")
	}

	return p.web.Render(c, fiber.StatusOK, "request", page)
}

func (p *Portal) newRequestPage(c *fiber.Ctx) (requestPage, error) {
	t, err := p.tickets.ForCitizen(c.UserContext(), accessTicket(c))
	if err != nil {
		return requestPage{}, err
	}

	svc, err := p.catalog.ServiceByID(c.UserContext(), t.ServiceID)
	if err != nil {
		return requestPage{}, err
	}

	files, err := p.tickets.Attachments(c.UserContext(), t.ID)
	if err != nil {
		return requestPage{}, err
	}

	page := requestPage{trackPage: p.newTrackPage(c, t.PublicView), Accept: p.accept}
	page.FileRules = page.T("form_file_rules")
	page.Waiting = t.Status == ticket.WaitingForCitizen
	page.Answers = svc.Answers(t.Fields, page.Localizer)
	for _, m := range t.Messages {
		v := messageView{FromCitizen: m.Kind == "from_citizen", Body: m.Body, At: m.CreatedAt}
		v.Author = page.T("request_message_" + m.Kind)
		for _, f := range files {
			if f.MessageID != nil && *f.MessageID == m.ID {
				v.Files = append(v.Files, fileView{ID: f.ID, Name: f.Name, Size: sizeText(f.Size)})
			}
		}
		page.Messages = append(page.Messages, v)
	}

	return page, nil
}

// sizeText writes a file size for people: kB below a megabyte, else MB.
func sizeText(n int32) string {
	if n < 1<<20 {
		return strconv.Itoa(int((n+1023)/1024)) + " kB"
	}

	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
}

func (p *Portal) requestReply(c *fiber.Ctx) error {
	body := first(formValues(c)("message"))
	files, fileErr := p.replyFiles(c)

	errID := ""
	switch {
	case body == "" && len(files) == 0 && fileErr == "":
		errID = catalog.ErrRequired
	case utf8.RuneCountInString(body) > ticket.MaxReplyLength:
		errID = catalog.ErrTooLong
	case !catalog.CleanText(body, true):
		errID = catalog.ErrControlCh
	}

	if errID == "" && fileErr == "" {
		_, err := p.tickets.Reply(c.UserContext(), accessTicket(c), body, files)
		if err == nil {
			return c.Redirect("/request?done=reply", fiber.StatusSeeOther)
		}
		if !errors.Is(err, ticket.ErrFinished) {
			return err
		}
		errID = "request_finished"
	}

	page, err := p.newRequestPage(c)
	if err != nil {
		return err
	}

	page.Reply = body
	if errID != "" {
		page.ReplyError = page.T(errID, "Field", page.T("request_reply_label"),
			"Max", ticket.MaxReplyLength)
		page.Errors = append(page.Errors, summaryItem{Href: "#message", Text: page.ReplyError})
	}
	if fileErr != "" {
		page.FilesError = page.T(fileErr, "Field", page.T("request_files_label"))
		page.Errors = append(page.Errors, summaryItem{Href: "#files", Text: page.FilesError})
	}

	return p.web.Render(c, fiber.StatusUnprocessableEntity, "request", page)
}

// replyFiles checks the files of a reply and returns them, or the message ID of
// the first refusal.
func (p *Portal) replyFiles(c *fiber.Ctx) ([]attachment.File, string) {
	form, err := c.MultipartForm()
	if err != nil {
		return nil, ""
	}

	files, count, size, id := catalog.CheckFileInput(p.files, form.File["files"], false)
	if id == "" {
		id = p.files.Limit(count, size)
	}
	if id != "" {
		return nil, id
	}

	return files, ""
}

// requestFile sends one of the ticket's files as a download, never shown in the
// browser, with the type it was checked to have.
func (p *Portal) requestFile(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return fiber.ErrNotFound
	}

	f, err := p.tickets.Attachment(c.UserContext(), accessTicket(c), id)
	if err != nil {
		return err
	}

	return web.SendAttachment(c, f)
}

type withdrawPage struct {
	trackPage
}

func (p *Portal) withdrawForm(c *fiber.Ctx) error {
	page, err := p.newRequestPage(c)
	if err != nil {
		return err
	}

	if page.Done {
		return c.Redirect("/request", fiber.StatusSeeOther)
	}

	return p.web.Render(c, fiber.StatusOK, "withdraw", withdrawPage{page.trackPage})
}

func (p *Portal) withdraw(c *fiber.Ctx) error {
	err := p.tickets.Withdraw(c.UserContext(), accessTicket(c))
	if err != nil && !errors.Is(err, ticket.ErrFinished) {
		return err
	}

	p.web.Logger().Info("ticket withdrawn by citizen", "ticket_id", accessTicket(c))

	return c.Redirect("/request?done=withdrawn", fiber.StatusSeeOther)
}
