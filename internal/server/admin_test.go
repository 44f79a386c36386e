package server

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/calendar"
	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/changelog"
	"github.com/anliegen/anliegen/internal/i18n"
	"github.com/anliegen/anliegen/internal/staff"
	"github.com/anliegen/anliegen/locales"
)

// adminBrowser returns a browser signed in as the test's administrator.
func adminBrowser(t *testing.T, svc *Service, pool *pgxpool.Pool) *browser {
	t.Helper()
	admin := newBrowser(t, svc.Backoffice.Fiber())
	signInDirectly(t, svc, pool, admin)

	return admin
}

// sessionFor gives the browser a session of member m.
func sessionFor(t *testing.T, svc *Service, b *browser, m staff.Member) {
	t.Helper()
	session, err := svc.Staff.StartSession(context.Background(), m.ID)
	if err != nil {
		t.Fatalf("start session: %v", err)
	}

	b.cookies[svc.Backoffice.CookieName("staff_session")] = session
}

// adminPages are the pages of the administration, one of each kind.
var adminPages = []string{
	"/admin", "/admin/services", "/admin/services/new", "/admin/services/1",
	"/admin/services/1/form", "/admin/services/1/form/new?type=choice",
	"/admin/services/1/form/fields/location", "/admin/teams", "/admin/teams/new",
	"/admin/teams/1", "/staff/new", "/staff/1", "/admin/holidays", "/admin/privacy",
	"/admin/changes",
}

// TestAdministrationIsNotFoundForOthers shows every page of the administration
// to an administrator and answers 404 to each other role, for pages and
// changes alike, without changing anything.
func TestAdministrationIsNotFoundForOthers(t *testing.T) {
	logs := &lockedLog{}
	svc, pool := newServiceWith(t, logs, testLimits())
	defer func() {
		if t.Failed() {
			t.Log(logs.String())
		}
	}()
	admin := adminBrowser(t, svc, pool)
	for _, p := range adminPages {
		wantStatus(t, admin.get(p), 200)
	}

	roles := []string{staff.RoleAgent, staff.RoleTeamLead, staff.RoleStatistics}
	for i, role := range roles {
		t.Run(role, func(t *testing.T) {
			m := addStaff(t, svc, role+"@stadt.example.org", role, true)
			other := newBrowser(t, svc.Backoffice.Fiber())
			sessionFor(t, svc, other, m)
			for _, p := range adminPages {
				if r := other.get(p); r.status != 404 {
					t.Errorf("%s: GET %s = %d, want 404", role, p, r.status)
				}
			}

			token := csrf(t, other.get("/account").body)
			posts := []string{"/admin/services", "/admin/services/1", "/admin/teams",
				"/admin/holidays", "/admin/privacy", "/staff", "/staff/1"}
			for _, p := range posts {
				r := other.post(p, url.Values{"code": {"x" + itoa(int64(i))}}, token)
				if r.status != 404 {
					t.Errorf("%s: POST %s = %d, want 404", role, p, r.status)
				}
			}
		})
	}

	var changes int
	if err := pool.QueryRow(context.Background(),
		`SELECT count(*) FROM change_log`).Scan(&changes); err != nil {
		t.Fatal(err)
	}
	if changes != 0 {
		t.Errorf("the change log has %d entries after refused requests, want 0", changes)
	}
}

// changeRows returns the recorded changes as "action object by-name", oldest
// first.
func changeRows(t *testing.T, pool *pgxpool.Pool) []string {
	t.Helper()
	rows, err := pool.Query(context.Background(), `
		SELECT cl.action || ' ' || cl.object || ' ' || coalesce(st.name, '-')
		FROM change_log cl LEFT JOIN staff st ON st.id = cl.staff_id
		ORDER BY cl.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()

	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}

	return out
}

func wantChange(t *testing.T, pool *pgxpool.Pool, want string) {
	t.Helper()
	rows := changeRows(t, pool)
	for _, r := range rows {
		if strings.HasPrefix(r, want) {
			return
		}
	}

	t.Errorf("the change log lacks %q; it has %q", want, rows)
}

// pgxQuerier is the pool as the administration tests query it.
type pgxQuerier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// TestAdministrationComputedMessagesExist checks the message IDs that the
// administration builds from data, in both languages of the back office.
func TestAdministrationComputedMessagesExist(t *testing.T) {
	bundle, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}

	var want []string
	add := func(prefix string, names ...string) {
		for _, n := range names {
			want = append(want, prefix+n)
		}
	}
	add("bo_admin_field_type_", catalog.FieldText, catalog.FieldTextarea, catalog.FieldNumber,
		catalog.FieldDate, catalog.FieldEmail, catalog.FieldPhone, catalog.FieldChoice,
		catalog.FieldMulti, catalog.FieldYesNo, catalog.FieldAddress, catalog.FieldFile,
		catalog.FieldInfo)
	add("bo_admin_message_", catalog.MessageKinds...)
	add("bo_admin_kind_", changelog.Kinds...)
	add("bo_admin_holiday_kind_", calendar.KindExtra, calendar.KindRemoved)
	add("bo_admin_text_", catalog.TextName, catalog.TextHelp, catalog.TextPromise)
	add("bo_admin_form_saved_", "added", "updated", "moved", "removed")
	add("bo_admin_service_", "sla_hint", "first_hint", "reminder_hint", "close_hint")
	for _, h := range calendar.New(time.UTC, calendar.Saxony).Holidays(2026) {
		add("bo_holiday_", h.Name)
	}
	add("bo_change_", "service_create", "service_update", "form_field_add", "form_field_update",
		"form_field_move", "form_field_remove", "team_create", "team_update", "team_member_add",
		"team_member_remove", "staff_create", "staff_update", "staff_sessions_ended",
		"staff_account_disabled", "staff_account_enabled", "staff_mfa_reset", "holiday_set",
		"holiday_delete", "privacy_update")

	for _, tag := range []string{"de", "en"} {
		ids := map[string]bool{}
		for _, id := range bundle.MessageIDs(tag) {
			ids[id] = true
		}
		for _, id := range want {
			if !ids[id] {
				t.Errorf("%s lacks %s", tag, id)
			}
		}
	}
}
