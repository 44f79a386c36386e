package server

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// postFrom submits a form like browser.post, with the headers a browser sends
// about where the form came from.
func (b *browser) postFrom(
	path string,
	form url.Values,
	token string,
	from map[string]string,
) response {
	b.t.Helper()
	form.Set("_csrf", token)
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range from {
		req.Header.Set(k, v)
	}

	return b.do(req)
}

func TestCrossSiteFormsAreRefusedEvenWithAToken(t *testing.T) {
	svc, _ := newService(t)
	citizen := newBrowser(t, svc.Portal.Fiber())
	code := submitPothole(t, citizen)

	for name, from := range map[string]map[string]string{
		"another site": {
			"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example",
		},
		"a sibling subdomain":          {"Sec-Fetch-Site": "same-site"},
		"an old browser on other site": {"Origin": "https://evil.example"},
	} {
		t.Run(name, func(t *testing.T) {
			token := csrf(t, citizen.get("/track").body)
			r := citizen.postFrom("/track", url.Values{"code": {code}}, token, from)
			wantStatus(t, r, 403)
			wantText(t, r, "Zugriff nicht möglich")
		})
	}

	citizen.lang = "en"
	token := csrf(t, citizen.get("/track").body)
	r := citizen.postFrom("/track", url.Values{"code": {code}}, token,
		map[string]string{"Sec-Fetch-Site": "cross-site"})
	wantStatus(t, r, 403)
	wantText(t, r, `<html lang="en"`)
	wantNoText(t, r, "Zugriff nicht möglich", "cross-origin")
}

func TestCrossSiteSignInIsRefused(t *testing.T) {
	svc, _ := newService(t)
	clerk := newBrowser(t, svc.Backoffice.Fiber())
	token := csrf(t, clerk.get("/login").body)

	r := clerk.postFrom("/login", url.Values{
		"email": {testAdminEmail}, "password": {testAdminPassword},
	}, token, map[string]string{"Sec-Fetch-Site": "cross-site"})
	wantStatus(t, r, 403)
	wantText(t, r, "Zugriff nicht möglich")

	r = clerk.postFrom("/login", url.Values{
		"email": {testAdminEmail}, "password": {testAdminPassword},
	}, token, map[string]string{"Sec-Fetch-Site": "same-origin"})
	wantStatus(t, r, 303)
}

func TestSameOriginAndNonBrowserFormsPass(t *testing.T) {
	svc, _ := newService(t)
	citizen := newBrowser(t, svc.Portal.Fiber())
	code := submitPothole(t, citizen)

	for name, from := range map[string]map[string]string{
		"same origin":            {"Sec-Fetch-Site": "same-origin", "Origin": "http://example.com"},
		"typed by the person":    {"Sec-Fetch-Site": "none"},
		"old browser, same host": {"Origin": "http://example.com"},
		"no browser":             nil,
	} {
		t.Run(name, func(t *testing.T) {
			token := csrf(t, citizen.get("/track").body)
			r := citizen.postFrom("/track", url.Values{"code": {code}}, token, from)
			wantStatus(t, r, 303)
			if r.location != "/t/"+code {
				t.Errorf("went to %q, want /t/%s", r.location, code)
			}
		})
	}
}

func TestNonBrowserFormsStillNeedTheToken(t *testing.T) {
	svc, _ := newService(t)
	citizen := newBrowser(t, svc.Portal.Fiber())
	code := submitPothole(t, citizen)
	citizen.get("/track")

	r := citizen.postFrom("/track", url.Values{"code": {code}}, "", nil)
	wantStatus(t, r, 403)
	wantText(t, r, "Zugriff nicht möglich")
}

func TestOnlyPagesWithFormsSetTheTokenCookie(t *testing.T) {
	svc, _ := newService(t)
	code := submitPothole(t, newBrowser(t, svc.Portal.Fiber()))

	visitor := newBrowser(t, svc.Portal.Fiber())
	r := visitor.get("/t/" + code)
	wantStatus(t, r, 200)
	if c := r.header.Values("Set-Cookie"); len(c) != 0 {
		t.Errorf("the tracking page, which has no form, set cookies %q", c)
	}

	r = visitor.get("/track")
	wantStatus(t, r, 200)
	if !strings.Contains(strings.Join(r.header.Values("Set-Cookie"), "\n"), "csrf=") {
		t.Errorf("the form page set no token cookie: %q", r.header.Values("Set-Cookie"))
	}
}
