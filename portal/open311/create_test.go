package open311_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/anliegen/anliegen/internal/apikey"
	"github.com/anliegen/anliegen/internal/catalog"
)

// stored is what the database holds of a ticket created through the API.
type stored struct {
	channel, language, name, email, phone, body string
	fields                                      map[string]string
	lat, long                                   *float64
	keyName                                     string
	mails                                       int
}

func (r *rig) stored(id string) stored {
	r.t.Helper()
	var s stored
	err := r.pool.QueryRow(context.Background(), `
SELECT t.channel, t.language, t.contact_name, t.contact_email, t.contact_phone, m.body,
	t.fields, r.lat, r.long, k.name,
	(SELECT count(*) FROM river_job j
	 WHERE j.kind = 'notify_citizen' AND (j.args->>'ticket_id')::bigint = t.id)
FROM tickets t
JOIN messages m ON m.ticket_id = t.id AND m.kind = 'from_citizen'
LEFT JOIN api_requests r ON r.ticket_id = t.id
LEFT JOIN api_keys k ON k.id = r.api_key_id
WHERE t.tracking_code = replace($1, '-', '')`, id).Scan(&s.channel, &s.language, &s.name,
		&s.email, &s.phone, &s.body, &s.fields, &s.lat, &s.long, &s.keyName, &s.mails)
	if err != nil {
		r.t.Fatalf("read ticket %s: %v", id, err)
	}

	return s
}

func TestCreateStoresATicketWithItsAcknowledgement(t *testing.T) {
	r := newRig(t)

	a := r.post("/open311/v2/requests.json", r.pothole())
	wantStatus(t, a, 200)
	wantSchema(t, a, "post-response")
	wantText(t, a, `"account_id":null`)

	var got []struct {
		ID string `json:"service_request_id"`
	}
	decodeJSON(t, a, &got)
	if !groupedCode.MatchString(got[0].ID) {
		t.Fatalf("service_request_id %q is not a tracking code", got[0].ID)
	}

	s := r.stored(got[0].ID)
	if s.channel != "api" || s.name != "Maria Muster" || s.email != "maria@example.org" {
		t.Errorf("ticket: channel %q, contact %q %q; want api, Maria Muster, her address",
			s.channel, s.name, s.email)
	}
	if s.fields["location"] != "Hauptstraße 12" || s.fields["danger"] != "yes" ||
		s.fields["description"] != "Ein tiefes Loch vor dem Haus." {
		t.Errorf("form fields %v, want the attributes and the description in them", s.fields)
	}
	if s.body != "Ein tiefes Loch vor dem Haus." {
		t.Errorf("first message %q, want the description", s.body)
	}
	if s.lat == nil || *s.lat != 50.832 || *s.long != 12.925 || s.keyName != "Test client" {
		t.Errorf("api request: %v %v by %q, want 50.832 12.925 by the test key", s.lat, s.long,
			s.keyName)
	}
	if s.mails != 1 {
		t.Errorf("%d acknowledgements enqueued, want 1", s.mails)
	}

	x := r.post("/open311/v2/requests.xml", r.pothole())
	wantStatus(t, x, 200)
	wantXML(t, x)
	wantText(t, x, "<service_requests><request><service_request_id>")
}

func TestCreateWithoutEmailSendsNoMail(t *testing.T) {
	r := newRig(t)
	id := r.create(url.Values{
		"api_key": {r.key}, "service_code": {"illegale-ablagerung"},
		"address_string": {"Parkplatz am Stadtpark"}, "attribute[kind]": {"bauschutt"},
		"locale": {"en"},
	})

	s := r.stored(id)
	if s.mails != 0 || s.email != "" || s.language != "en" {
		t.Errorf("anonymous request: %d mails, e-mail %q, language %q; want none, none, en",
			s.mails, s.email, s.language)
	}
	if s.fields["location"] != "Parkplatz am Stadtpark" || s.fields["kind"] != "bauschutt" {
		t.Errorf("fields %v, want the address in the address field", s.fields)
	}
}

func TestCreateNeedsAValidKey(t *testing.T) {
	r := newRig(t)
	v := r.pothole()

	v.Del("api_key")
	wantErrors(t, r.post("/open311/v2/requests.json", v), 403, "api_key is required")

	v.Set("api_key", "a311_"+strings.Repeat("a", 32))
	wantErrors(t, r.post("/open311/v2/requests.json", v), 403, "api_key is not valid")

	keys := apikey.NewStore(r.pool)
	k, revoked, err := keys.Create(context.Background(), "Old app", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := keys.Revoke(context.Background(), k.ID, nil); err != nil {
		t.Fatal(err)
	}
	v.Set("api_key", revoked)
	wantErrors(t, r.post("/open311/v2/requests.json", v), 403, "api_key is not valid")

	x := r.post("/open311/v2/requests.xml", v)
	wantStatus(t, x, 403)
	wantXML(t, x)
	wantText(t, x, "<errors><error><code>403</code><description>api_key is not valid"+
		"</description></error></errors>")
}

// TestKeyAndJurisdictionTravelAnyWay sends api_key and jurisdiction_id in the
// query string, the form body and a header, as clients do.
func TestKeyAndJurisdictionTravelAnyWay(t *testing.T) {
	r := newRig(t)
	v := r.pothole()
	v.Del("api_key")

	inQuery := "/open311/v2/requests.json?jurisdiction_id=stadt.example.org&api_key=" + r.key
	r.create2(inQuery, v)

	withForm := r.pothole()
	withForm.Set("jurisdiction_id", "STADT.example.org")
	r.create2("/open311/v2/requests.json", withForm)

	for _, header := range []string{"api_key", "X-Api-Key"} {
		req := httptest.NewRequest(http.MethodPost, "/open311/v2/requests.json",
			strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set(header, r.key)
		wantStatus(t, r.send(req), 200)
	}

	wantErrors(t, r.post("/open311/v2/requests.json?jurisdiction_id=bonn.de", r.pothole()), 404,
		"jurisdiction_id bonn.de")
	wantErrors(t, r.get("/open311/v2/services.json?jurisdiction_id=bonn.de"), 404,
		"jurisdiction_id bonn.de")
	wantStatus(t, r.get("/open311/v2/services.json?jurisdiction_id=stadt.example.org"), 200)
	wantStatus(t, r.get("/open311/v2/services.json?jurisdiction_id="), 200)
}

func (r *rig) create2(path string, v url.Values) {
	r.t.Helper()
	a := r.post(path, v)
	wantStatus(r.t, a, 200)
	wantSchema(r.t, a, "post-response")
}

// addTrees adds a public service whose form has every type of field, to check
// each attribute's validation.
func (r *rig) addTrees() {
	r.t.Helper()
	ctx := context.Background()
	teams, err := r.svc.Catalog.Teams(ctx)
	if err != nil || len(teams) == 0 {
		r.t.Fatalf("teams: %v", err)
	}

	label := func(s string) catalog.Texts { return catalog.Texts{"de": s, "en": s} }
	_, err = r.svc.Catalog.CreateService(ctx, catalog.Service{
		Code: "baum", TeamID: teams[0].ID, Name: label("Baum"), Public: true,
		AllowAnonymous: true, Form: []catalog.Field{
			{Code: "place", Type: catalog.FieldAddress, Required: true, Label: label("Ort")},
			{Code: "count", Type: catalog.FieldNumber, Required: true, Label: label("Anzahl")},
			{Code: "seen", Type: catalog.FieldDate, Label: label("Gesehen am")},
			{Code: "species", Type: catalog.FieldChoice, Label: label("Art"),
				Options: []catalog.Option{
					{Key: "eiche", Label: label("Eiche")}, {Key: "linde", Label: label("Linde")}}},
			{Code: "damage", Type: catalog.FieldMulti, Label: label("Schaden"),
				Options: []catalog.Option{
					{Key: "ast", Label: label("Ast")}, {Key: "rinde", Label: label("Rinde")},
					{Key: "wurzel", Label: label("Wurzel")}}},
			{Code: "urgent", Type: catalog.FieldYesNo, Label: label("Dringend")},
			{Code: "photo", Type: catalog.FieldFile, Label: label("Foto")},
		},
	})
	if err != nil {
		r.t.Fatalf("create service: %v", err)
	}
}

func (r *rig) trees(extra url.Values) url.Values {
	v := url.Values{"api_key": {r.key}, "service_code": {"baum"}, "lat": {"50.8"},
		"long": {"12.9"}, "attribute[count]": {"3"}}
	for k, vs := range extra {
		v[k] = vs
	}

	return v
}

func TestCreateNamesEveryProblem(t *testing.T) {
	r := newRig(t)
	r.addTrees()
	post := func(v url.Values) answer { return r.post("/open311/v2/requests.json", v) }

	wantErrors(t, post(url.Values{"api_key": {r.key}}), 400, "service_code is required")
	wantErrors(t, post(url.Values{"api_key": {r.key}, "service_code": {"it-stoerung"}}), 404,
		"service_code it-stoerung")
	wantErrors(t, post(url.Values{"api_key": {r.key}, "service_code": {"gibt-es-nicht"}}), 404,
		"service_code gibt-es-nicht")

	wantErrors(t, post(url.Values{"api_key": {r.key}, "service_code": {"baum"},
		"attribute[count]": {"3"}}), 400, "lat and long, address_string or address_id is required")

	wantErrors(t, post(r.trees(url.Values{
		"lat": {"95"}, "long": {""}, "attribute[count]": {"drei"},
		"attribute[seen]": {"gestern"}, "attribute[species]": {"ahorn"},
		"attribute[damage]": {"ast", "blatt"}, "attribute[urgent]": {"vielleicht"},
		"email": {"keine-adresse"}, "phone": {"ruf an"},
		"description": {strings.Repeat("x", 4001)}, "media_url": {"ftp://example.org/a.jpg"},
	})), 400,
		"lat must be a number from -90 to 90",
		"email is not an e-mail address",
		"phone is not a telephone number",
		"description is longer than 4000 characters",
		"media_url must be an http or https URL",
		"lat and long, address_string or address_id is required",
		"attribute[count] must be a number",
		"attribute[seen] must be a datetime",
		"attribute[species] must be one of the keys eiche, linde",
		"attribute[damage] must be one of the keys ast, rinde, wurzel",
		"attribute[urgent] must be one of the keys yes, no",
	)

	wantErrors(t, post(url.Values{"api_key": {r.key}, "service_code": {"schlagloch"},
		"lat": {"50.8"}, "long": {"12.9"}}), 400,
		"first_name or last_name is required for service_code schlagloch",
		"email is required for service_code schlagloch",
		"attribute[description] is required",
		"attribute[danger] is required")

	var n int
	err := r.pool.QueryRow(context.Background(), "SELECT count(*) FROM tickets").Scan(&n)
	if err != nil || n != 0 {
		t.Errorf("%d tickets after refused requests (%v), want 0", n, err)
	}
}

// TestAttributesAreReadLiberally sends lists in each encoding, datetimes for
// dates, words for yes and no, and codes no form has.
func TestAttributesAreReadLiberally(t *testing.T) {
	r := newRig(t)
	r.addTrees()

	encodings := []url.Values{
		{"attribute[damage]": {"ast,"}, "attribute[damage][]": {"rinde"}},
		{"attribute[damage][]": {"ast", "rinde"}},
		{"attribute[damage]": {"ast", "rinde"}},
		{"attribute[damage][0]": {"ast"}, "attribute[damage][1]": {"rinde"}},
	}
	for _, enc := range encodings {
		enc.Set("attribute[seen]", "2026-03-01T23:30:00 00:00")
		enc.Set("attribute[urgent]", "true")
		enc.Set("attribute[uprn]", "100023336956")
		enc.Set("attribute[species]", "")
		enc.Set("address_string", "Am Stadtpark 3")
		id := r.create(r.trees(enc))

		s := r.stored(id)
		if s.fields["damage"] != "ast,rinde" || s.fields["seen"] != "2026-03-02" ||
			s.fields["urgent"] != "yes" || s.fields["count"] != "3" {
			t.Errorf("encoding %v stored %v", enc, s.fields)
		}
		if _, ok := s.fields["uprn"]; ok {
			t.Errorf("an unknown attribute was stored: %v", s.fields)
		}
		if s.fields["place"] != "Am Stadtpark 3 · 50.800000, 12.900000" {
			t.Errorf("place %q, want the address and the coordinates", s.fields["place"])
		}
	}
}

func pngImage(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}

	return b.Bytes()
}

// TestMediaBecomeAttachments posts multipart requests with files in each of
// the names clients use, and refused files under the portal's rules.
func TestMediaBecomeAttachments(t *testing.T) {
	r := newRig(t)
	img := pngImage(t)

	for _, field := range []string{"media", "media[]", "photo1"} {
		a := r.postMultipart("/open311/v2/requests.json", r.pothole(), []file{
			{field: field, name: "loch.png", data: img},
			{field: "photo2", name: "loch2.png", data: img},
		})
		wantStatus(t, a, 200)
		wantSchema(t, a, "post-response")

		var n int
		err := r.pool.QueryRow(context.Background(), `
SELECT count(*)
FROM attachments a
JOIN tickets t ON t.id = a.ticket_id
WHERE t.channel = 'api'
  AND a.content_type = 'image/png'
  AND t.id = (SELECT max(id) FROM tickets)`).Scan(&n)
		if err != nil || n != 2 {
			t.Errorf("%s: %d attachments (%v), want 2", field, n, err)
		}
	}

	a := r.postMultipart("/open311/v2/requests.json", r.pothole(), []file{
		{field: "media", name: "brief.txt", data: []byte("nur Text")},
	})
	wantErrors(t, a, 400, `media "brief.txt" is not one of the types`)

	six := make([]file, 6)
	for i := range six {
		six[i] = file{field: "media[]", name: "loch.png", data: img}
	}
	wantErrors(t, r.postMultipart("/open311/v2/requests.json", r.pothole(), six), 400,
		"media has more than 5 files")
}
