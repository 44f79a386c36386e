package open311

import (
	"encoding/json"
	"testing"
	"time"
)

func TestEncodeEscapesAndKeepsOrder(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 30, 5, 999_000_000, time.UTC)
	doc := document{root: "service_requests", body: list{elem: "request", items: []any{
		object{
			{"service_request_id", "K7QF"}, {"note", "a \"quote\" <b>&\n\u2028 ü"},
			{"lat", 50.5}, {"order", 3}, {"ok", true}, {"none", nil},
			{"at", at.Truncate(time.Second)},
		},
	}}}

	got := string(encodeJSON(doc))
	var back []map[string]any
	if err := json.Unmarshal([]byte(got), &back); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, got)
	}
	want := `[{"service_request_id":"K7QF","note":"a \"quote\" \u003cb\u003e\u0026\n\u2028 ü",` +
		`"lat":50.5,"order":3,"ok":true,"none":null,"at":"2026-03-01T12:30:05Z"}]`
	if got != want {
		t.Errorf("JSON\n%s\nwant\n%s", got, want)
	}
	if back[0]["note"] != "a \"quote\" <b>&\n\u2028 ü" {
		t.Errorf("note came back as %q", back[0]["note"])
	}

	x := string(encodeXML(doc))
	wantX := `<?xml version="1.0" encoding="utf-8"?>` + "\n<service_requests><request>" +
		"<service_request_id>K7QF</service_request_id>" +
		"<note>a &#34;quote&#34; &lt;b&gt;&amp;&#xA;\u2028 ü</note><lat>50.5</lat>" +
		"<order>3</order><ok>true</ok><none/><at>2026-03-01T12:30:05Z</at></request>" +
		"</service_requests>"
	if x != wantX {
		t.Errorf("XML\n%s\nwant\n%s", x, wantX)
	}
}

func TestParseDatetime(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, s := range []string{
		"2026-03-01T12:00:00Z", "2026-03-01T12:00Z", "2026-03-01T13:00:00+01:00",
		"2026-03-01T13:00:00 01:00", "2026-03-01T13:00+01:00", "2026-03-01T13:00:00+0100",
		"2026-03-01T13:00:00", "2026-03-01T13:00", "2026-03-01 13:00:00",
		"2026-03-01T12:00:00.000Z", " 2026-03-01T07:00:00-05:00 ",
	} {
		got, ok := parseDatetime(s, berlin)
		if !ok || !got.Equal(want) {
			t.Errorf("parseDatetime(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}

	for _, s := range []string{"", "gestern", "2026-13-01", "01.03.2026", "2026-03-01T25:00Z"} {
		if _, ok := parseDatetime(s, berlin); ok {
			t.Errorf("parseDatetime(%q) accepted", s)
		}
	}
}
