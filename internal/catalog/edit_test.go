package catalog_test

import (
	"errors"
	"testing"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/changelog"
)

func TestCheckForm(t *testing.T) {
	label := catalog.Texts{"de": "Ort"}
	opts := []catalog.Option{{Key: "a", Label: label}}
	cases := []struct {
		name string
		form []catalog.Field
		ok   bool
	}{
		{"sound", []catalog.Field{{Code: "ort", Type: catalog.FieldText, Label: label}}, true},
		{"empty", nil, true},
		{"code twice", []catalog.Field{
			{Code: "ort", Type: catalog.FieldText, Label: label},
			{Code: "ort", Type: catalog.FieldTextarea, Label: label},
		}, false},
		{"option twice", []catalog.Field{{Code: "art", Type: catalog.FieldChoice, Label: label,
			Options: append(opts, opts...)}}, false},
		{"choice without options", []catalog.Field{
			{Code: "art", Type: catalog.FieldMulti, Label: label}}, false},
		{"no label", []catalog.Field{{Code: "ort", Type: catalog.FieldText}}, false},
		{"bad code", []catalog.Field{{Code: "Ort", Type: catalog.FieldText, Label: label}}, false},
		{"unknown type", []catalog.Field{{Code: "ort", Type: "map", Label: label}}, false},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := catalog.CheckForm(tc.form)
			if (err == nil) != tc.ok {
				t.Fatalf("CheckForm = %v, want ok %v", err, tc.ok)
			}
			if err != nil && !errors.Is(err, catalog.ErrForm) {
				t.Errorf("CheckForm = %v, want it to wrap ErrForm", err)
			}
		})
	}
}

// TestUpdateFormRefusesUnsoundForms keeps the stored form when the new one
// does not pass CheckForm, and records nothing.
func TestUpdateFormRefusesUnsoundForms(t *testing.T) {
	store, pool := demoStore(t)
	svc, err := store.ServiceByCode(t.Context(), "schlagloch")
	if err != nil {
		t.Fatal(err)
	}

	form := append(svc.Form, svc.Form[0])
	err = store.UpdateForm(t.Context(), svc.ID, 0, form, changelog.Change{Action: "form.field_add"})
	if !errors.Is(err, catalog.ErrForm) {
		t.Fatalf("UpdateForm with a code twice = %v, want ErrForm", err)
	}

	again, err := store.ServiceByID(t.Context(), svc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Form) != len(svc.Form) || count(t, pool, "change_log") != 0 {
		t.Errorf("the refused form changed the service or the change log")
	}
}

func TestMissingTranslations(t *testing.T) {
	s := catalog.Service{
		Name:    catalog.Texts{"de": "Schlagloch", "en": "Pothole"},
		Help:    catalog.Texts{"de": "Hilfe"},
		Promise: catalog.Texts{},
	}
	got := s.Missing([]string{"de", "en", "uk"})
	if len(got["de"]) != 0 {
		t.Errorf("German misses %v, want nothing", got["de"])
	}
	if len(got["en"]) != 1 || got["en"][0] != catalog.TextHelp {
		t.Errorf("English misses %v, want [help]", got["en"])
	}
	if len(got["uk"]) != 2 {
		t.Errorf("Ukrainian misses %v, want [name help]; the promise is empty in German", got["uk"])
	}
}

// reader reads texts in German and message IDs as themselves.
type reader struct{}

func (reader) Pick(t map[string]string) string { return t["de"] }
func (reader) T(id string, _ ...any) string    { return id }

// TestAnswersKeepRemovedFields lists the answers of the form's fields first and
// then, by code, those of fields removed since the ticket was submitted.
func TestAnswersKeepRemovedFields(t *testing.T) {
	svc := catalog.Service{Form: []catalog.Field{
		{Code: "ort", Type: catalog.FieldText, Label: catalog.Texts{"de": "Ort"}},
	}}
	got := svc.Answers(map[string]string{"ort": "Markt 1", "gefahr": "yes", "alt": "x"}, reader{})
	want := []catalog.Answer{{Label: "Ort", Value: "Markt 1"}, {Label: "alt", Value: "x"},
		{Label: "gefahr", Value: "yes"}}
	if len(got) != len(want) {
		t.Fatalf("Answers = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("answer %d = %v, want %v", i, got[i], want[i])
		}
	}
}
