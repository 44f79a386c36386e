package portal

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/internal/web"
)

// scoreOption is one answer of the satisfaction question.
type scoreOption struct {
	Value   int
	Label   string
	Checked bool
}

// satisfactionPage asks how satisfied the citizen is with a resolved ticket.
type satisfactionPage struct {
	web.Page
	Token        string
	CaseNumber   string
	Scores       []scoreOption
	Comment      string
	MaxComment   int
	Answered     bool
	Done         bool
	Errors       []summaryItem
	ScoreError   string
	CommentError string
}

// satisfactionForm shows the question with the score the mail's link chose.
// It changes nothing: mail scanners open links before the citizen does.
func (p *Portal) satisfactionForm(c *fiber.Ctx) error {
	page, id, err := p.satisfactionPage(c)
	if err != nil {
		return err
	}

	page.Done = c.Query("done") == "1"
	stored, err := p.tickets.FeedbackOf(c.UserContext(), id)
	switch {
	case err == nil:
		page.Answered, page.Comment = true, stored.Comment
	case !errors.Is(err, db.ErrNotFound):
		return err
	}

	score, _ := strconv.Atoi(c.Query("score"))
	if score == 0 && page.Answered {
		score = stored.Score
	}
	page.choose(score)

	return p.web.Render(c, fiber.StatusOK, "feedback", page)
}

// satisfactionSubmit records the answer, replacing an earlier one, and shows
// the thanks.
func (p *Portal) satisfactionSubmit(c *fiber.Ctx) error {
	page, id, err := p.satisfactionPage(c)
	if err != nil {
		return err
	}

	score, _ := strconv.Atoi(c.FormValue("score"))
	page.Comment = strings.TrimSpace(c.FormValue("comment"))
	page.choose(score)
	if score < 1 || score > 5 {
		page.ScoreError = page.T("satisfaction_error_score")
		page.Errors = append(page.Errors, summaryItem{Href: "#score-1", Text: page.ScoreError})
	}
	if utf8.RuneCountInString(page.Comment) > ticket.MaxFeedbackComment {
		page.CommentError = page.T("satisfaction_error_comment")
		page.Errors = append(page.Errors, summaryItem{Href: "#comment", Text: page.CommentError})
	}
	if len(page.Errors) > 0 {
		return p.web.Render(c, fiber.StatusUnprocessableEntity, "feedback", page)
	}

	if err := p.tickets.RecordFeedback(c.UserContext(), id, score, page.Comment); err != nil {
		return err
	}

	return c.Redirect("/feedback/"+page.Token+"?done=1", fiber.StatusSeeOther)
}

// satisfactionPage checks the token and builds the page for its ticket; an
// unknown token or a ticket never resolved answers 404.
func (p *Portal) satisfactionPage(c *fiber.Ctx) (satisfactionPage, int64, error) {
	token := strings.Clone(c.Params("token"))
	id, err := p.tickets.FeedbackTicket(token)
	if err != nil {
		return satisfactionPage{}, 0, err
	}

	number, err := p.tickets.FeedbackCase(c.UserContext(), id)
	if err != nil {
		return satisfactionPage{}, 0, err
	}

	page := satisfactionPage{Page: p.web.NewPage(c), Token: token, CaseNumber: number,
		MaxComment: ticket.MaxFeedbackComment}

	return page, id, nil
}

// choose lists the five scores with score checked.
func (page *satisfactionPage) choose(score int) {
	page.Scores = page.Scores[:0]
	for v := 1; v <= 5; v++ {
		page.Scores = append(page.Scores, scoreOption{Value: v,
			Label: page.T("satisfaction_score_" + strconv.Itoa(v)), Checked: v == score})
	}
}
