package catalog_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// demoPublic are the public demo services in their display order.
var demoPublic = []string{
	"schlagloch", "illegale-ablagerung", "strassenbeleuchtung", "frage-buergerservice",
}

func count(t *testing.T, pool *pgxpool.Pool, table string) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(t.Context(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}

	return n
}

func demoStore(t *testing.T) (*catalog.Store, *pgxpool.Pool) {
	t.Helper()
	pool := dbtest.New(t)
	store := catalog.NewStore(pool)
	if _, err := store.LoadDemo(t.Context()); err != nil {
		t.Fatalf("load demo catalogue: %v", err)
	}

	return store, pool
}

func TestLoadDemo(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	store := catalog.NewStore(pool)
	ctx := t.Context()

	empty, err := store.Empty(ctx)
	if err != nil || !empty {
		t.Fatalf("Empty on a fresh database = %v, %v; want true, nil", empty, err)
	}

	loaded, err := store.LoadDemo(ctx)
	if err != nil || !loaded {
		t.Fatalf("first LoadDemo = %v, %v; want true, nil", loaded, err)
	}

	if n := count(t, pool, "teams"); n != 4 {
		t.Errorf("%d teams after LoadDemo, want 4", n)
	}

	if n := count(t, pool, "services"); n != 7 {
		t.Errorf("%d services after LoadDemo, want 7", n)
	}

	loaded, err = store.LoadDemo(ctx)
	if err != nil || loaded {
		t.Fatalf("second LoadDemo = %v, %v; want false, nil", loaded, err)
	}

	if n := count(t, pool, "teams"); n != 4 {
		t.Errorf("%d teams after a second LoadDemo, want still 4", n)
	}

	if n := count(t, pool, "services"); n != 7 {
		t.Errorf("%d services after a second LoadDemo, want still 7", n)
	}

	empty, err = store.Empty(ctx)
	if err != nil || empty {
		t.Errorf("Empty after LoadDemo = %v, %v; want false, nil", empty, err)
	}
}

func TestLoadDemoTeams(t *testing.T) {
	t.Parallel()
	store, _ := demoStore(t)

	teams, err := store.Teams(t.Context())
	if err != nil {
		t.Fatalf("Teams: %v", err)
	}

	var slugs []string
	for _, tm := range teams {
		slugs = append(slugs, tm.Slug)
		if tm.Name["de"] == "" || tm.Name["en"] == "" {
			t.Errorf("team %s is named %v, want a German and an English name", tm.Slug, tm.Name)
		}
	}

	want := []string{"buergerservice", "it-service", "stadtreinigung", "tiefbau"}
	if !slices.Equal(slugs, want) {
		t.Errorf("teams = %v, want %v in slug order", slugs, want)
	}
}

// retire takes a service off the portal as an administrator would, keeping its tickets.
func retire(t *testing.T, pool *pgxpool.Pool, code string) {
	t.Helper()
	tag, err := pool.Exec(t.Context(), "UPDATE services SET active = false WHERE code = $1", code)
	if err != nil || tag.RowsAffected() != 1 {
		t.Fatalf("retire %s: %d rows, %v; want 1 row", code, tag.RowsAffected(), err)
	}
}

func codes(list []catalog.Service) []string {
	var out []string
	for _, s := range list {
		out = append(out, s.Code)
	}

	return out
}

func TestPublicServices(t *testing.T) {
	t.Parallel()
	store, _ := demoStore(t)

	list, err := store.PublicServices(t.Context())
	if err != nil {
		t.Fatalf("PublicServices: %v", err)
	}

	if got := codes(list); !slices.Equal(got, demoPublic) {
		t.Errorf("public services = %v, want %v", got, demoPublic)
	}

	for i := 1; i < len(list); i++ {
		if list[i-1].Position > list[i].Position {
			t.Errorf("%s (position %d) listed before %s (position %d), want position order",
				list[i-1].Code, list[i-1].Position, list[i].Code, list[i].Position)
		}
	}

	for _, s := range list {
		if !s.Public || s.Name["de"] == "" || len(s.Form) == 0 {
			t.Errorf("service %s: public %v, name %v, %d fields; want public, named, a form",
				s.Code, s.Public, s.Name, len(s.Form))
		}
	}
}

// TestPublicServicesOrder adds a service in front and retires one: the list follows
// position and shows only active services.
func TestPublicServicesOrder(t *testing.T) {
	t.Parallel()
	store, pool := demoStore(t)
	ctx := t.Context()

	first, err := store.ServiceByCode(ctx, "schlagloch")
	if err != nil {
		t.Fatalf("ServiceByCode(schlagloch): %v", err)
	}

	svc := newService(first.TeamID, "baumschaden")
	svc.Position = 5
	if _, err := store.CreateService(ctx, svc); err != nil {
		t.Fatalf("CreateService: %v", err)
	}

	retire(t, pool, "strassenbeleuchtung")

	list, err := store.PublicServices(ctx)
	if err != nil {
		t.Fatalf("PublicServices: %v", err)
	}

	want := []string{"baumschaden", "schlagloch", "illegale-ablagerung", "frage-buergerservice"}
	if got := codes(list); !slices.Equal(got, want) {
		t.Errorf("public services = %v, want %v", got, want)
	}
}

func TestServiceByCode(t *testing.T) {
	t.Parallel()
	store, pool := demoStore(t)
	ctx := t.Context()

	retire(t, pool, "strassenbeleuchtung")

	tests := []struct {
		name    string
		code    string
		wantErr error
	}{
		{"public service", "schlagloch", nil},
		{"service not public", "it-stoerung", nil},
		{"unknown code", "gibt-es-nicht", db.ErrNotFound},
		{"empty code", "", db.ErrNotFound},
		{"retired service", "strassenbeleuchtung", db.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, err := store.ServiceByCode(ctx, tt.code)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("ServiceByCode(%q) error = %v, want %v", tt.code, err, tt.wantErr)
			}

			if err == nil && svc.Code != tt.code {
				t.Errorf("ServiceByCode(%q) returned %q", tt.code, svc.Code)
			}
		})
	}
}

func TestServiceByCodeReadsForm(t *testing.T) {
	t.Parallel()
	store, _ := demoStore(t)

	svc, err := store.ServiceByCode(t.Context(), "schlagloch")
	if err != nil {
		t.Fatalf("ServiceByCode(schlagloch): %v", err)
	}

	if svc.SLADays == nil || *svc.SLADays != 10 {
		t.Errorf("SLA days = %v, want 10", svc.SLADays)
	}

	var got []string
	for _, f := range svc.Form {
		got = append(got, f.Code+":"+f.Type)
	}

	want := []string{"location:text", "description:textarea", "danger:yesno", "photo:file"}
	if !slices.Equal(got, want) {
		t.Fatalf("form fields = %v, want %v", got, want)
	}

	if loc := svc.Form[0]; !loc.Required || loc.Limit() != 300 || loc.Label["de"] == "" {
		t.Errorf("location field: required %v, limit %d, label %v; want required, 300, "+
			"a German label", loc.Required, loc.Limit(), loc.Label)
	}

	byID, err := store.ServiceByID(t.Context(), svc.ID)
	if err != nil || byID.Code != svc.Code {
		t.Errorf("ServiceByID(%d) = %q, %v; want %q", svc.ID, byID.Code, err, svc.Code)
	}
}

func TestServiceByIDUnknown(t *testing.T) {
	t.Parallel()
	store := catalog.NewStore(dbtest.New(t))

	_, err := store.ServiceByID(t.Context(), 4711)
	if !errors.Is(err, db.ErrNotFound) {
		t.Errorf("ServiceByID(4711) on an empty catalogue error = %v, want db.ErrNotFound", err)
	}
}

func newTeam(t *testing.T, store *catalog.Store) catalog.Team {
	t.Helper()
	team, err := store.CreateTeam(t.Context(), catalog.Team{
		Slug: "tiefbau", Name: catalog.Texts{"de": "Tiefbauamt"}, Email: "tiefbau@example.org",
	})
	if err != nil {
		t.Fatalf("CreateTeam: %v", err)
	}

	return team
}

func newService(teamID int64, code string) catalog.Service {
	sla := int32(5)

	return catalog.Service{
		Code: code, TeamID: teamID, SLADays: &sla, Public: true,
		Group:   catalog.Texts{"de": "Umwelt"},
		Name:    catalog.Texts{"de": "Baumschaden", "en": "Damaged tree"},
		Help:    catalog.Texts{"de": "Melden Sie umgestürzte Bäume."},
		Promise: catalog.Texts{"de": "Wir melden uns."},
		Form: []catalog.Field{
			{Code: "location", Type: catalog.FieldText, Required: true, Label: label},
			{Code: "kind", Type: catalog.FieldChoice, Label: label, Options: kinds},
		},
	}
}

func TestCreateService(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	store := catalog.NewStore(pool)
	team := newTeam(t, store)

	created, err := store.CreateService(t.Context(), newService(team.ID, "baumschaden"))
	if err != nil {
		t.Fatalf("CreateService: %v", err)
	}

	if created.ID == 0 {
		t.Errorf("created service has ID 0, want the stored ID")
	}

	got, err := store.ServiceByCode(t.Context(), "baumschaden")
	if err != nil {
		t.Fatalf("ServiceByCode(baumschaden): %v", err)
	}

	if got.ID != created.ID || got.TeamID != team.ID || got.Name["en"] != "Damaged tree" {
		t.Errorf("stored service %+v, want ID %d, team %d and the English name", got,
			created.ID, team.ID)
	}

	if len(got.Form) != 2 || len(got.Form[1].Options) != 2 {
		t.Errorf("stored form %+v, want two fields, the second with two options", got.Form)
	}
}

func TestCreateServiceRefusesMalformed(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	store := catalog.NewStore(pool)
	team := newTeam(t, store)

	tests := []struct {
		name   string
		change func(*catalog.Service)
	}{
		{"unknown field type", func(s *catalog.Service) { s.Form[0].Type = "upload" }},
		{"choice without options", func(s *catalog.Service) { s.Form[1].Options = nil }},
		{"field code with capitals", func(s *catalog.Service) { s.Form[0].Code = "Ort" }},
		{"field code with hyphen", func(s *catalog.Service) { s.Form[0].Code = "haus-nr" }},
		{"empty field code", func(s *catalog.Service) { s.Form[0].Code = "" }},
		{"field without label", func(s *catalog.Service) { s.Form[0].Label = nil }},
		{"service code with space", func(s *catalog.Service) { s.Code = "baum schaden" }},
		{"service code with capitals", func(s *catalog.Service) { s.Code = "Baumschaden" }},
		{"unknown team", func(s *catalog.Service) { s.TeamID = team.ID + 100 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := newService(team.ID, "baumschaden")
			tt.change(&svc)

			_, err := store.CreateService(t.Context(), svc)
			if err == nil {
				t.Errorf("CreateService accepted %+v, want it refused", svc)
			}

			if errors.Is(err, db.ErrConflict) {
				t.Errorf("CreateService error = %v, want a refusal other than db.ErrConflict", err)
			}

			if n := count(t, pool, "services"); n != 0 {
				t.Errorf("%d services stored after a refused one, want 0", n)
			}
		})
	}
}

func TestCreateServiceDuplicateCode(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	store := catalog.NewStore(pool)
	team := newTeam(t, store)

	if _, err := store.CreateService(t.Context(), newService(team.ID, "baumschaden")); err != nil {
		t.Fatalf("first CreateService: %v", err)
	}

	_, err := store.CreateService(t.Context(), newService(team.ID, "baumschaden"))
	if !errors.Is(err, db.ErrConflict) {
		t.Errorf("second CreateService with the same code error = %v, want db.ErrConflict", err)
	}

	if n := count(t, pool, "services"); n != 1 {
		t.Errorf("%d services stored, want 1", n)
	}
}

func TestCreateTeamDuplicateSlug(t *testing.T) {
	t.Parallel()
	store := catalog.NewStore(dbtest.New(t))
	newTeam(t, store)

	_, err := store.CreateTeam(t.Context(), catalog.Team{
		Slug: "tiefbau", Name: catalog.Texts{"de": "Noch ein Tiefbauamt"},
	})
	if !errors.Is(err, db.ErrConflict) {
		t.Errorf("CreateTeam with a taken slug error = %v, want db.ErrConflict", err)
	}
}

// TestDemoMailIntake checks the service that e-mail without a case opens tickets in:
// internal, worked by the citizens' office, and named in every language.
func TestDemoMailIntake(t *testing.T) {
	t.Parallel()
	store, _ := demoStore(t)
	ctx := t.Context()

	svc, err := store.ServiceByCode(ctx, "email-eingang")
	if err != nil {
		t.Fatalf("ServiceByCode(email-eingang): %v", err)
	}

	teams, err := store.Teams(ctx)
	if err != nil {
		t.Fatalf("Teams: %v", err)
	}

	var team string
	for _, tm := range teams {
		if tm.ID == svc.TeamID {
			team = tm.Slug
		}
	}

	if svc.Public || team != "buergerservice" {
		t.Errorf("email-eingang: public %v, team %q; want internal, buergerservice",
			svc.Public, team)
	}

	languages := []string{"de", "de-x-ls", "en", "uk", "ru", "ar", "tr", "vi"}
	texts := map[string]catalog.Texts{
		"group": svc.Group, "name": svc.Name, "help": svc.Help, "promise": svc.Promise,
	}
	for what, text := range texts {
		for _, lang := range languages {
			if text[lang] == "" {
				t.Errorf("email-eingang has no %s in %s", what, lang)
			}
		}
	}
}

// TestSendsEveryMessageUnlessTurnedOff shows the default of the per-service
// message settings.
func TestSendsEveryMessageUnlessTurnedOff(t *testing.T) {
	svc := catalog.Service{Messages: map[string]bool{"reminder": false, "resolved": true}}
	for kind, want := range map[string]bool{"reminder": false, "resolved": true, "answer": true} {
		if got := svc.Sends(kind); got != want {
			t.Errorf("Sends(%q) = %v, want %v", kind, got, want)
		}
	}
}
