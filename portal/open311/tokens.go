package open311

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5"

	"github.com/anliegen/anliegen/internal/tracking"
)

const tokenSQL = `
SELECT t.tracking_code
FROM api_requests r
JOIN tickets t ON t.id = r.ticket_id
WHERE t.tracking_code = $1`

// token answers the lookup of a submission's token. Requests are stored before
// the POST is answered, so the token is the service_request_id itself and is
// never pending; a token that no API submission had answers 404.
func (a *API) token(c *fiber.Ctx) error {
	tok, _, err := splitFormat(c.Params("file"))
	if err != nil {
		return err
	}

	code, err := tracking.ParseCode(tok)
	if err != nil {
		return tokenNotFound(tok)
	}

	var stored string
	err = a.pool.QueryRow(c.UserContext(), tokenSQL, code.Canonical()).Scan(&stored)
	if errors.Is(err, pgx.ErrNoRows) {
		return tokenNotFound(tok)
	}
	if err != nil {
		return fmt.Errorf("open311 token: %w", err)
	}

	return a.ok(c, document{root: "service_requests", body: list{elem: "request", items: []any{
		object{{"service_request_id", code.String()}, {"token", tok}},
	}}})
}

func tokenNotFound(tok string) error {
	return refuse(fiber.StatusNotFound, "token "+quote(tok)+" not found")
}
