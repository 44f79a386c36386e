package server

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/anliegen/anliegen/internal/tracking"
)

// TestTicketLetter prints a ticket's letter as a clerk would: with the
// standard text, with a text of their own, and not at all when the text is
// missing or nobody is signed in. The access link the QR code carries opens
// the ticket.
func TestTicketLetter(t *testing.T) {
	var logs strings.Builder
	svc, pool := newServiceWith(t, &logs, testLimits())
	code := submitPothole(t, newBrowser(t, svc.Portal.Fiber()))

	var id int64
	var caseNumber string
	err := pool.QueryRow(context.Background(),
		`SELECT id, case_number FROM tickets WHERE tracking_code = $1`, code,
	).Scan(&id, &caseNumber)
	if err != nil {
		t.Fatalf("read ticket: %v", err)
	}
	path := "/tickets/" + strconv.FormatInt(id, 10)

	stranger := newBrowser(t, svc.Backoffice.Fiber())
	if r := stranger.get(path + "/letter.pdf"); r.status != 303 || r.location != "/login" {
		t.Errorf("a letter without sign-in answered %d to %q, want 303 to /login",
			r.status, r.location)
	}

	clerk := newBrowser(t, svc.Backoffice.Fiber())
	signIn(t, clerk)
	page := clerk.get(path)
	wantStatus(t, page, 200)
	wantText(t, page, `href="`+path+`/letter.pdf"`, `action="`+path+`/letter.pdf"`,
		"Brief mit Standardtext herunterladen (PDF)", "Eigener Text")

	parsed, err := tracking.ParseCode(code)
	if err != nil {
		t.Fatal(err)
	}

	standard := clerk.get(path + "/letter.pdf")
	wantPDF(t, standard, caseNumber, "Maria Muster", caseNumber, parsed.String(),
		"https://anliegen.example.org/t/"+code, "Ihr Aktenzeichen",
		"vielen Dank für Ihr Anliegen", "Ihr Anliegen: Schlagloch oder Straßenschaden")

	own := clerk.post(path+"/letter.pdf", url.Values{
		"text": {"Der Trupp kommt am Montag.\n\nBitte halten Sie die Einfahrt frei."},
	}, csrf(t, page.body))
	wantPDF(t, own, caseNumber, "Guten Tag Maria Muster,", "Der Trupp kommt am Montag.",
		"Bitte halten Sie die Einfahrt frei.", "Mit freundlichen Grüßen")

	empty := clerk.post(path+"/letter.pdf", url.Values{"text": {"  "}}, csrf(t, page.body))
	wantStatus(t, empty, 422)
	wantText(t, empty, "Bitte schreiben Sie den Text des Briefs")

	wantAccessLinkOpens(t, svc, id)
	for _, private := range []string{"Maria Muster", "Der Trupp", code} {
		if strings.Contains(logs.String(), private) {
			t.Errorf("log contains %q", private)
		}
	}
}

// wantPDF checks a letter download: its headers and, read back as text, the
// parts a person would look for.
func wantPDF(t *testing.T, r response, caseNumber string, texts ...string) {
	t.Helper()
	wantStatus(t, r, 200)
	if ct := r.header.Get("Content-Type"); ct != "application/pdf" {
		t.Errorf("Content-Type = %q, want application/pdf", ct)
	}
	want := `attachment; filename="` + caseNumber + `.pdf"`
	if cd := r.header.Get("Content-Disposition"); cd != want {
		t.Errorf("Content-Disposition = %q, want %q", cd, want)
	}
	if !strings.HasPrefix(r.body, "%PDF-") {
		t.Fatalf("the body is no PDF: %.40q", r.body)
	}

	text := regexp.MustCompile(`\s+`).ReplaceAllString(pdfText(t, r.body), " ")
	for _, s := range texts {
		if !strings.Contains(text, s) {
			t.Errorf("the letter lacks %q; its text is:\n%s", s, text)
		}
	}
}

// wantAccessLinkOpens checks that the secret a letter's QR code carries opens
// the ticket on the portal.
func wantAccessLinkOpens(t *testing.T, svc *Service, id int64) {
	t.Helper()
	_, secret, err := svc.Tickets.LetterAccess(context.Background(), id)
	if err != nil {
		t.Fatalf("letter access: %v", err)
	}

	citizen := newBrowser(t, svc.Portal.Fiber())
	open := citizen.get("/a/" + secret)
	if open.status != 303 {
		t.Fatalf("the letter's access link answered %d, want 303", open.status)
	}
	wantStatus(t, citizen.get(open.location), 200)
}

// pdfText returns the text of a PDF through pdftotext; without poppler-utils
// the test is skipped, except in CI, where it must be there.
func pdfText(t *testing.T, pdf string) string {
	t.Helper()
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext (poppler-utils) is missing in CI")
		}
		t.Skip("pdftotext (poppler-utils) is not installed")
	}

	path := filepath.Join(t.TempDir(), "letter.pdf")
	if err := os.WriteFile(path, []byte(pdf), 0o600); err != nil {
		t.Fatal(err)
	}

	out, err := exec.Command(tool, path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}

	return string(out)
}
