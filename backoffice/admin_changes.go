package backoffice

import (
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/changelog"
)

// changesPerPage is how many changes the change log shows at a time.
const changesPerPage = 50

// changesPage lists the recorded configuration changes, newest first.
type changesPage struct {
	Page
	Kind    input
	Changes []changeRow
	Next    string
}

type changeRow struct {
	changelog.Entry
	Who    string
	What   string
	Detail string
}

func (b *Backoffice) adminChanges(c *fiber.Ctx) error {
	p := b.newPage(c)
	kinds, err := b.changes.RecordedKinds(c.UserContext())
	if err != nil {
		return err
	}

	kind := c.Query("kind")
	if !slices.Contains(kinds, kind) {
		kind = ""
	}
	before, _ := strconv.ParseInt(c.Query("before"), 10, 64)

	entries, more, err := b.changes.Page(c.UserContext(), kind, before, changesPerPage)
	if err != nil {
		return err
	}

	page := changesPage{Page: p, Kind: input{ID: "kind", Name: "kind",
		Label: p.T("bo_admin_changes_kind")}}
	page.Kind.Options = append(page.Kind.Options, option{Value: "", Name: p.T("bo_admin_changes_all")})
	for _, k := range kinds {
		page.Kind.Options = append(page.Kind.Options,
			option{Value: k, Name: translated(p, "bo_admin_kind_"+k, k), Selected: k == kind})
	}

	for _, e := range entries {
		what := translated(p, "bo_change_"+strings.ReplaceAll(e.Action, ".", "_"), e.Action)
		row := changeRow{Entry: e, Who: p.T("bo_admin_changes_system"), What: what}
		if e.StaffName != nil {
			row.Who = *e.StaffName
		}
		if len(e.Detail) > 0 {
			d, _ := json.Marshal(e.Detail)
			row.Detail = string(d)
		}
		page.Changes = append(page.Changes, row)
	}

	if more {
		q := url.Values{"before": {strconv.FormatInt(entries[len(entries)-1].ID, 10)}}
		if kind != "" {
			q.Set("kind", kind)
		}
		page.Next = "/admin/changes?" + q.Encode()
	}

	return b.web.Render(c, fiber.StatusOK, "admin_changes", page)
}

// translated returns the message id in the reader's language, or fallback
// when there is none, as for a kind of change another part of the product
// records.
func translated(p Page, id, fallback string) string {
	if s := p.T(id); s != id {
		return s
	}

	return fallback
}
