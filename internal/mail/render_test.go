package mail_test

import (
	"strings"
	"testing"

	"github.com/anliegen/anliegen/internal/i18n"
	"github.com/anliegen/anliegen/internal/mail"
	"github.com/anliegen/anliegen/locales"
	"github.com/anliegen/anliegen/templates"
)

// TestEveryMessageRendersInEveryLanguage renders each mail with sample data
// in each shipped language: both parts carry the facts, the HTML part the
// language and direction, and no message ID is left untranslated.
func TestEveryMessageRendersInEveryLanguage(t *testing.T) {
	bundle, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatalf("load locales: %v", err)
	}

	r, err := mail.NewRenderer(templates.FS, bundle)
	if err != nil {
		t.Fatalf("parse mail templates: %v", err)
	}

	for _, l := range bundle.Languages() {
		for _, m := range mail.Messages {
			t.Run(l.Tag+"/"+m, func(t *testing.T) {
				got, err := r.Render(m, sampleView(r.Localizer(l.Tag)))
				if err != nil {
					t.Fatalf("render: %v", err)
				}

				wantRendered(t, got, l)
			})
		}
	}
}

func sampleView(loc *i18n.Localizer) mail.View {
	return mail.View{
		Localizer: loc, CaseNumber: "2026-000123", Code: "K7QF-M20X-9PQ1-4HTR-P",
		Service: "Schlagloch", AccessURL: "https://stadt.example/a/SECRET",
		TrackURL: "https://stadt.example/t/CODE", PrivacyURL: "https://stadt.example/privacy",
		Status: loc.T("status_in_progress_name"), StatusText: loc.T("status_in_progress_text"),
		Note: "Note <b>bold</b>",
	}
}

func wantRendered(t *testing.T, got mail.Rendered, l i18n.Language) {
	t.Helper()
	if !strings.HasPrefix(got.Subject, "[2026-000123] ") || len(got.Subject) < 20 {
		t.Errorf("subject %q, want the case number in brackets and words after it", got.Subject)
	}

	wantContains(t, "text part", got.Text, "2026-000123", "https://stadt.example/a/SECRET",
		"https://stadt.example/privacy")
	wantContains(t, "HTML part", got.HTML, `<html lang="`+l.Tag+`" dir="`+l.Dir+`">`,
		`href="https://stadt.example/a/SECRET"`, "2026-000123")
	wantLacks(t, "HTML part", got.HTML, "<b>bold</b>")

	for _, part := range []string{got.Subject, got.Text, got.HTML} {
		wantLacks(t, "mail", part, "mail_", "status_", "<no value>")
	}
}

// TestEveryStaffMessageRendersInGermanAndEnglish renders each staff mail in
// the back office's two languages with every message ID translated.
func TestEveryStaffMessageRendersInGermanAndEnglish(t *testing.T) {
	bundle, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatalf("load locales: %v", err)
	}

	r, err := mail.NewRenderer(templates.FS, bundle)
	if err != nil {
		t.Fatalf("parse mail templates: %v", err)
	}

	for _, lang := range []string{"de", "en"} {
		for _, m := range mail.StaffMessages {
			t.Run(lang+"/"+m, func(t *testing.T) {
				got, err := r.RenderStaff(m, mail.StaffView{
					Localizer: r.Localizer(lang), Name: "Lena", CaseNumber: "2026-000123",
					Service: "Schlagloch", Team: "Tiefbau", Due: "01.02.2026",
					TicketURL: "https://intern.example/tickets/7",
				})
				if err != nil {
					t.Fatalf("render: %v", err)
				}

				if !strings.HasPrefix(got.Subject, "[2026-000123] ") {
					t.Errorf("subject %q lacks the case number", got.Subject)
				}
				wantContains(t, "text part", got.Text, "Lena", "2026-000123",
					"https://intern.example/tickets/7")
				wantContains(t, "HTML part", got.HTML, `<html lang="`+lang+`" dir="ltr">`,
					`href="https://intern.example/tickets/7"`)
				for _, part := range []string{got.Subject, got.Text, got.HTML} {
					wantLacks(t, "mail", part, "bo_", "<no value>")
				}
			})
		}
	}
}
