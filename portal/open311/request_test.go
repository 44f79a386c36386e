package open311_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/portal"
)

// coreKeys are the keys every request in a GET answer has.
var coreKeys = []string{
	"service_request_id", "status", "status_notes", "service_name", "service_code",
	"description", "agency_responsible", "service_notice", "requested_datetime",
	"updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat", "long",
	"media_url",
}

func TestSingleRequestIsAListOfOne(t *testing.T) {
	r := newRig(t)
	id := r.create(r.pothole())

	for _, path := range []string{
		"/open311/v2/requests/" + id + ".json",
		"/open311/v2/requests/" + strings.ToLower(strings.ReplaceAll(id, "-", "")) + ".json",
	} {
		wantIDs(t, path, r.ids(path), id)
	}

	x := r.get("/open311/v2/requests/" + id + ".xml")
	wantStatus(t, x, 200)
	wantXML(t, x)
	for _, k := range coreKeys {
		if !strings.Contains(x.body, "<"+k+">") && !strings.Contains(x.body, "<"+k+"/>") {
			t.Errorf("XML lacks <%s>:\n%s", k, x.body)
		}
	}
	wantText(t, x, "<service_requests><request><service_request_id>"+id+"</service_request_id>"+
		"<status>open</status><status_notes/>", "<lat>50.832</lat><long>12.925</long>")

	wantErrors(t, r.get("/open311/v2/requests/AAAA-BBBB-CCCC-DDDD-E.json"), 404,
		"service_request_id AAAA-BBBB-CCCC-DDDD-E not found")
	unknown := strings.Replace(id, id[:4], "ZZZZ", 1)
	if unknown != id {
		a := r.get("/open311/v2/requests/" + unknown + ".json")
		if a.status != 404 {
			t.Errorf("an unknown code: %d, want 404", a.status)
		}
	}
	wantErrors(t, r.get("/open311/v2/requests/"+r.hiddenTicket()+".json"), 404, "not found")
}

// TestOutputIsStrict checks the types of every key: ids and codes as strings,
// coordinates as numbers, datetimes without fractions, null rather than empty.
func TestOutputIsStrict(t *testing.T) {
	r := newRig(t)
	id := r.create(r.pothole())

	a := r.get("/open311/v2/requests/" + id + ".json")
	wantSchema(t, a, "requests")
	var list []map[string]json.RawMessage
	decodeJSON(t, a, &list)
	got := list[0]
	for _, k := range coreKeys {
		if _, ok := got[k]; !ok {
			t.Errorf("key %s is missing", k)
		}
	}

	kinds := map[string]string{
		"service_request_id": "string", "status": "string", "service_code": "string",
		"requested_datetime": "datetime", "updated_datetime": "datetime",
		"expected_datetime": "datetime", "lat": "number", "long": "number",
		"status_notes": "null", "description": "null", "address": "null", "zipcode": "null",
		"address_id": "null", "media_url": "null", "service_notice": "null",
	}
	for k, kind := range kinds {
		raw := string(got[k])
		var ok bool
		switch kind {
		case "string":
			ok = strings.HasPrefix(raw, `"`) && raw != `""`
		case "datetime":
			var s string
			ok = json.Unmarshal(got[k], &s) == nil && strictDatetime.MatchString(s)
		case "number":
			ok = raw != "" && raw[0] != '"' && raw != "null"
		case "null":
			ok = raw == "null"
		}
		if !ok {
			t.Errorf("%s is %s, want a %s", k, raw, kind)
		}
	}
}

// TestNoPersonalDataInAnswers: whoever asks, no answer carries the citizen's
// name, address, phone, text or location description; a description appears
// only once staff published one.
func TestNoPersonalDataInAnswers(t *testing.T) {
	r := newRig(t)
	v := r.pothole()
	v.Set("phone", "0371 123456")
	v.Set("address_string", "Wohnung Muster, Hauptstraße 12")
	id := r.create(v)
	personal := []string{"Maria", "Muster", "maria@example.org", "0371 123456", "tiefes Loch",
		"Hauptstraße 12", "Test client"}

	for _, path := range []string{
		"/open311/v2/requests.json?extensions=true", "/open311/v2/requests.xml?extensions=true",
		"/open311/v2/requests/" + id + ".json?extensions=true",
		"/open311/v2/requests/" + id + ".xml",
		"/open311/v2/tokens/" + id + ".json",
	} {
		a := r.get(path)
		wantStatus(t, a, 200)
		wantNoText(t, a, personal...)
	}

	_, err := r.pool.Exec(context.Background(), `UPDATE tickets SET published_description =
		'Schlagloch in der Fahrbahn' WHERE tracking_code = replace($1, '-', '')`, id)
	if err != nil {
		t.Fatal(err)
	}
	wantText(t, r.get("/open311/v2/requests/"+id+".json"),
		`"description":"Schlagloch in der Fahrbahn"`)
}

func TestExtensionsShowDetailedStatusAndPublicHistory(t *testing.T) {
	r := newRig(t)
	id := r.create(r.pothole())

	var ticketID int64
	err := r.pool.QueryRow(context.Background(), `SELECT id FROM tickets
		WHERE tracking_code = replace($1, '-', '')`, id).Scan(&ticketID)
	if err != nil {
		t.Fatal(err)
	}
	err = r.svc.Tickets.ChangeStatus(context.Background(), ticket.StatusChangeRequest{
		TicketID: ticketID, Version: 1, To: ticket.InProgress,
		PublicNote: "Ein Trupp ist unterwegs.",
	})
	if err != nil {
		t.Fatal(err)
	}

	plain := r.get("/open311/v2/requests/" + id + ".json")
	wantText(t, plain, `"status":"open","status_notes":"Ein Trupp ist unterwegs."`)
	wantNoText(t, plain, "extended_attributes")

	a := r.get("/open311/v2/requests/" + id + ".json?extensions=true")
	wantSchema(t, a, "requests")
	var list []struct {
		Ext struct {
			Status  string `json:"detailed_status"`
			Channel string `json:"channel"`
			Notes   []struct {
				Status   string  `json:"status"`
				Datetime string  `json:"datetime"`
				Note     *string `json:"note"`
			} `json:"notes"`
		} `json:"extended_attributes"`
	}
	decodeJSON(t, a, &list)
	ext := list[0].Ext
	if ext.Status != "in_progress" || ext.Channel != "api" || len(ext.Notes) != 2 {
		t.Fatalf("extended_attributes %+v, want in_progress, api and two notes", ext)
	}
	if ext.Notes[0].Status != "received" || ext.Notes[0].Note != nil ||
		ext.Notes[1].Status != "in_progress" || ext.Notes[1].Note == nil ||
		*ext.Notes[1].Note != "Ein Trupp ist unterwegs." ||
		!strictDatetime.MatchString(ext.Notes[1].Datetime) {
		t.Errorf("notes %+v, want received, then in_progress with its note", ext.Notes)
	}

	x := r.get("/open311/v2/requests.xml?extensions=true")
	wantXML(t, x)
	wantText(t, x, "<extended_attributes><detailed_status>in_progress</detailed_status>"+
		"<channel>api</channel><notes><note><status>received</status>",
		"<note>Ein Trupp ist unterwegs.</note>")

	_, err = r.pool.Exec(context.Background(), `UPDATE tickets SET status = 'merged'
		WHERE id = $1`, ticketID)
	if err != nil {
		t.Fatal(err)
	}
	wantText(t, r.get("/open311/v2/requests/"+id+".json?extensions=1"), `"status":"closed"`,
		`"detailed_status":"merged"`)
}

func TestTokenAnswersTheRequestID(t *testing.T) {
	r := newRig(t)
	id := r.create(r.pothole())

	a := r.get("/open311/v2/tokens/" + id + ".json")
	wantStatus(t, a, 200)
	wantSchema(t, a, "tokens")
	wantText(t, a, `[{"service_request_id":"`+id+`","token":"`+id+`"}]`)

	x := r.get("/open311/v2/tokens/" + id + ".xml")
	wantXML(t, x)
	wantText(t, x, "<service_requests><request><service_request_id>"+id)

	wantErrors(t, r.get("/open311/v2/tokens/unbekannt.json"), 404, "token unbekannt not found")
	wantErrors(t, r.get("/open311/v2/tokens/"+r.hiddenTicket()+".json"), 404, "not found")
}

func TestPathsAreReadLiberally(t *testing.T) {
	r := newRig(t)
	id := r.create(r.pothole())

	for _, path := range []string{
		"/open311/v2/services.json/", "//open311/v2//services.json", "/open311//v2/services.json",
		"/open311/v2/services/schlagloch.json/", "/open311/v2//requests/" + id + ".json",
		"/open311/v2/requests.JSON",
	} {
		a := r.get(path)
		wantStatus(t, a, 200)
		if !strings.HasPrefix(a.body, "[") && !strings.HasPrefix(a.body, "{") {
			t.Errorf("%s answered %s", path, a.body)
		}
	}

	v := r.pothole()
	a := r.post("/open311/v2//requests.json/", v)
	wantStatus(t, a, 200)
}

func TestUnknownMethodsAndFormats(t *testing.T) {
	r := newRig(t)

	wantErrors(t, r.get("/open311/v2/reports.json"), 404, "no such method")
	wantErrors(t, r.get("/open311/v2/services/a/b.json"), 404, "no such method")
	x := r.get("/open311/v2/services.html")
	wantStatus(t, x, 404)
	wantXML(t, x)
	wantText(t, x, "<errors><error><code>404</code><description>unknown format")
	wantErrors(t, r.post("/open311/v2/services.json", r.pothole()), 404, "no such method")
}

func TestRateLimitsPerAddressAndPerKey(t *testing.T) {
	r := newRigWith(t, portal.Limits{Lookups: 100, Submissions: 100, API: 6, APIKey: 2,
		Window: 10 * 60e9})

	r.create(r.pothole())
	r.create(r.pothole())
	a := r.post("/open311/v2/requests.json", r.pothole())
	wantErrors(t, a, 429, "too many requests")
	if a.header.Get("Retry-After") == "" {
		t.Errorf("429 without Retry-After")
	}

	for range 3 {
		wantStatus(t, r.get("/open311/v2/services.json"), 200)
	}
	b := r.get("/open311/v2/services.json")
	wantErrors(t, b, 429, "too many requests")
	if b.header.Get("Retry-After") == "" {
		t.Errorf("429 without Retry-After")
	}
}

// TestLogsCarryNoCodesOrPersonalData: refusals and submissions are logged by
// route and status, never with the tracking code or the citizen's input.
func TestLogsCarryNoCodesOrPersonalData(t *testing.T) {
	r := newRig(t)
	id := r.create(r.pothole())
	r.get("/open311/v2/requests/" + id + ".json")
	r.get("/open311/v2/requests/AAAA-BBBB-CCCC-DDDD-E.json")
	r.get("/open311/v2/tokens/" + id + ".json")
	v := r.pothole()
	v.Set("email", "kaputt@")
	r.post("/open311/v2/requests.json", v)

	logs := r.logs.String()
	for _, s := range []string{id, strings.ReplaceAll(id, "-", ""), "AAAA-BBBB", "Maria",
		"maria@example.org", "kaputt@", "tiefes Loch", r.key} {
		if strings.Contains(logs, s) {
			t.Errorf("the log carries %q:\n%s", s, logs)
		}
	}
	if !strings.Contains(logs, "open311 request refused") {
		t.Errorf("the refusals are not logged:\n%s", logs)
	}
}
