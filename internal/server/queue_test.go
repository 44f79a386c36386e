package server

import (
	"testing"
)

func TestQueueFiltersAreURLs(t *testing.T) {
	svc, _ := newService(t)
	citizen := newBrowser(t, svc.Portal.Fiber())
	submitPothole(t, citizen)
	submitPothole(t, citizen)

	clerk := newBrowser(t, svc.Backoffice.Fiber())
	signIn(t, clerk)

	all := clerk.get("/tickets")
	wantStatus(t, all, 200)
	wantText(t, all, "2 Vorgänge", "Meine Vorgänge", "Überfällig", `href="/tickets?assignee=none&amp;open=1"`,
		"niemand")

	none := clerk.get("/tickets?channel=phone")
	wantText(t, none, "0 Vorgänge", `<option value="phone" selected>`)

	web := clerk.get("/tickets?channel=web&sort=oldest&open=1")
	wantText(t, web, "2 Vorgänge", `<option value="oldest" selected>`)

	for _, bad := range []string{"/tickets?status=lost", "/tickets?sort=evil",
		"/tickets?channel=pigeon", "/tickets?from=yesterday", "/tickets?service=x"} {
		wantStatus(t, clerk.get(bad), 400)
	}
}

func TestQueueSearchFromThePage(t *testing.T) {
	svc, _ := newService(t)
	submitPothole(t, newBrowser(t, svc.Portal.Fiber()))

	clerk := newBrowser(t, svc.Backoffice.Fiber())
	signIn(t, clerk)

	found := clerk.get("/tickets?q=B%C3%A4ckerei")
	wantText(t, found, "1 Vorgang", "Hauptstraße 12", `value="Bäckerei"`)

	wantText(t, clerk.get("/tickets?q=Fahrrad"), "0 Vorgänge", "Keine Vorgänge gefunden.")
}
