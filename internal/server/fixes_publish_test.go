package server

import (
	"net/url"
	"strings"
	"testing"

	"github.com/anliegen/anliegen/internal/tracking"
)

// TestPublishDescriptionForOpen311 reads a citizen's request through the
// Open311 API, which shows no description, has staff publish one on the
// ticket page (a text too long is refused at its field, keeping what was
// typed), reads it back through the API and the timeline, and removes it.
// The citizen's own words never reach the API.
func TestPublishDescriptionForOpen311(t *testing.T) {
	svc, pool := newService(t)
	citizen := newBrowser(t, svc.Portal.Fiber())
	id, code := openRequest(t, svc, pool, citizen)
	parsed, err := tracking.ParseCode(code)
	if err != nil {
		t.Fatal(err)
	}
	api := newBrowser(t, svc.Portal.Fiber())
	path := "/open311/v2/requests/" + parsed.String() + ".json"
	citizenText := "Ein tiefes Loch vor der Bäckerei."

	before := api.get(path)
	wantStatus(t, before, 200)
	wantText(t, before, `"description":null`)
	wantNoText(t, before, citizenText)

	d := adminDesk(t, svc, pool)
	page := textOf(d.b.get("/tickets/" + itoa(id)))
	wantText(t, page, "Öffentliche Beschreibung für die offene Schnittstelle",
		`action="/tickets/`+itoa(id)+`/publish"`, `maxlength="500"`)

	long := strings.Repeat("Schlagloch ", 50) + "auf der Fahrbahn"
	bad := d.act(id, "publish", url.Values{"pub-text": {long}})
	wantStatus(t, bad, 422)
	wantText(t, textOf(bad), `href="#pub-text"`, `id="pub-text-error"`, long)

	published := "Schlagloch in der Fahrbahn gemeldet."
	ok := d.act(id, "publish", url.Values{"pub-text": {published}})
	wantStatus(t, ok, 303)
	page = textOf(d.b.get(ok.location))
	wantText(t, page, "Die öffentliche Beschreibung ist gespeichert.",
		"Öffentliche Beschreibung für die offene Schnittstelle: „"+published+"“")

	after := textOf(api.get(path))
	wantText(t, after, `"description":"`+published+`"`)
	wantNoText(t, after, citizenText)

	same := d.act(id, "publish", url.Values{"pub-text": {published}})
	wantStatus(t, same, 422)

	removed := d.act(id, "publish", url.Values{"pub-text": {""}})
	wantStatus(t, removed, 303)
	wantText(t, textOf(d.b.get(removed.location)), "Die öffentliche Beschreibung ist entfernt.",
		"Öffentliche Beschreibung entfernt")
	wantText(t, api.get(path), `"description":null`)

	events := scalarOf[int](t, pool, `SELECT count(*) FROM events
		WHERE ticket_id = $1 AND kind = 'publish' AND actor_id IS NOT NULL`, id)
	if events != 2 {
		t.Errorf("%d publish events recorded, want 2 (published, removed)", events)
	}
}
