package open311

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/apikey"
	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/i18n"
	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/internal/web"
)

// maxDescription is the standard's limit of a request's description.
const maxDescription = 4000

// createRequest stores a request as a ticket of the channel api, with its
// acknowledgement mail when an e-mail address was given, and answers its
// tracking code as service_request_id, with 200 like every success.
func (a *API) createRequest(c *fiber.Ctx, _ string) error {
	p := readParams(c)
	key, err := a.checkKey(c, p)
	if err != nil {
		return err
	}

	if err := a.perKey.Check(c, strconv.FormatInt(key.ID, 10)); err != nil {
		return err
	}

	code := p.get("service_code")
	if code == "" {
		return refuse(fiber.StatusBadRequest, "service_code is required")
	}

	svc, err := a.publicService(c.UserContext(), code)
	if err != nil {
		return err
	}

	loc := a.localizer(c)
	n, place, err := a.readSubmission(svc, p, loc)
	if err != nil {
		return err
	}

	created, err := a.tickets.Create(c.UserContext(), n)
	if err != nil {
		return err
	}

	// The ticket is committed: from here on the client must hear its ID.
	if err := a.recordAPI(c.UserContext(), created.ID, key.ID, place); err != nil {
		a.web.Logger().Error("open311 location not stored", append(web.LogAttrs(c),
			"ticket_id", created.ID, "error", err.Error())...)
	}

	a.web.Logger().Info("ticket submitted", "request_id", web.RequestID(c),
		"ticket_id", created.ID, "service", svc.Code, "channel", ticket.ChannelAPI,
		"api_key_id", key.ID, "files", len(n.Files))

	return a.ok(c, document{root: "service_requests", body: list{elem: "request", items: []any{
		object{
			{"service_request_id", created.Code.String()},
			{"service_notice", text(loc.Pick(svc.Promise))},
			{"account_id", nil},
		},
	}}})
}

// checkKey returns the key of a POST, or 403 when it is missing, unknown or
// revoked.
func (a *API) checkKey(c *fiber.Ctx, p params) (apikey.Key, error) {
	secret := p.apiKey(c)
	if secret == "" {
		return apikey.Key{}, refuse(fiber.StatusForbidden,
			"api_key is required to submit a request; ask the city for one")
	}

	key, err := a.keys.Verify(c.UserContext(), secret)
	if errors.Is(err, db.ErrNotFound) {
		return apikey.Key{}, refuse(fiber.StatusForbidden, "api_key is not valid")
	}

	return key, err
}

// readSubmission checks everything of a POST at once, so that the client hears
// of every problem in one answer, and builds the ticket.
func (a *API) readSubmission(
	svc catalog.Service,
	p params,
	loc *i18n.Localizer,
) (ticket.New, place, error) {
	var bad badRequest
	pl := readPlace(p, &bad)
	who := readContact(svc, p, &bad)
	description := readDescription(p, &bad)
	mediaURL := readMediaURL(p, &bad)
	answers := a.readAnswers(svc, p, pl, description, &bad)
	files := a.readMedia(svc, p, &bad)
	if err := bad.err(); err != nil {
		return ticket.New{}, place{}, err
	}

	n := ticket.New{
		ServiceID: svc.ID, TeamID: svc.TeamID, Channel: ticket.ChannelAPI,
		Language: loc.Tag, Subject: subject(svc, answers), Fields: answers,
		Body:        body(svc, answers, description, mediaURL),
		ContactName: who.name, ContactEmail: who.email, ContactPhone: who.phone, Files: files,
	}
	if svc.SLADays != nil {
		n.SLADays = int(*svc.SLADays)
	}

	return n, pl, nil
}

func readDescription(p params, bad *badRequest) string {
	d := p.get("description")
	switch {
	case utf8.RuneCountInString(d) > maxDescription:
		bad.add("description is longer than 4000 characters")
	case !catalog.CleanText(d, true):
		bad.add("description contains control characters")
	default:
		return d
	}

	return ""
}

func readMediaURL(p params, bad *badRequest) string {
	u := p.get("media_url")
	if u == "" {
		return ""
	}

	if !(strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")) ||
		len(u) > 2000 || !catalog.CleanText(u, false) {
		bad.add("media_url must be an http or https URL")
		return ""
	}

	return u
}

const insertAPIRequestSQL = `
INSERT INTO api_requests (ticket_id, api_key_id, lat, long)
VALUES ($1, $2, $3, $4)`

// recordAPI stores which key submitted the ticket and the coordinates given.
func (a *API) recordAPI(ctx context.Context, ticketID, keyID int64, pl place) error {
	_, err := a.pool.Exec(ctx, insertAPIRequestSQL, ticketID, keyID, pl.lat, pl.long)
	if err != nil {
		return fmt.Errorf("record api request: %w", err)
	}

	return nil
}

// subject is the line staff see in their queue: the service and the first
// short answer, as for a request from the portal.
func subject(svc catalog.Service, answers map[string]string) string {
	s := svc.Name["de"]
	for _, f := range svc.Form {
		if a := answers[f.Code]; a != "" && (f.Type == catalog.FieldText ||
			f.Type == catalog.FieldAddress) {
			s += ": " + a
			break
		}
	}

	if utf8.RuneCountInString(s) > 160 {
		s = string([]rune(s)[:159]) + "…"
	}

	return s
}

// body is the citizen's own text, the first message of the conversation: the
// long answers, the description when no field took it, and the media URL.
func body(svc catalog.Service, answers map[string]string, description, mediaURL string) string {
	var parts []string
	used := false
	for _, f := range svc.Form {
		if a := answers[f.Code]; a != "" && f.Type == catalog.FieldTextarea {
			parts = append(parts, a)
			used = used || a == description
		}
	}

	if description != "" && !used {
		parts = append(parts, description)
	}
	if mediaURL != "" {
		parts = append(parts, mediaURL)
	}

	return strings.Join(parts, "\n\n")
}
