package open311

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/tracking"
)

// Paging: the standard's default of at most 1000 rows, and at most 500 a page
// when a client chooses the size.
const (
	defaultPageSize = 1000
	maxPageSize     = 500
	maxSpan         = 90 * 24 * time.Hour
	maxCodes        = 500
)

// requests answers the request list with its filters.
func (a *API) requests(c *fiber.Ctx, _ string) error {
	p := readParams(c)
	f, err := a.readFilter(p)
	if err != nil {
		return err
	}

	f.language = a.localizer(c).Tag
	rows, err := a.list(c.UserContext(), f)
	if err != nil {
		return err
	}

	return a.ok(c, a.requestsDocument(rows, f.withExtensions))
}

// request answers one request, as a list of one.
func (a *API) request(c *fiber.Ctx) error {
	id, _, err := splitFormat(c.Params("file"))
	if err != nil {
		return err
	}

	code, err := tracking.ParseCode(id)
	if err != nil {
		return requestNotFound(id)
	}

	f := filter{codes: []string{code.Canonical()}, limit: 1,
		withExtensions: extensions(readParams(c)), language: a.localizer(c).Tag}
	rows, err := a.list(c.UserContext(), f)
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return requestNotFound(id)
	}

	return a.ok(c, a.requestsDocument(rows, f.withExtensions))
}

func requestNotFound(id string) error {
	return refuse(fiber.StatusNotFound, "service_request_id "+quote(id)+" not found")
}

func extensions(p params) bool {
	v, _ := strconv.ParseBool(p.get("extensions"))
	return v
}

// readFilter checks the list's parameters, with one problem per field.
func (a *API) readFilter(p params) (filter, error) {
	var bad badRequest
	f := filter{withExtensions: extensions(p)}
	f.limit, f.offset = readPaging(p, &bad)

	if ids := splitList(p.get("service_request_id")); len(ids) > 0 {
		f.codes = readCodes(ids, &bad)
		return f, bad.err()
	}

	f.services = splitList(p.get("service_code"))
	f.status = readStatus(p.get("status"), &bad)
	dates := map[string]*time.Time{}
	for _, name := range []string{"start_date", "end_date", "updated_after", "updated_before"} {
		dates[name] = a.readDate(p, name, &bad)
	}

	f.start, f.end = window(dates["start_date"], dates["end_date"], &bad, "end_date")
	f.updatedAfter, f.updatedBefore = dates["updated_after"], dates["updated_before"]
	if f.updatedAfter != nil || f.updatedBefore != nil {
		// A client that asks what changed gets every request changed in that
		// window, however old; the window itself is bounded instead.
		if dates["start_date"] == nil && dates["end_date"] == nil {
			f.start, f.end = nil, nil
		}
		f.updatedAfter, f.updatedBefore = window(f.updatedAfter, f.updatedBefore, &bad,
			"updated_before")
	}

	return f, bad.err()
}

// window completes a span of at most 90 days: the end defaults to now, the
// start to 90 days before the end.
func window(start, end *time.Time, bad *badRequest, endName string) (*time.Time, *time.Time) {
	switch {
	case start == nil && end == nil:
		e := time.Now()
		s := e.Add(-maxSpan)
		return &s, &e
	case start == nil:
		s := end.Add(-maxSpan)
		return &s, end
	case end == nil:
		e := start.Add(maxSpan)
		return start, &e
	}

	if end.Before(*start) {
		bad.add(endName + " is before the start of the span")
	} else if end.Sub(*start) > maxSpan {
		bad.add(endName + " is more than 90 days after the start of the span")
	}

	return start, end
}

func (a *API) readDate(p params, name string, bad *badRequest) *time.Time {
	v := p.get(name)
	if v == "" {
		return nil
	}

	t, ok := parseDatetime(v, a.location)
	if !ok {
		bad.add(name + " is not a datetime such as 2026-03-01T12:00:00Z")
		return nil
	}

	return &t
}

func readStatus(v string, bad *badRequest) string {
	var open, closed bool
	for _, s := range splitList(strings.ToLower(v)) {
		switch s {
		case "open":
			open = true
		case "closed":
			closed = true
		default:
			bad.add("status must be open, closed or both, not " + quote(s))
		}
	}

	switch {
	case open && !closed:
		return "open"
	case closed && !open:
		return "closed"
	}

	return ""
}

func readCodes(ids []string, bad *badRequest) []string {
	if len(ids) > maxCodes {
		bad.add("service_request_id lists more than 500 requests")
		return nil
	}

	codes := make([]string, 0, len(ids))
	for _, id := range ids {
		// A malformed ID cannot exist: it is left out like an unknown one.
		if code, err := tracking.ParseCode(id); err == nil {
			codes = append(codes, code.Canonical())
		}
	}
	if len(codes) == 0 {
		codes = []string{""}
	}

	return codes
}

// readPaging returns the limit and offset of page and page_size (or
// per_page); a page past the last is an empty list.
func readPaging(p params, bad *badRequest) (int, int) {
	size := defaultPageSize
	sizeName := "page_size"
	v := p.get(sizeName)
	if v == "" {
		sizeName, v = "per_page", p.get("per_page")
	}
	if v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			bad.add(sizeName + " must be a whole number from 1 to 500")
		}
		size = min(max(n, 1), maxPageSize)
	}

	page := 1
	if v := p.get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1_000_000 {
			bad.add("page must be a whole number from 1")
		} else {
			page = n
		}
	}

	return size, (page - 1) * size
}

// requestsDocument is the list answer of rows.
func (a *API) requestsDocument(rows []row, ext bool) document {
	items := make([]any, len(rows))
	for i, r := range rows {
		items[i] = a.requestObject(r, ext)
	}

	return document{root: "service_requests", body: list{elem: "request", items: items}}
}

// requestObject is one request with every core key of the standard; the
// location of requests that did not come through the API, their address and
// any text of the citizen are never shown.
func (a *API) requestObject(r row, ext bool) object {
	status := "open"
	if r.Status.Terminal() {
		status = "closed"
	}

	code, _ := tracking.ParseCode(r.Code)
	var lat, long any
	if r.Lat != nil && r.Long != nil {
		lat, long = *r.Lat, *r.Long
	}

	o := object{
		{"service_request_id", code.String()},
		{"status", status},
		{"status_notes", optional(r.StatusNote)},
		{"service_name", text(r.ServiceName)},
		{"service_code", r.ServiceCode},
		// Only what staff published on the ticket page, never the citizen's text.
		{"description", optional(r.Published)},
		{"agency_responsible", text(r.TeamName)},
		{"service_notice", nil},
		{"requested_datetime", datetime(&r.CreatedAt, a.location)},
		{"updated_datetime", datetime(&r.UpdatedAt, a.location)},
		{"expected_datetime", datetime(r.DueAt, a.location)},
		{"address", nil},
		{"address_id", nil},
		{"zipcode", nil},
		{"lat", lat},
		{"long", long},
		{"media_url", nil},
	}
	if ext {
		o = append(o, field{"extended_attributes", a.extended(r)})
	}

	return o
}

// extended is what extensions=true adds: Anliegen's own status, the channel
// and the public status history.
func (a *API) extended(r row) object {
	notes := make([]any, len(r.History))
	for i, h := range r.History {
		notes[i] = object{
			{"status", string(h.Status)},
			{"datetime", datetime(&h.At, a.location)},
			{"note", text(h.PublicNote)},
		}
	}

	return object{
		{"detailed_status", string(r.Status)},
		{"channel", r.Channel},
		{"notes", list{elem: "note", items: notes}},
	}
}

func optional(s *string) any {
	if s == nil {
		return nil
	}

	return text(*s)
}
