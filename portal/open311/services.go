package open311

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/i18n"
)

// specification names GeoReport v2 in discovery, as clients filter by it.
const specification = "http://wiki.open311.org/GeoReport_v2"

const changesetSQL = `
SELECT coalesce(max(greatest(created_at, updated_at)), now())
FROM services`

// changeset is when the catalogue last changed: clients refetch services when
// it moves.
func (a *API) changeset(ctx context.Context) (time.Time, error) {
	var t time.Time
	if err := a.pool.QueryRow(ctx, changesetSQL).Scan(&t); err != nil {
		return time.Time{}, fmt.Errorf("open311 changeset: %w", err)
	}

	return t, nil
}

// discovery lists the endpoint twice, as production and as test: the
// installation has one, and validators insist on both.
func (a *API) discovery(c *fiber.Ctx, _ string) error {
	changed, err := a.changeset(c.UserContext())
	if err != nil {
		return err
	}

	loc := a.localizer(c)
	site := a.baseURL.String()
	formats := list{elem: "format", items: []any{"text/xml", "application/json"}}
	var endpoints []any
	for _, kind := range []string{"production", "test"} {
		endpoints = append(endpoints, object{
			{"specification", specification},
			{"url", a.endpoint()},
			{"changeset", datetime(&changed, a.location)},
			{"type", kind},
			{"formats", formats},
		})
	}

	return a.ok(c, document{root: "discovery", body: object{
		{"changeset", datetime(&changed, a.location)},
		{"contact", loc.T("open311_contact", "URL", site)},
		{"key_service", loc.T("open311_key_service", "URL", site)},
		{"endpoints", list{elem: "endpoint", items: endpoints}},
	}})
}

// services lists the public, active services; the others are never shown.
func (a *API) services(c *fiber.Ctx, _ string) error {
	svcs, err := a.catalog.PublicServices(c.UserContext())
	if err != nil {
		return err
	}

	loc := a.localizer(c)
	items := make([]any, 0, len(svcs))
	for _, svc := range svcs {
		items = append(items, object{
			{"service_code", svc.Code},
			{"service_name", loc.Pick(svc.Name)},
			{"description", text(loc.Pick(svc.Help))},
			{"metadata", len(attributes(svc, loc)) > 0},
			{"type", "realtime"},
			{"keywords", text(svc.Keywords)},
			{"group", text(loc.Pick(svc.Group))},
		})
	}

	return a.ok(c, document{root: "services", body: list{elem: "service", items: items}})
}

// publicService returns the public, active service code, or a 404 naming it.
func (a *API) publicService(ctx context.Context, code string) (catalog.Service, error) {
	svc, err := a.catalog.ServiceByCode(ctx, code)
	if errors.Is(err, db.ErrNotFound) || (err == nil && !svc.Public) {
		return catalog.Service{}, refuse(fiber.StatusNotFound,
			"service_code "+quote(code)+" is not a service of this city; see services.xml")
	}

	return svc, err
}

func (a *API) serviceDefinition(c *fiber.Ctx) error {
	code, _, err := splitFormat(c.Params("file"))
	if err != nil {
		return err
	}

	svc, err := a.publicService(c.UserContext(), code)
	if err != nil {
		return err
	}

	attrs := attributes(svc, a.localizer(c))
	items := make([]any, len(attrs))
	for i, at := range attrs {
		items[i] = at
	}

	return a.ok(c, document{root: "service_definition", body: object{
		{"service_code", svc.Code},
		{"attributes", list{elem: "attribute", items: items}},
	}})
}

// datatypes maps the form's field types to the standard's; file fields are
// not attributes, since files travel as media.
var datatypes = map[string]string{
	catalog.FieldText:     "string",
	catalog.FieldEmail:    "string",
	catalog.FieldPhone:    "string",
	catalog.FieldAddress:  "string",
	catalog.FieldTextarea: "text",
	catalog.FieldNumber:   "number",
	catalog.FieldDate:     "datetime",
	catalog.FieldChoice:   "singlevaluelist",
	catalog.FieldYesNo:    "singlevaluelist",
	catalog.FieldMulti:    "multivaluelist",
	catalog.FieldInfo:     "string",
}

// attributes builds the service definition from the same form the portal
// renders: one attribute per field, numbered in the form's order; an
// information block is an attribute that takes no input.
func attributes(svc catalog.Service, loc *i18n.Localizer) []object {
	var out []object
	for _, f := range svc.Form {
		datatype, ok := datatypes[f.Type]
		if !ok {
			continue
		}

		out = append(out, object{
			{"variable", f.Type != catalog.FieldInfo},
			{"code", f.Code},
			{"datatype", datatype},
			{"required", f.Required},
			{"datatype_description", text(loc.Pick(f.Help))},
			{"order", len(out) + 1},
			{"description", loc.Pick(f.Label)},
			{"values", values(f, loc)},
		})
	}

	return out
}

// values lists the keys of a choice field with their names; other fields have
// an empty list.
func values(f catalog.Field, loc *i18n.Localizer) list {
	l := list{elem: "value", items: []any{}}
	switch f.Type {
	case catalog.FieldYesNo:
		for _, key := range []string{"yes", "no"} {
			l.items = append(l.items, object{{"key", key}, {"name", loc.T("answer_" + key)}})
		}
	case catalog.FieldChoice, catalog.FieldMulti:
		for _, o := range f.Options {
			l.items = append(l.items, object{{"key", o.Key}, {"name", loc.Pick(o.Label)}})
		}
	}

	return l
}
