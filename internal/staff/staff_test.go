package staff_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/db/dbtest"
	"github.com/anliegen/anliegen/internal/staff"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

const password = "Rathaus-Schlüssel-2026"

var phcShape = regexp.MustCompile(
	`^\$argon2id\$v=19\$m=65536,t=3,p=2\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)

func TestHashPasswordRefusesShortPasswords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		password string
	}{
		{"empty", ""},
		{"short", "geheim"},
		{"eleven characters", "elf-zeichen"},
		{"eleven umlauts", "äääääääääää"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hash, err := staff.HashPassword(tt.password)
			if !errors.Is(err, staff.ErrWeakPassword) {
				t.Errorf("HashPassword(%q) = %q, %v; want ErrWeakPassword", tt.password, hash,
					err)
			}
		})
	}
}

func TestHashPasswordFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		password string
	}{
		{"twelve characters", "zwoelf-Zeich"},
		{"twelve umlauts", "ääääääääääää"},
		{"long", strings.Repeat("Passwort ", 20)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			hash, err := staff.HashPassword(tt.password)
			if err != nil {
				t.Fatalf("HashPassword(%q): %v, want a hash", tt.password, err)
			}

			if !phcShape.MatchString(hash) {
				t.Errorf("hash %q does not match %s", hash, phcShape)
			}

			if strings.Contains(hash, tt.password) {
				t.Errorf("hash %q contains the password", hash)
			}
		})
	}
}

func TestHashPasswordSaltsEachHash(t *testing.T) {
	t.Parallel()
	first, err1 := staff.HashPassword(password)
	second, err2 := staff.HashPassword(password)
	if err1 != nil || err2 != nil {
		t.Fatalf("HashPassword: %v, %v", err1, err2)
	}

	if first == second {
		t.Fatalf("two hashes of one password are both %q, want different salts", first)
	}

	salt := func(h string) string { return strings.Split(h, "$")[4] }
	if salt(first) == salt(second) {
		t.Errorf("two hashes share the salt %q, want a fresh salt each time", salt(first))
	}
}

func TestVerifyPassword(t *testing.T) {
	t.Parallel()
	hash, err := staff.HashPassword(password)
	if err != nil {
		t.Fatalf("HashPassword: %v", err)
	}

	tests := []struct {
		name     string
		password string
		want     bool
	}{
		{"right password", password, true},
		{"wrong password", "Rathaus-Schlüssel-2025", false},
		{"other case", strings.ToUpper(password), false},
		{"with a trailing space", password + " ", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ok, err := staff.VerifyPassword(hash, tt.password)
			if err != nil || ok != tt.want {
				t.Errorf("VerifyPassword(%q) = %v, %v; want %v, nil", tt.password, ok, err,
					tt.want)
			}
		})
	}
}

func TestVerifyPasswordMalformedHash(t *testing.T) {
	t.Parallel()
	hash, err := staff.HashPassword(password)
	if err != nil {
		t.Fatalf("HashPassword: %v", err)
	}

	// parts are "", "argon2id", "v=19", "m=…,t=…,p=…", salt, key.
	parts := strings.Split(hash, "$")
	with := func(i int, v string) string {
		p := append([]string(nil), parts...)
		p[i] = v

		return strings.Join(p, "$")
	}

	tests := []struct {
		name string
		hash string
	}{
		{"empty", ""},
		{"plain text", password},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"argon2i", with(1, "argon2i")},
		{"version 16", with(2, "v=16")},
		{"version missing", with(2, "19")},
		{"memory zero", with(3, "m=0,t=3,p=2")},
		{"iterations zero", with(3, "m=65536,t=0,p=2")},
		{"threads zero", with(3, "m=65536,t=3,p=0")},
		{"threads out of range", with(3, "m=65536,t=3,p=300")},
		{"parameters missing", with(3, "")},
		{"salt not base64", with(4, "!!!!")},
		{"key not base64", with(5, "~~~~")},
		{"key empty", with(5, "")},
		{"part missing", strings.Join(parts[:5], "$")},
		{"part too many", hash + "$extra"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ok, err := staff.VerifyPassword(tt.hash, password)
			if err == nil || ok {
				t.Errorf("VerifyPassword(%q) = %v, %v; want false and an error", tt.hash, ok,
					err)
			}
		})
	}
}

func newStore(t *testing.T) (*staff.Store, *pgxpool.Pool) {
	t.Helper()
	pool := dbtest.New(t)

	return staff.NewStore(pool), pool
}

func newMember(email string) staff.NewMember {
	return staff.NewMember{Email: email, Name: "Erika Mustermann", Role: staff.RoleAgent,
		Password: password}
}

func create(t *testing.T, store *staff.Store, n staff.NewMember) staff.Member {
	t.Helper()
	m, err := store.Create(t.Context(), n)
	if err != nil {
		t.Fatalf("Create(%s): %v", n.Email, err)
	}

	return m
}

func TestCreateAndAuthenticate(t *testing.T) {
	t.Parallel()
	store, pool := newStore(t)
	created := create(t, store, staff.NewMember{
		Email: " erika.mustermann@musterstadt.de ", Name: " Erika Mustermann ",
		Role: staff.RoleTeamLead, Password: password,
	})

	if created.ID == 0 || created.Email != "erika.mustermann@musterstadt.de" ||
		created.Name != "Erika Mustermann" || created.Role != staff.RoleTeamLead ||
		created.Language != "de" || created.Disabled != nil {
		t.Errorf("created %+v, want trimmed e-mail and name, role team_lead, language de, "+
			"enabled", created)
	}

	var stored string
	err := pool.QueryRow(t.Context(), "SELECT password_hash FROM staff WHERE id = $1",
		created.ID).Scan(&stored)
	if err != nil {
		t.Fatalf("read password hash: %v", err)
	}

	if !phcShape.MatchString(stored) {
		t.Errorf("stored password %q, want an Argon2id hash", stored)
	}

	for _, email := range []string{
		"erika.mustermann@musterstadt.de",
		"Erika.Mustermann@Musterstadt.DE",
		"  ERIKA.MUSTERMANN@MUSTERSTADT.DE\t",
	} {
		t.Run(email, func(t *testing.T) {
			m, err := store.Authenticate(t.Context(), email, password)
			if err != nil {
				t.Fatalf("Authenticate(%q): %v, want the account", email, err)
			}

			if m.ID != created.ID || m.Email != created.Email || m.Role != staff.RoleTeamLead {
				t.Errorf("Authenticate(%q) = %+v, want %+v", email, m, created)
			}
		})
	}
}

func TestAuthenticateBadCredentials(t *testing.T) {
	t.Parallel()
	store, pool := newStore(t)
	create(t, store, newMember("erika@musterstadt.de"))
	disabled := create(t, store, newMember("max@musterstadt.de"))

	_, err := pool.Exec(t.Context(), "UPDATE staff SET disabled_at = now() WHERE id = $1",
		disabled.ID)
	if err != nil {
		t.Fatalf("disable account: %v", err)
	}

	tests := []struct {
		name     string
		email    string
		password string
	}{
		{"wrong password", "erika@musterstadt.de", "Rathaus-Schlüssel-2025"},
		{"empty password", "erika@musterstadt.de", ""},
		{"unknown address", "niemand@musterstadt.de", password},
		{"empty address", "", password},
		{"disabled account", "max@musterstadt.de", password},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := store.Authenticate(t.Context(), tt.email, tt.password)
			if !errors.Is(err, staff.ErrBadCredentials) {
				t.Errorf("Authenticate(%q, %q) error = %v, want ErrBadCredentials", tt.email,
					tt.password, err)
			}

			if m.ID != 0 {
				t.Errorf("Authenticate(%q, %q) returned account %d, want none", tt.email,
					tt.password, m.ID)
			}
		})
	}
}

func TestCreateDuplicateEmail(t *testing.T) {
	t.Parallel()
	store, pool := newStore(t)
	create(t, store, newMember("erika@musterstadt.de"))

	_, err := store.Create(t.Context(), newMember("Erika@Musterstadt.de"))
	if !errors.Is(err, db.ErrConflict) {
		t.Errorf("Create with the address in other case error = %v, want db.ErrConflict", err)
	}

	if n := countStaff(t, pool); n != 1 {
		t.Errorf("%d accounts stored, want 1", n)
	}
}

func countStaff(t *testing.T, pool *pgxpool.Pool) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(t.Context(), "SELECT count(*) FROM staff").Scan(&n); err != nil {
		t.Fatalf("count staff: %v", err)
	}

	return n
}

func TestCreateRefusesInvalid(t *testing.T) {
	t.Parallel()
	store, pool := newStore(t)

	tests := []struct {
		name    string
		change  func(*staff.NewMember)
		wantErr error
	}{
		{"unknown role", func(n *staff.NewMember) { n.Role = "chef" }, nil},
		{"empty role", func(n *staff.NewMember) { n.Role = "" }, nil},
		{"role in capitals", func(n *staff.NewMember) { n.Role = "Admin" }, nil},
		{"e-mail without @", func(n *staff.NewMember) { n.Email = "erika.musterstadt.de" }, nil},
		{"e-mail with display name",
			func(n *staff.NewMember) { n.Email = "Erika <erika@musterstadt.de>" }, nil},
		{"empty e-mail", func(n *staff.NewMember) { n.Email = "" }, nil},
		{"empty name", func(n *staff.NewMember) { n.Name = "" }, nil},
		{"name of spaces", func(n *staff.NewMember) { n.Name = "   " }, nil},
		{"name with line break", func(n *staff.NewMember) { n.Name = "Erika\nAdmin" }, nil},
		{"name with NUL", func(n *staff.NewMember) { n.Name = "Erika\x00" }, nil},
		{"name of 201 characters", func(n *staff.NewMember) { n.Name = strings.Repeat("e", 201) },
			nil},
		{"short password", func(n *staff.NewMember) { n.Password = "geheim" },
			staff.ErrWeakPassword},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := newMember("erika@musterstadt.de")
			tt.change(&n)

			m, err := store.Create(t.Context(), n)
			if err == nil {
				t.Fatalf("Create(%+v) = %+v, want it refused", n, m)
			}

			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("Create error = %v, want %v", err, tt.wantErr)
			}

			if got := countStaff(t, pool); got != 0 {
				t.Errorf("%d accounts stored after a refused one, want 0", got)
			}
		})
	}
}

func TestCreateAcceptsNames(t *testing.T) {
	t.Parallel()
	store, _ := newStore(t)

	tests := []struct {
		name  string
		email string
		full  string
	}{
		{"apostrophe and accents", "renee@musterstadt.de", "Renée D'Agostino-Łukasiewicz"},
		{"arabic", "layla@musterstadt.de", "ليلى حداد"},
		{"200 characters", "lang@musterstadt.de", strings.Repeat("e", 200)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := newMember(tt.email)
			n.Name = tt.full

			m := create(t, store, n)
			if m.Name != tt.full {
				t.Errorf("stored name %q, want %q", m.Name, tt.full)
			}
		})
	}
}

func TestHasAdmin(t *testing.T) {
	t.Parallel()
	store, pool := newStore(t)
	ctx := t.Context()

	check := func(step string, want bool) {
		t.Helper()
		got, err := store.HasAdmin(ctx)
		if err != nil || got != want {
			t.Errorf("HasAdmin %s = %v, %v; want %v, nil", step, got, err, want)
		}
	}

	check("with no accounts", false)

	for _, role := range []string{staff.RoleAgent, staff.RoleTeamLead, staff.RoleStatistics} {
		account(t, pool, role+"@musterstadt.de", role)
	}
	check("with agents, team leads and statisticians", false)

	admin := account(t, pool, "admin@musterstadt.de", staff.RoleAdmin)
	check("with an administrator", true)

	if _, err := pool.Exec(ctx, "DELETE FROM staff WHERE id = $1", admin.ID); err != nil {
		t.Fatalf("delete administrator: %v", err)
	}
	check("after the administrator is deleted", false)
}

func TestValidRole(t *testing.T) {
	t.Parallel()
	tests := []struct {
		role string
		want bool
	}{
		{staff.RoleAgent, true},
		{staff.RoleTeamLead, true},
		{staff.RoleAdmin, true},
		{staff.RoleStatistics, true},
		{"", false},
		{"root", false},
		{"ADMIN", false},
	}
	for _, tt := range tests {
		t.Run(tt.role, func(t *testing.T) {
			if got := staff.ValidRole(tt.role); got != tt.want {
				t.Errorf("ValidRole(%q) = %v, want %v", tt.role, got, tt.want)
			}
		})
	}
}

// accountSQL adds an account directly: sessions never check the password, and skipping
// Argon2 keeps the session tests fast.
const accountSQL = `
INSERT INTO staff (email, name, role, password_hash)
VALUES ($1, 'Erika Mustermann', $2, 'not-a-password-hash')
RETURNING id, email, name, role, language, disabled_at`

func account(t *testing.T, pool *pgxpool.Pool, email, role string) staff.Member {
	t.Helper()
	var m staff.Member
	err := pool.QueryRow(t.Context(), accountSQL, email, role).Scan(
		&m.ID, &m.Email, &m.Name, &m.Role, &m.Language, &m.Disabled)
	if err != nil {
		t.Fatalf("add account %s: %v", email, err)
	}

	return m
}

// signedIn adds an account and starts a session for it.
func signedIn(
	t *testing.T,
	store *staff.Store,
	pool *pgxpool.Pool,
	email string,
) (staff.Member, string) {
	t.Helper()
	m := account(t, pool, email, staff.RoleAgent)

	id, err := store.StartSession(t.Context(), m.ID)
	if err != nil {
		t.Fatalf("StartSession: %v", err)
	}

	return m, id
}

func TestSessionMember(t *testing.T) {
	t.Parallel()
	store, pool := newStore(t)
	m, id := signedIn(t, store, pool, "erika@musterstadt.de")

	got, err := store.SessionMember(t.Context(), id)
	if err != nil {
		t.Fatalf("SessionMember: %v, want the signed-in account", err)
	}

	if got.ID != m.ID || got.Email != m.Email || got.Name != m.Name || got.Role != m.Role {
		t.Errorf("SessionMember = %+v, want %+v", got, m)
	}
}

func TestSessionIDs(t *testing.T) {
	t.Parallel()
	store, pool := newStore(t)
	_, first := signedIn(t, store, pool, "erika@musterstadt.de")
	_, second := signedIn(t, store, pool, "max@musterstadt.de")

	if first == second {
		t.Errorf("two sessions share the ID %q, want fresh IDs", first)
	}

	raw, err := base64.RawURLEncoding.DecodeString(first)
	if err != nil || len(raw) < 32 {
		t.Errorf("session ID %q decodes to %d bytes (%v), want at least 32 random bytes",
			first, len(raw), err)
	}
}

func TestSessionStoresOnlyHash(t *testing.T) {
	t.Parallel()
	store, pool := newStore(t)
	_, id := signedIn(t, store, pool, "erika@musterstadt.de")

	var hash []byte
	err := pool.QueryRow(t.Context(), "SELECT id_hash FROM staff_sessions").Scan(&hash)
	if err != nil {
		t.Fatalf("read session: %v, want exactly one row", err)
	}

	raw, err := base64.RawURLEncoding.DecodeString(id)
	if err != nil {
		t.Fatalf("decode session ID: %v", err)
	}

	if bytes.Contains(hash, []byte(id)) || bytes.Contains(hash, raw) {
		t.Errorf("staff_sessions.id_hash %x holds the cookie value %q, want only its hash",
			hash, id)
	}
}

func TestEndSession(t *testing.T) {
	t.Parallel()
	store, pool := newStore(t)
	_, id := signedIn(t, store, pool, "erika@musterstadt.de")
	_, other := signedIn(t, store, pool, "max@musterstadt.de")

	if err := store.EndSession(t.Context(), id); err != nil {
		t.Fatalf("EndSession: %v", err)
	}

	if _, err := store.SessionMember(t.Context(), id); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("SessionMember after EndSession error = %v, want db.ErrNotFound", err)
	}

	if _, err := store.SessionMember(t.Context(), other); err != nil {
		t.Errorf("other account's SessionMember after EndSession: %v, want it signed in", err)
	}

	if err := store.EndSession(t.Context(), id); err != nil {
		t.Errorf("second EndSession: %v, want nil", err)
	}
}

// TestSessionEnds moves a session's times with SQL and checks whether it still signs in.
func TestSessionEnds(t *testing.T) {
	t.Parallel()
	idle := staff.IdleTimeout.Seconds()

	tests := []struct {
		name    string
		sql     string
		arg     float64
		wantErr error
	}{
		{"idle a minute less than the timeout",
			"UPDATE staff_sessions SET last_seen_at = now() - make_interval(secs => $1)",
			idle - 60, nil},
		{"idle a minute longer than the timeout",
			"UPDATE staff_sessions SET last_seen_at = now() - make_interval(secs => $1)",
			idle + 60, db.ErrNotFound},
		{"past its expiry",
			"UPDATE staff_sessions SET expires_at = now() - make_interval(secs => $1)",
			1, db.ErrNotFound},
		{"account disabled",
			"UPDATE staff SET disabled_at = now() - make_interval(secs => $1)",
			1, db.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			store, pool := newStore(t)
			_, id := signedIn(t, store, pool, "erika@musterstadt.de")

			if _, err := pool.Exec(t.Context(), tt.sql, tt.arg); err != nil {
				t.Fatalf("move session times: %v", err)
			}

			_, err := store.SessionMember(t.Context(), id)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("SessionMember error = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestSessionMemberUnknown(t *testing.T) {
	t.Parallel()
	store, pool := newStore(t)
	_, id := signedIn(t, store, pool, "erika@musterstadt.de")

	var hash []byte
	err := pool.QueryRow(t.Context(), "SELECT id_hash FROM staff_sessions").Scan(&hash)
	if err != nil {
		t.Fatalf("read session: %v", err)
	}

	fresh, err := staff.NewSessionID()
	if err != nil {
		t.Fatalf("NewSessionID: %v", err)
	}

	tests := []struct {
		name string
		id   string
	}{
		{"empty", ""},
		{"never issued", fresh},
		{"one character more", id + "A"},
		{"the stored hash", base64.RawURLEncoding.EncodeToString(hash)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := store.SessionMember(t.Context(), tt.id)
			if !errors.Is(err, db.ErrNotFound) {
				t.Errorf("SessionMember(%q) = %+v, %v; want db.ErrNotFound", tt.id, m, err)
			}
		})
	}
}

// TestSessionMemberExtendsIdleTime uses a session shortly before its idle timeout and
// expects it to live another full idle period.
func TestSessionMemberExtendsIdleTime(t *testing.T) {
	t.Parallel()
	store, pool := newStore(t)
	_, id := signedIn(t, store, pool, "erika@musterstadt.de")
	idle := staff.IdleTimeout.Seconds()

	_, err := pool.Exec(t.Context(),
		"UPDATE staff_sessions SET last_seen_at = now() - make_interval(secs => $1)", idle-60)
	if err != nil {
		t.Fatalf("age session: %v", err)
	}

	if _, err := store.SessionMember(t.Context(), id); err != nil {
		t.Fatalf("SessionMember shortly before the idle timeout: %v", err)
	}

	var idleFor float64
	err = pool.QueryRow(t.Context(),
		"SELECT extract(epoch FROM now() - last_seen_at) FROM staff_sessions").Scan(&idleFor)
	if err != nil {
		t.Fatalf("read last_seen_at: %v", err)
	}

	if idleFor > 5 {
		t.Errorf("session idle for %.0f s after use, want last_seen_at moved to now", idleFor)
	}
}

func TestSessionLifetime(t *testing.T) {
	t.Parallel()
	store, pool := newStore(t)
	signedIn(t, store, pool, "erika@musterstadt.de")

	var lifetime float64
	err := pool.QueryRow(t.Context(),
		"SELECT extract(epoch FROM expires_at - created_at) FROM staff_sessions").Scan(&lifetime)
	if err != nil {
		t.Fatalf("read session: %v", err)
	}

	if want := staff.AbsoluteTimeout.Seconds(); lifetime < want-5 || lifetime > want+5 {
		t.Errorf("session lasts %.0f s, want %.0f s", lifetime, want)
	}
}
