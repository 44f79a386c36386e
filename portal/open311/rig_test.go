package open311_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/apikey"
	"github.com/anliegen/anliegen/internal/db/dbtest"
	"github.com/anliegen/anliegen/internal/server"
	"github.com/anliegen/anliegen/portal"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// groupedCode is a tracking code as service_request_id shows it.
var groupedCode = regexp.MustCompile(`^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]$`)

// rig is the whole service on a fresh database with the demo catalogue and one
// issued API key, driven through the portal's Fiber app.
type rig struct {
	t    testing.TB
	app  *fiber.App
	pool *pgxpool.Pool
	svc  *server.Service
	key  string
	logs *bytes.Buffer
}

func newRig(t testing.TB) *rig {
	t.Helper()
	return newRigWith(t, portal.Limits{Lookups: 1000, Submissions: 1000, Window: time.Minute})
}

func newRigWith(t testing.TB, limits portal.Limits) *rig {
	t.Helper()
	pool := dbtest.New(t)
	ctx := context.Background()
	base, _ := url.Parse("https://stadt.example.org")
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatalf("time zone: %v", err)
	}

	logs := &bytes.Buffer{}
	svc, err := server.Build(ctx, pool, server.Config{
		BaseURL: base, Location: loc, Logger: slog.New(slog.NewJSONHandler(logs, nil)),
		Limits: limits,
	})
	if err != nil {
		t.Fatalf("build service: %v", err)
	}

	if _, err := svc.Catalog.LoadDemo(ctx); err != nil {
		t.Fatalf("load demo catalogue: %v", err)
	}

	_, key, err := apikey.NewStore(pool).Create(ctx, "Test client", nil)
	if err != nil {
		t.Fatalf("create api key: %v", err)
	}

	return &rig{t: t, app: svc.Portal.Fiber(), pool: pool, svc: svc, key: key, logs: logs}
}

// answer is what the API answered.
type answer struct {
	status int
	header http.Header
	body   string
}

func (r *rig) send(req *http.Request) answer {
	r.t.Helper()
	resp, err := r.app.Test(req, 30_000)
	if err != nil {
		r.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()

	b, _ := io.ReadAll(resp.Body)

	return answer{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

func httptestGet(path string) *http.Request {
	return httptest.NewRequest(http.MethodGet, path, nil)
}

func (r *rig) get(path string) answer {
	r.t.Helper()
	return r.send(httptest.NewRequest(http.MethodGet, path, nil))
}

// post sends form URL-encoded, as most clients do.
func (r *rig) post(path string, form url.Values) answer {
	r.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")

	return r.send(req)
}

// file is one upload of a multipart POST.
type file struct {
	field, name string
	data        []byte
}

func (r *rig) postMultipart(path string, form url.Values, files []file) answer {
	r.t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, vs := range form {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	for _, f := range files {
		part, err := w.CreateFormFile(f.field, f.name)
		if err != nil {
			r.t.Fatal(err)
		}
		_, _ = part.Write(f.data)
	}
	_ = w.Close()

	req := httptest.NewRequest(http.MethodPost, path, &b)
	req.Header.Set("Content-Type", w.FormDataContentType())

	return r.send(req)
}

// pothole is a complete submission of the demo's pothole service.
func (r *rig) pothole() url.Values {
	return url.Values{
		"api_key":             {r.key},
		"service_code":        {"schlagloch"},
		"lat":                 {"50.832"},
		"long":                {"12.925"},
		"email":               {"maria@example.org"},
		"first_name":          {"Maria"},
		"last_name":           {"Muster"},
		"description":         {"Ein tiefes Loch vor dem Haus."},
		"attribute[danger]":   {"yes"},
		"attribute[location]": {"Hauptstraße 12"},
	}
}

// create submits v and returns the service_request_id.
func (r *rig) create(v url.Values) string {
	r.t.Helper()
	a := r.post("/open311/v2/requests.json", v)
	wantStatus(r.t, a, 200)

	var got []map[string]any
	decodeJSON(r.t, a, &got)
	if len(got) != 1 {
		r.t.Fatalf("POST answered %d entries, want 1: %s", len(got), a.body)
	}
	id, ok := got[0]["service_request_id"].(string)
	if !ok || id == "" {
		r.t.Fatalf("POST answered no service_request_id string: %s", a.body)
	}

	return id
}

func wantStatus(t testing.TB, a answer, status int) {
	t.Helper()
	if a.status != status {
		t.Fatalf("status %d, want %d; body:\n%s", a.status, status, a.body)
	}
}

func wantText(t testing.TB, a answer, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(a.body, s) {
			t.Errorf("answer lacks %q:\n%s", s, a.body)
		}
	}
}

func wantNoText(t testing.TB, a answer, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(a.body, s) {
			t.Errorf("answer shows %q:\n%s", s, a.body)
		}
	}
}

func decodeJSON(t testing.TB, a answer, v any) {
	t.Helper()
	if ct := a.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q, want application/json; charset=utf-8", ct)
	}
	if err := json.Unmarshal([]byte(a.body), v); err != nil {
		t.Fatalf("answer is not JSON: %v\n%s", err, a.body)
	}
}

func wantXML(t testing.TB, a answer) {
	t.Helper()
	if ct := a.header.Get("Content-Type"); ct != "text/xml; charset=utf-8" {
		t.Errorf("Content-Type %q, want text/xml; charset=utf-8", ct)
	}
	if !strings.HasPrefix(a.body, `<?xml version="1.0" encoding="utf-8"?>`) {
		t.Errorf("XML lacks its UTF-8 declaration:\n%s", a.body)
	}

	d := xml.NewDecoder(strings.NewReader(a.body))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("answer is not well-formed XML: %v\n%s", err, a.body)
		}
	}
}

// wantErrors checks an error answer: its status and, in its list, one entry
// per description given, each with the status as code.
func wantErrors(t testing.TB, a answer, status int, descriptions ...string) {
	t.Helper()
	wantStatus(t, a, status)

	var list []struct {
		Code        int    `json:"code"`
		Description string `json:"description"`
	}
	decodeJSON(t, a, &list)
	if len(list) != len(descriptions) {
		t.Fatalf("%d errors, want %d (%q):\n%s", len(list), len(descriptions), descriptions,
			a.body)
	}
	for i, want := range descriptions {
		if list[i].Code != status || !strings.Contains(list[i].Description, want) {
			t.Errorf("error %d is %d %q, want %d containing %q", i, list[i].Code,
				list[i].Description, status, want)
		}
	}
}
