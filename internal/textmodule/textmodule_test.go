package textmodule_test

import (
	"context"
	"errors"
	"testing"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/db/dbtest"
	"github.com/anliegen/anliegen/internal/textmodule"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestRenderFillsOnlyKnownPlaceholders(t *testing.T) {
	d := textmodule.Data{Name: "Maria Muster", CaseNumber: "2026-000042",
		TrackingLink: "https://anliegen.example.org/t/ABC", Team: "Tiefbauamt",
		Today: "03.12.2026", DueDate: "10.12.2026"}

	got, err := textmodule.Render("Guten Tag {{.Name}}, Ihr Anliegen {{ .CaseNumber }} "+
		"bearbeitet {{.Team}} bis {{.DueDate}} (Stand {{.Today}}): {{.TrackingLink}}", d)
	want := "Guten Tag Maria Muster, Ihr Anliegen 2026-000042 bearbeitet Tiefbauamt bis " +
		"10.12.2026 (Stand 03.12.2026): https://anliegen.example.org/t/ABC"
	if err != nil || got != want {
		t.Errorf("Render = %q, %v; want %q", got, err, want)
	}

	for _, text := range []string{
		"{{.Unknown}}", "{{printf \"%d\" 1}}", "{{range 1000000000}}x{{end}}", "{{.Name",
		"{{if .Name}}x{{end}}", "{{$x := .Name}}", "{{.Name | printf \"%s\"}}",
		"{{template \"module\"}}", "{{.Name.Len}}", "{{call .Name}}",
	} {
		if _, err := textmodule.Render(text, d); !errors.Is(err, textmodule.ErrPlaceholderSyntax) {
			t.Errorf("Render(%q) = %v, want ErrPlaceholderSyntax", text, err)
		}
	}
}

func TestCheck(t *testing.T) {
	m := textmodule.Clean(textmodule.Module{Name: "  ", Body: catalog.Texts{
		"en": "Hello {{.Nme}}", "uk": "  ", "tr": "Merhaba",
	}})
	errs := textmodule.Check(m)
	want := map[string]string{
		"name": textmodule.ErrNameMissing, "de": textmodule.ErrGermanMissing,
		"en": textmodule.ErrPlaceholder,
	}
	if len(errs) != len(want) {
		t.Errorf("Check = %v, want %v", errs, want)
	}
	for k, v := range want {
		if errs[k] != v {
			t.Errorf("Check[%s] = %q, want %q", k, errs[k], v)
		}
	}
	if _, ok := m.Body["uk"]; ok {
		t.Error("Clean kept an empty text")
	}
}

func TestStoreRecordsEveryChange(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	s := textmodule.NewStore(pool)
	var staffID, teamID int64
	err := pool.QueryRow(ctx, `INSERT INTO staff (email, name, role, password_hash)
		VALUES ('a@stadt.example.org', 'Ada Admin', 'admin', 'x') RETURNING id`).Scan(&staffID)
	if err != nil {
		t.Fatal(err)
	}
	err = pool.QueryRow(ctx, `INSERT INTO teams (slug, name) VALUES ('tiefbau', '{"de": "Tiefbau"}')
		RETURNING id`).Scan(&teamID)
	if err != nil {
		t.Fatal(err)
	}

	id, err := s.Create(ctx, staffID, textmodule.Module{Name: "Eingang",
		Body: catalog.Texts{"de": "Danke, {{.Name}}.", "en": "Thank you, {{.Name}}."}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx, staffID, textmodule.Module{ID: id, Name: "Eingang Tiefbau",
		TeamID: &teamID, Body: catalog.Texts{"de": "Danke."}}); err != nil {
		t.Fatal(err)
	}

	mine, err := s.ForTeam(ctx, teamID)
	if err != nil || len(mine) != 1 || mine[0].Name != "Eingang Tiefbau" ||
		mine[0].TeamName["de"] != "Tiefbau" || mine[0].Text("ar") != "Danke." {
		t.Errorf("ForTeam = %+v, %v; want the updated module with German as fallback", mine, err)
	}
	if other, _ := s.ForTeam(ctx, teamID+1); len(other) != 0 {
		t.Errorf("another team sees %+v", other)
	}

	if err := s.Delete(ctx, staffID, id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, id); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("Get after delete: %v, want not found", err)
	}
	if err := s.Delete(ctx, staffID, id); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("delete twice: %v, want not found", err)
	}

	rows, err := pool.Query(ctx, `SELECT action, object, detail->>'name', staff_id
		FROM change_log ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var action, object, name string
		var by int64
		if err := rows.Scan(&action, &object, &name, &by); err != nil {
			t.Fatal(err)
		}
		if by != staffID {
			t.Errorf("%s recorded for staff %d, want %d", action, by, staffID)
		}
		got = append(got, action+" "+name)
	}
	want := []string{"text_module.create Eingang", "text_module.update Eingang Tiefbau",
		"text_module.delete Eingang Tiefbau"}
	if len(got) != len(want) {
		t.Fatalf("change log %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("change log %d = %q, want %q", i, got[i], want[i])
		}
	}
}
