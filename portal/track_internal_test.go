package portal

import (
	"html/template"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/i18n"
	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/internal/web"
	"github.com/anliegen/anliegen/locales"
	"github.com/anliegen/anliegen/static"
	"github.com/anliegen/anliegen/templates"
)

// timelineTemplate is the markup the partial status_panel had as a range over
// the history, which timeline now writes.
var timelineTemplate = template.Must(template.New("").Parse(
	`{{range $i, $h := .History}}<li data-status="{{.Status}}"{{if eq $i 0}} aria-current="step"{{end}}>
    <time class="timeline__date" datetime="{{$.ISO .At}}">{{$.DateTime .At}}</time>
    <p class="timeline__status">{{.Name}}</p>
    {{if .Note}}<p class="timeline__text" dir="auto">{{.Note}}</p>{{end}}
  </li>
  {{end}}`))

type timelineEntry struct {
	Status, Name, Note string
	At                 time.Time
}

type timelineData struct {
	web.Page
	History []timelineEntry
}

func TestStatusPanelTextsAsTemplate(t *testing.T) {
	bundle, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.NewServer(web.Options{
		App: "portal", Templates: templates.FS, Static: static.FS, Bundle: bundle,
		Logger: slog.New(slog.DiscardHandler), Location: berlin, CSRFKey: make([]byte, 32),
	})
	if err != nil {
		t.Fatal(err)
	}
	p := &Portal{web: srv, trackTexts: newTrackTexts(bundle)}

	at := time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC)
	history := []ticket.StatusChange{
		{Status: ticket.Received, At: at},
		{Status: ticket.InProgress, At: at.Add(26 * time.Hour), PublicNote: `Wir prüfen <b>"das"</b> & 'mehr' + x`},
		{Status: ticket.WaitingForCitizen, At: at.Add(200 * 24 * time.Hour), PublicNote: "مرحبا\x00"},
		{Status: ticket.Status("unknown<>"), At: at.Add(300 * 24 * time.Hour)},
	}

	srv.Fiber().Get("/t/:code", func(c *fiber.Ctx) error {
		page := srv.NewPage(c)
		for _, h := range [][]ticket.StatusChange{nil, history[:1], history} {
			data := timelineData{Page: page}
			for i := len(h) - 1; i >= 0; i-- {
				data.History = append(data.History, timelineEntry{
					Status: string(h[i].Status), At: h[i].At, Note: h[i].PublicNote,
					Name: page.T("status_" + string(h[i].Status) + "_name"),
				})
			}

			var want strings.Builder
			if err := timelineTemplate.Execute(&want, data); err != nil {
				t.Fatal(err)
			}
			if got := string(p.timeline(page, h)); got != want.String() {
				t.Errorf("%s, %d entries:\n got %q\nwant %q", page.Tag, len(h), got, want.String())
			}
		}
		if all := p.texts(page); !all.since.split || !all.expected.split {
			t.Errorf("%s: the dates' messages are looked up per request", page.Tag)
		}
		for _, date := range []string{"29.03.2026, 01:30", "<b>&"} {
			if got, want := p.texts(page).since.with(page, date),
				page.T("track_since", "Date", date); got != want {
				t.Errorf("%s: since %q, want %q", page.Tag, got, want)
			}
			if got, want := p.texts(page).expected.with(page, date),
				page.T("track_expected", "Date", date); got != want {
				t.Errorf("%s: expected %q, want %q", page.Tag, got, want)
			}
		}
		return c.SendStatus(fiber.StatusNoContent)
	})

	for _, l := range bundle.Languages() {
		resp, err := srv.Fiber().Test(httptest.NewRequest("GET", "/t/K7QF?lang="+l.Tag, nil))
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != fiber.StatusNoContent {
			t.Fatalf("%s: status %d", l.Tag, resp.StatusCode)
		}
	}
}
