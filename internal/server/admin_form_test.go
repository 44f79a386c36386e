package server

import (
	"context"
	"net/url"
	"testing"
)

// TestFormEditorChangesWhatThePortalAsks adds, edits, moves and removes fields
// of the pothole form with plain form posts, as without JavaScript, and then
// submits the edited form on the portal. A ticket from before keeps the answer
// to the field that was removed, and staff still see it.
func TestFormEditorChangesWhatThePortalAsks(t *testing.T) {
	svc, pool := newService(t)
	ctx := context.Background()
	admin := adminBrowser(t, svc, pool)
	citizen := newBrowser(t, svc.Portal.Fiber())
	earlier := submitPothole(t, citizen)

	s, err := svc.Catalog.ServiceByCode(ctx, "schlagloch")
	if err != nil {
		t.Fatal(err)
	}
	base := "/admin/services/" + itoa(s.ID) + "/form"

	page := admin.get(base + "/new?type=multichoice")
	wantStatus(t, page, 200)
	bad := url.Values{
		"type": {"multichoice"}, "code": {"location"}, "label_de": {"Belag"},
		"newopt_1_key": {"Asphalt"}, "newopt_1_label_de": {"Asphalt"},
	}
	res := admin.post(base+"/new", bad, csrf(t, page.body))
	wantStatus(t, res, 422)
	wantText(t, res, `href="#code"`, `href="#newopt_1_key"`, `value="Asphalt"`,
		"Dieses Formular hat schon ein Feld mit diesem Schlüssel.")

	added := url.Values{
		"type": {"multichoice"}, "code": {"surface"}, "label_de": {"Welcher Belag?"},
		"label_en": {"Which surface?"}, "help_de": {"Alles Zutreffende"}, "required": {"1"},
		"newopt_1_key": {"asphalt"}, "newopt_1_label_de": {"Asphalt"},
		"newopt_2_key": {"pflaster"}, "newopt_2_label_de": {"Pflaster"},
	}
	res = admin.post(base+"/new", added, csrf(t, res.body))
	wantStatus(t, res, 303)
	wantText(t, admin.get(res.location), "Welcher Belag?", "Das Feld wurde hinzugefügt.")

	editField(t, admin, base+"/fields/description", url.Values{
		"label_de": {"Was ist kaputt?"}, "required": {"1"}, "max_length": {"500"},
	})
	editField(t, admin, base+"/fields/surface", url.Values{
		"label_de": {"Welcher Belag?"}, "required": {"1"}, "opt_asphalt_label_de": {"Asphalt"},
		"opt_pflaster_label_de": {"Pflaster"}, "opt_pflaster_remove": {"1"},
		"newopt_1_key": {"kopfstein"}, "newopt_1_label_de": {"Kopfsteinpflaster"},
	})

	token := csrf(t, admin.get(base).body)
	wantStatus(t, admin.post(base+"/fields/surface/move", url.Values{"direction": {"up"}}, token), 303)
	wantStatus(t, admin.post(base+"/fields/danger/remove", url.Values{}, token), 303)

	s, err = svc.Catalog.ServiceByID(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, f := range s.Form {
		codes = append(codes, f.Code)
	}
	if got := join(codes); got != "location description surface photo" {
		t.Fatalf("form fields = %s, want location description surface photo", got)
	}

	form := citizen.get("/services/schlagloch")
	wantText(t, form, "Was ist kaputt?", "Kopfsteinpflaster", `maxlength="500"`)
	wantNoText(t, form, "Besteht akute Unfallgefahr?", "Pflaster<")

	values := url.Values{
		"field_location": {"Markt 1"}, "field_description": {"Pflaster locker"},
		"contact_name": {"Maria Muster"}, "contact_email": {"maria@example.org"},
	}
	res = citizen.post("/services/schlagloch", values, csrf(t, form.body))
	wantStatus(t, res, 422)
	wantText(t, res, `href="#field-surface"`)

	values.Set("field_surface", "kopfstein")
	wantStatus(t, citizen.post("/services/schlagloch", values, csrf(t, res.body)), 303)

	wantAnswer(t, pool, "Markt 1", "surface", "kopfstein")
	wantAnswerByCode(t, pool, earlier, "danger", "yes")
	var earlierID int64
	if err := pool.QueryRow(ctx, `SELECT id FROM tickets WHERE tracking_code = $1`, earlier).
		Scan(&earlierID); err != nil {
		t.Fatal(err)
	}
	wantText(t, admin.get("/tickets/"+itoa(earlierID)),
		`__key">danger</dt><dd class="kern-description-list-item__value">yes</dd>`)
	for _, a := range []string{"form.field_add", "form.field_update", "form.field_move",
		"form.field_remove"} {
		wantChange(t, pool, a+" service:"+itoa(s.ID)+" Clara Clerk")
	}
}

// editField opens a field's page and saves it with values.
func editField(t *testing.T, admin *browser, path string, values url.Values) {
	t.Helper()
	page := admin.get(path)
	wantStatus(t, page, 200)
	res := admin.post(path, values, csrf(t, page.body))
	wantStatus(t, res, 303)
}

func wantAnswer(t *testing.T, pool pgxQuerier, location, field, want string) {
	t.Helper()
	var got string
	err := pool.QueryRow(context.Background(),
		`SELECT coalesce(fields->>$2, '') FROM tickets WHERE fields->>'location' = $1`,
		location, field).Scan(&got)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("ticket at %s answers %s with %q, want %q", location, field, got, want)
	}
}

func wantAnswerByCode(t *testing.T, pool pgxQuerier, code, field, want string) {
	t.Helper()
	var got string
	err := pool.QueryRow(context.Background(),
		`SELECT coalesce(fields->>$2, '') FROM tickets WHERE tracking_code = $1`,
		code, field).Scan(&got)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("the earlier ticket answers %s with %q, want %q", field, got, want)
	}
}

func join(s []string) string {
	out := ""
	for i, v := range s {
		if i > 0 {
			out += " "
		}
		out += v
	}

	return out
}
