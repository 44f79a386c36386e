package catalog_test

import (
	"errors"
	"testing"

	"github.com/anliegen/anliegen/internal/db"
)

func TestSharedServiceFollowsEveryChange(t *testing.T) {
	t.Parallel()
	store, pool := demoStore(t)
	ctx := t.Context()

	first, err := store.SharedServiceByCode(ctx, "schlagloch")
	if err != nil {
		t.Fatal(err)
	}
	again, err := store.SharedServiceByCode(ctx, "schlagloch")
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Form) == 0 || &first.Form[0] != &again.Form[0] {
		t.Errorf("an unchanged service was read and decoded anew")
	}

	// A change by plain SQL, which no method of the store sees.
	if _, err := pool.Exec(ctx, `UPDATE services SET name = name || '{"de": "Straßenschaden"}',
		form = '[]' WHERE code = 'schlagloch'`); err != nil {
		t.Fatal(err)
	}
	changed, err := store.SharedServiceByCode(ctx, "schlagloch")
	if err != nil {
		t.Fatal(err)
	}
	if changed.Name["de"] != "Straßenschaden" || len(changed.Form) != 0 {
		t.Errorf("after the change: name %q and %d fields, want the new name and no field",
			changed.Name["de"], len(changed.Form))
	}
	if first.Name["de"] == "Straßenschaden" {
		t.Errorf("the change reached the service read before it")
	}

	if _, err := pool.Exec(ctx, `UPDATE services SET active = false WHERE code = 'schlagloch'`); err != nil {
		t.Fatal(err)
	}
	if _, err := store.SharedServiceByCode(ctx, "schlagloch"); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("a retired service: %v, want not found", err)
	}
	if _, err := store.SharedServiceByCode(ctx, "gibt-es-nicht"); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("an unknown service: %v, want not found", err)
	}
}
