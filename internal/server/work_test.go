package server

import (
	"net/url"
	"regexp"
	"testing"
)

var versionField = regexp.MustCompile(`name="version" value="(\d+)"`)

func version(t *testing.T, page response) string {
	t.Helper()
	m := versionField.FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("ticket page has no version field:\n%s", page.body)
	}

	return m[1]
}

// TestClerkWorksTheTicket takes a ticket over, sets its priority, writes an
// internal note, an answer and a question, and checks what the citizen sees.
func TestClerkWorksTheTicket(t *testing.T) {
	svc, pool := newService(t)
	citizen := newBrowser(t, svc.Portal.Fiber())
	id, code := openRequest(t, svc, pool, citizen)
	path := "/tickets/" + itoa(id)

	clerk := newBrowser(t, svc.Backoffice.Fiber())
	signIn(t, clerk)

	post := func(action string, form url.Values) response {
		t.Helper()
		page := clerk.get(path)
		form.Set("version", version(t, page))
		return clerk.post(path+"/"+action, form, csrf(t, page.body))
	}

	wantStatus(t, post("assign", url.Values{"assignee": {"me"}}), 303)
	wantStatus(t, post("priority", url.Values{"priority": {"urgent"}}), 303)
	wantStatus(t, post("message", url.Values{"kind": {"note"},
		"message": {"Bauhof ist informiert."}}), 303)
	wantStatus(t, post("message", url.Values{"kind": {"answer"},
		"message": {"Wir kümmern uns diese Woche darum."}}), 303)

	empty := post("message", url.Values{"kind": {"answer"}, "message": {"  "}})
	wantStatus(t, empty, 422)
	wantText(t, empty, "Bitte schreiben Sie einen Text")

	page := clerk.get(path)
	wantText(t, page, "Clara Clerk", "Dringend", "Freigeben", "Bauhof ist informiert.",
		"Wir kümmern uns diese Woche darum.")

	seen := citizen.get("/request")
	wantText(t, seen, "Wir kümmern uns diese Woche darum.")
	wantNoText(t, seen, "Bauhof ist informiert.", "Clara Clerk")

	wantStatus(t, post("message", url.Values{"kind": {"question"},
		"message": {"Wie tief ist das Loch?"}}), 303)
	wantText(t, citizen.get("/t/"+code), "Rückfrage an Sie")

	var jobs int
	err := pool.QueryRow(t.Context(), `SELECT count(*) FROM river_job
		WHERE args->>'message' IN ('answer', 'question')`).Scan(&jobs)
	if err != nil {
		t.Fatal(err)
	}
	if jobs != 2 {
		t.Errorf("%d answer and question mails queued, want 2", jobs)
	}
}

func TestBulkActions(t *testing.T) {
	svc, pool := newService(t)
	citizen := newBrowser(t, svc.Portal.Fiber())
	submitPothole(t, citizen)
	submitPothole(t, citizen)

	clerk := newBrowser(t, svc.Backoffice.Fiber())
	signIn(t, clerk)

	list := clerk.get("/tickets")
	r := clerk.post("/tickets/bulk", url.Values{
		"ids": {"1", "2"}, "action": {"in_review"}, "back": {"/tickets?open=1"},
	}, csrf(t, list.body))
	wantStatus(t, r, 303)
	after := clerk.get(r.location)
	wantText(t, after, "2 geändert, 0 nicht möglich.")

	r = clerk.post("/tickets/bulk", url.Values{"ids": {"1", "2"}, "action": {"received"}},
		csrf(t, list.body))
	wantText(t, clerk.get(r.location), "0 geändert, 2 nicht möglich.")

	var n int
	if err := pool.QueryRow(t.Context(),
		"SELECT count(*) FROM tickets WHERE status = 'in_review'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("%d tickets in review after the bulk change, want 2", n)
	}

	wantStatus(t, clerk.post("/tickets/bulk", url.Values{"ids": {"x"}, "action": {"take"}},
		csrf(t, list.body)), 400)
}
