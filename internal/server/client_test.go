package server

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// browser sends requests through a Fiber app in process and keeps its cookies,
// as a person's browser would.
type browser struct {
	t       *testing.T
	app     *fiber.App
	cookies map[string]string
	lang    string
}

func newBrowser(t *testing.T, app *fiber.App) *browser {
	return &browser{t: t, app: app, cookies: map[string]string{}}
}

type response struct {
	status   int
	header   http.Header
	body     string
	location string
}

func (b *browser) do(req *http.Request) response {
	b.t.Helper()
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	if b.lang != "" {
		req.Header.Set("Accept-Language", b.lang)
	}

	res, err := b.app.Test(req, -1)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()

	for _, c := range res.Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(b.cookies, c.Name)
			continue
		}
		b.cookies[c.Name] = c.Value
	}

	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatalf("read body: %v", err)
	}

	return response{
		status: res.StatusCode, header: res.Header, body: string(body),
		location: res.Header.Get("Location"),
	}
}

func (b *browser) get(path string) response {
	b.t.Helper()
	return b.do(httptest.NewRequest(http.MethodGet, path, nil))
}

// post submits form values with the CSRF token of the last page that had one.
func (b *browser) post(path string, form url.Values, token string) response {
	b.t.Helper()
	if token != "" {
		form.Set("_csrf", token)
	}

	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")

	return b.do(req)
}

var csrfPattern = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// csrf returns the CSRF token of a rendered form.
func csrf(t *testing.T, body string) string {
	t.Helper()
	m := csrfPattern.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("page has no CSRF token:\n%s", body)
	}

	return m[1]
}

func wantStatus(t *testing.T, r response, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body:\n%s", r.status, status, r.body)
	}
}

func wantText(t *testing.T, r response, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(r.body, s) {
			t.Errorf("page lacks %q; body:\n%s", s, r.body)
		}
	}
}

func wantNoText(t *testing.T, r response, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(r.body, s) {
			t.Errorf("page shows %q, which it must not", s)
		}
	}
}

// upload is a file a test attaches to a multipart form.
type upload struct {
	field, name string
	data        []byte
}

// postMultipart submits a multipart form with files, as a browser does for a
// form with a file input.
func (b *browser) postMultipart(path string, form url.Values, files []upload, token string) response {
	b.t.Helper()
	if token != "" {
		form.Set("_csrf", token)
	}

	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			if err := w.WriteField(k, v); err != nil {
				b.t.Fatal(err)
			}
		}
	}
	for _, f := range files {
		fw, err := w.CreateFormFile(f.field, f.name)
		if err != nil {
			b.t.Fatal(err)
		}
		if _, err := fw.Write(f.data); err != nil {
			b.t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.t.Fatal(err)
	}

	req := httptest.NewRequest(http.MethodPost, path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())

	return b.do(req)
}
