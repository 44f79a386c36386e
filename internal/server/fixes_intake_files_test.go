package server

import (
	"net/url"
	"testing"
)

// TestIntakeTakesAScannedLetter takes in a letter with its scan attached: the
// intake form offers the service's file field; a file of a refused format is
// named at its field and everything typed stays; the accepted scan is stored
// with the ticket and listed on its page.
func TestIntakeTakesAScannedLetter(t *testing.T) {
	svc, pool := newService(t)
	d := adminDesk(t, svc, pool)

	form := d.b.get("/intake?service=schlagloch&channel=letter&language=de")
	wantStatus(t, form, 200)
	wantText(t, form, `enctype="multipart/form-data"`, `type="file" id="field-photo"`,
		`name="field_photo" multiple accept="image/jpeg,image/png,application/pdf"`,
		"Erlaubt sind JPEG, PNG und PDF")

	values := url.Values{
		"service": {"schlagloch"}, "channel": {"letter"}, "language": {"de"},
		"field_location": {"Hauptstraße 12"}, "field_danger": {"no"},
		"field_description": {"Brief vom 1. Dezember: ein Loch vor der Bäckerei."},
		"contact_name":      {"Olena Koval"},
		"contact_address":   {"Hauptstraße 14, 09111 Chemnitz"},
	}
	bad := d.b.postMultipart("/intake", values,
		[]upload{{"field_photo", "brief.png", []byte("<html><script>x</script></html>")}},
		csrf(t, form.body))
	wantStatus(t, bad, 422)
	wantText(t, textOf(bad), `href="#field-photo"`, `id="field-photo-error"`,
		"Eine Datei bei „Foto“ hat ein Format, das wir nicht annehmen",
		"Brief vom 1. Dezember: ein Loch vor der Bäckerei.", `value="Olena Koval"`,
		`value="Hauptstraße 12"`, `value="Hauptstraße 14, 09111 Chemnitz"`)
	if n := scalarOf[int](t, pool, "SELECT count(*) FROM tickets"); n != 0 {
		t.Fatalf("%d tickets after a refused file, want none", n)
	}

	ok := d.b.postMultipart("/intake", values,
		[]upload{{"field_photo", "brief-scan.png", pngImage(t)}}, csrf(t, bad.body))
	wantStatus(t, ok, 303)
	page := textOf(d.b.get(ok.location))
	wantText(t, page, "ist angelegt", "brief-scan.png", "image/png", "Aufgenommen (Brief)")

	if n := scalarOf[int](t, pool, `SELECT count(*) FROM attachments a
		JOIN tickets t ON t.id = a.ticket_id WHERE t.channel = 'letter'`); n != 1 {
		t.Errorf("%d attachments stored with the letter, want 1", n)
	}
}
