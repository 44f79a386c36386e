package open311_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/anliegen/anliegen/internal/ticket"
)

// at moves a ticket's submission (and last change) into the past.
func (r *rig) at(id string, created, updated time.Time) {
	r.t.Helper()
	_, err := r.pool.Exec(context.Background(), `
UPDATE tickets SET created_at = $2, updated_at = $3
WHERE tracking_code = replace($1, '-', '')`, id, created, updated)
	if err != nil {
		r.t.Fatalf("move ticket %s: %v", id, err)
	}
}

func (r *rig) setStatus(id string, status ticket.Status) {
	r.t.Helper()
	_, err := r.pool.Exec(context.Background(), `
UPDATE tickets SET status = $2 WHERE tracking_code = replace($1, '-', '')`, id, string(status))
	if err != nil {
		r.t.Fatalf("set status: %v", err)
	}
}

// ids returns the service_request_ids of a list answer, in order.
func (r *rig) ids(path string) []string {
	r.t.Helper()
	a := r.get(path)
	wantStatus(r.t, a, 200)
	wantSchema(r.t, a, "requests")

	var list []struct {
		ID string `json:"service_request_id"`
	}
	decodeJSON(r.t, a, &list)
	out := []string{}
	for _, e := range list {
		out = append(out, e.ID)
	}

	return out
}

func wantIDs(t testing.TB, name string, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("%s: %q, want %q", name, got, want)
	}
}

// hiddenTicket files a ticket for a service that is not public, as the intranet
// form of the IT service desk does.
func (r *rig) hiddenTicket() string {
	r.t.Helper()
	ctx := context.Background()
	svc, err := r.svc.Catalog.ServiceByCode(ctx, "it-stoerung")
	if err != nil {
		r.t.Fatal(err)
	}

	c, err := r.svc.Tickets.Create(ctx, ticket.New{
		ServiceID: svc.ID, TeamID: svc.TeamID, Channel: ticket.ChannelWeb, Language: "de",
		Subject: "Drucker", Body: "Der Drucker im Zimmer 12 streikt.",
	})
	if err != nil {
		r.t.Fatal(err)
	}

	return c.Code.String()
}

func TestRequestListFilters(t *testing.T) {
	r := newRig(t)
	now := time.Now()
	day := 24 * time.Hour
	a, b, c := r.create(r.pothole()), r.create(r.pothole()), r.create(r.pothole())
	d := r.create(url.Values{"api_key": {r.key}, "service_code": {"illegale-ablagerung"},
		"address_string": {"Am Teich"}, "attribute[kind]": {"saecke"}})
	hidden := r.hiddenTicket()
	r.at(a, now.Add(-1*day), now.Add(-1*day))
	r.at(d, now.Add(-2*day), now.Add(-2*day))
	r.at(b, now.Add(-10*day), now.Add(-3*day))
	r.at(c, now.Add(-100*day), now.Add(-100*day))
	r.setStatus(b, ticket.Rejected)

	const base = "/open311/v2/requests.json"
	wantIDs(t, "default", r.ids(base), a, d, b)
	wantIDs(t, "one service", r.ids(base+"?service_code=illegale-ablagerung"), d)
	wantIDs(t, "services", r.ids(base+"?service_code=schlagloch,illegale-ablagerung"), a, d, b)
	wantIDs(t, "closed", r.ids(base+"?status=closed"), b)
	wantIDs(t, "open", r.ids(base+"?status=open"), a, d)
	wantIDs(t, "both", r.ids(base+"?status=open,closed"), a, d, b)
	wantIDs(t, "empty status", r.ids(base+"?status=&service_code="), a, d, b)

	span := url.Values{"start_date": {now.Add(-120 * day).Format(time.RFC3339)},
		"end_date": {now.Add(-50 * day).Format(time.RFC3339)}}
	wantIDs(t, "old span", r.ids(base+"?"+span.Encode()), c)
	wantIDs(t, "start only", r.ids(base+"?start_date="+url.QueryEscape(
		now.Add(-5*day).Format(time.RFC3339))), a, d)

	byID := url.Values{"service_request_id": {c + "," + strings.ToLower(a) + "," + hidden +
		",KEIN-CODE"}, "status": {"closed"}, "service_code": {"illegale-ablagerung"}}
	wantIDs(t, "ids override the rest", r.ids(base+"?"+byID.Encode()), a, c)

	long := url.Values{"start_date": {now.Add(-100 * day).Format(time.RFC3339)},
		"end_date": {now.Format(time.RFC3339)}}
	wantErrors(t, r.get(base+"?"+long.Encode()), 400, "end_date is more than 90 days")
	reversed := url.Values{"start_date": {now.Format(time.RFC3339)},
		"end_date": {now.Add(-day).Format(time.RFC3339)}}
	wantErrors(t, r.get(base+"?"+reversed.Encode()), 400, "end_date is before the start")
	wantErrors(t, r.get(base+"?status=pending&start_date=gestern"), 400,
		"status must be open, closed or both, not pending",
		"start_date is not a datetime")
}

func TestRequestListDatesAreReadLiberally(t *testing.T) {
	r := newRig(t)
	id := r.create(r.pothole())
	r.at(id, time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), time.Now())

	for _, start := range []string{
		"2026-03-01T12:00:00Z", "2026-03-01T13:00:00+01:00", "2026-03-01T13:00:00 01:00",
		"2026-03-01T13:00+01:00", "2026-03-01T12:00Z", "2026-03-01T13:00", "2026-03-01",
		"2026-03-01T12:00:00.000Z", "2026-03-01 13:00:00",
	} {
		// The space stands for a + that arrived without percent-encoding.
		q := "start_date=" + strings.ReplaceAll(url.QueryEscape(start), "%20", "+") +
			"&end_date=2026-03-02T00:00:00Z"
		wantIDs(t, start, r.ids("/open311/v2/requests.json?"+q), id)
	}

	wantIDs(t, "after", r.ids("/open311/v2/requests.json?start_date=2026-03-01T12:00:01Z"+
		"&end_date=2026-03-02"))
}

func TestRequestListPaging(t *testing.T) {
	r := newRig(t)
	var ids []string
	for i := range 5 {
		id := r.create(r.pothole())
		r.at(id, time.Now().Add(-time.Duration(i+1)*time.Hour), time.Now())
		ids = append(ids, id)
	}

	const base = "/open311/v2/requests.json"
	wantIDs(t, "page 1", r.ids(base+"?page_size=2"), ids[0], ids[1])
	wantIDs(t, "page 2", r.ids(base+"?page_size=2&page=2"), ids[2], ids[3])
	wantIDs(t, "page 3", r.ids(base+"?page_size=2&page=3"), ids[4])
	wantIDs(t, "past the last", r.ids(base+"?page_size=2&page=4"))
	wantIDs(t, "per_page", r.ids(base+"?per_page=3&page=2"), ids[3], ids[4])
	wantIDs(t, "above 500", r.ids(base+"?page_size=5000"), ids...)
	wantText(t, r.get(base+"?page=9"), "[]")
	wantXML(t, r.get("/open311/v2/requests.xml?page=9"))
	wantText(t, r.get("/open311/v2/requests.xml?page=9"), "<service_requests></service_requests>")

	wantErrors(t, r.get(base+"?page=0&page_size=viele"), 400,
		"page_size must be a whole number from 1 to 500", "page must be a whole number from 1")
}

func TestRequestListUpdatedAfterAndBefore(t *testing.T) {
	r := newRig(t)
	now := time.Now()
	day := 24 * time.Hour
	old, fresh, idle := r.create(r.pothole()), r.create(r.pothole()), r.create(r.pothole())
	r.at(old, now.Add(-200*day), now.Add(-2*day))
	r.at(fresh, now.Add(-3*day), now.Add(-1*day))
	r.at(idle, now.Add(-4*day), now.Add(-4*day))

	after := url.QueryEscape(now.Add(-3 * day).Format(time.RFC3339))
	wantIDs(t, "updated_after", r.ids("/open311/v2/requests.json?updated_after="+after),
		fresh, old)

	before := url.QueryEscape(now.Add(-36 * time.Hour).Format(time.RFC3339))
	wantIDs(t, "updated_after and before", r.ids("/open311/v2/requests.json?updated_after="+
		after+"&updated_before="+before), old)

	wantIDs(t, "with start_date", r.ids("/open311/v2/requests.json?updated_after="+after+
		"&start_date="+url.QueryEscape(now.Add(-10*day).Format(time.RFC3339))), fresh)

	wantErrors(t, r.get("/open311/v2/requests.json?updated_after=2020-01-01&updated_before="+
		"2021-01-01"), 400, "updated_before is more than 90 days")
}
