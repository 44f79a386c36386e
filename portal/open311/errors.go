package open311

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/web"
)

// problem is one entry of the standard's error list. Its description is meant
// for the developer of a client, so it is English, like the standard's field
// names it quotes, and stable, so that clients may match it.
type problem struct {
	status      int
	description string
}

// problems is a refused request: one entry per problem, all with one status.
type problems []problem

// Error names the status and the number of problems only: the descriptions
// quote the client's input, tracking codes among it, which logs must not carry.
func (ps problems) Error() string {
	if len(ps) == 0 {
		return "open311: refused"
	}

	return fmt.Sprintf("open311: refused with %d, %d problems", ps[0].status, len(ps))
}

// quote returns a client's value for a description, cut to a sensible length.
func quote(s string) string {
	if r := []rune(s); len(r) > 64 {
		return string(r[:64]) + "…"
	}

	return s
}

// refuse returns the error for one problem.
func refuse(status int, description string) problems {
	return problems{{status: status, description: description}}
}

// badRequest collects the problems a client got wrong in its input.
type badRequest struct {
	list problems
}

func (b *badRequest) add(description string) {
	b.list = append(b.list, problem{status: fiber.StatusBadRequest, description: description})
}

// err returns the collected problems, or nil when there are none.
func (b *badRequest) err() error {
	if len(b.list) == 0 {
		return nil
	}

	return b.list
}

// answerErrors, the first handler of every API route, turns an error into the
// standard's error list in the requested format: 404 for what does not exist,
// 403 for a missing or wrong key, 429 over a limit, 400 for anything else a
// client got wrong, 500 for our own failures, which are logged.
func (a *API) answerErrors(c *fiber.Ctx) error {
	err := c.Next()
	if err == nil {
		return nil
	}

	ps := toProblems(err)
	status := ps[0].status
	attrs := append(web.LogAttrs(c), "status", status, "error", err.Error())
	if status >= 500 {
		a.web.Logger().Error("open311 request failed", attrs...)
	} else {
		a.web.Logger().Warn("open311 request refused", attrs...)
	}

	items := make([]any, len(ps))
	for i, p := range ps {
		items[i] = object{{"code", p.status}, {"description", p.description}}
	}

	return a.send(c, status, document{root: "errors", body: list{elem: "error", items: items}})
}

// toProblems maps any error to the list the client reads; internals stay in
// the log.
func toProblems(err error) problems {
	var ps problems
	if errors.As(err, &ps) && len(ps) > 0 {
		return ps
	}

	var fe *fiber.Error
	switch {
	case errors.As(err, &fe) && fe.Code == fiber.StatusTooManyRequests:
		return refuse(fe.Code, "too many requests; try again after the Retry-After seconds")
	case errors.As(err, &fe) && fe.Code < 500:
		return refuse(fe.Code, strconv.Itoa(fe.Code)+" "+fe.Message)
	case errors.Is(err, db.ErrNotFound):
		return refuse(fiber.StatusNotFound, "not found")
	}

	return refuse(fiber.StatusInternalServerError, "internal error; the request was not completed")
}
