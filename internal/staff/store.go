package staff

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/db"
)

// Roles of staff accounts.
const (
	RoleAgent      = "agent"
	RoleTeamLead   = "team_lead"
	RoleAdmin      = "admin"
	RoleStatistics = "statistics"
)

// ValidRole reports whether r is a known role.
func ValidRole(r string) bool {
	switch r {
	case RoleAgent, RoleTeamLead, RoleAdmin, RoleStatistics:
		return true
	}

	return false
}

// ErrBadCredentials is returned for a sign-in with an unknown e-mail address, a
// wrong password or a disabled account alike, so the answer reveals nothing.
var ErrBadCredentials = errors.New("bad credentials")

// Member is a staff account.
type Member struct {
	ID       int64      `db:"id"`
	Email    string     `db:"email"`
	Name     string     `db:"name"`
	Role     string     `db:"role"`
	Language string     `db:"language"`
	Disabled *time.Time `db:"disabled_at"`
	// MustChangePassword is set while the member still has the password an
	// administrator gave them.
	MustChangePassword bool `db:"must_change_password"`
}

// Store reads and writes staff accounts and their sessions.
type Store struct {
	pool   *pgxpool.Pool
	mfa    string
	timing Timing
	sealer *Sealer // seals second-factor secrets; nil keeps them in the clear
}

// NewStore returns a staff store on pool that requires a second factor and
// runs on the wall clock.
func NewStore(pool *pgxpool.Pool) *Store {
	return &Store{pool: pool, mfa: MFARequired, timing: wallClock()}
}

// NewMember is what creating an account needs.
type NewMember struct {
	Email    string
	Name     string
	Role     string
	Password string
	Language string
	// TOTPSecret enrols the second factor at once when set, as a base32 secret;
	// empty lets the member enrol at the first sign-in.
	TOTPSecret string
	// MustChangePassword makes the member replace the password at the first
	// sign-in, for one an administrator chose.
	MustChangePassword bool
}

const insertMemberSQL = `
INSERT INTO staff (email, name, role, password_hash, language, totp_secret,
                   must_change_password)
VALUES (@email, @name, @role, @password_hash, @language, NULLIF(@totp_secret, ''),
        @must_change)
RETURNING id, email, name, role, language, disabled_at, must_change_password`

// Create stores a new account with its password hashed; db.ErrConflict when the
// e-mail address is taken.
func (s *Store) Create(ctx context.Context, n NewMember) (Member, error) {
	n.Email = strings.TrimSpace(n.Email)
	n.Name = strings.TrimSpace(n.Name)
	if !catalog.ValidEmail(n.Email) {
		return Member{}, fmt.Errorf("create staff: %q is not an e-mail address", n.Email)
	}

	if n.Name == "" || utf8.RuneCountInString(n.Name) > 200 || !catalog.CleanText(n.Name, false) {
		return Member{}, errors.New("create staff: the name must have 1 to 200 characters")
	}

	if !ValidRole(n.Role) {
		return Member{}, fmt.Errorf("create staff: unknown role %q", n.Role)
	}

	if n.Language == "" {
		n.Language = "de"
	}

	secret, err := cleanSecret(n.TOTPSecret)
	if err != nil {
		return Member{}, fmt.Errorf("create staff: %w", err)
	}
	if secret, err = s.sealer.seal(secret); err != nil {
		return Member{}, fmt.Errorf("create staff: %w", err)
	}

	hash, err := HashPassword(n.Password)
	if err != nil {
		return Member{}, fmt.Errorf("create staff: %w", err)
	}

	rows, err := s.pool.Query(ctx, insertMemberSQL, pgx.NamedArgs{
		"email": n.Email, "name": n.Name, "role": n.Role, "password_hash": hash,
		"language": n.Language, "totp_secret": secret, "must_change": n.MustChangePassword,
	})
	if err != nil {
		return Member{}, fmt.Errorf("create staff: %w", err)
	}

	m, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Member])
	if db.IsUniqueViolation(err) {
		return Member{}, fmt.Errorf("create staff %s: %w", n.Email, db.ErrConflict)
	}
	if err != nil {
		return Member{}, fmt.Errorf("create staff: %w", err)
	}

	return m, nil
}

const memberByEmailSQL = `
SELECT id, email, name, role, language, disabled_at, password_hash
FROM staff
WHERE lower(email) = lower($1)`

// dummyHash is verified against when no account exists, so that a sign-in for
// an unknown address takes as long as one for a known address.
const dummyHash = "$argon2id$v=19$m=65536,t=3,p=2$c2FsdHNhbHRzYWx0c2FsdA$" +
	"2bS3GQ8n1oGmJvYqGm6xk0Lh5v7+Gkq0ZbV1eQh6a1c"

// Authenticate checks an e-mail address and password and returns the account.
func (s *Store) Authenticate(ctx context.Context, email, password string) (Member, error) {
	var m Member
	var hash string
	err := s.pool.QueryRow(ctx, memberByEmailSQL, strings.TrimSpace(email)).Scan(
		&m.ID, &m.Email, &m.Name, &m.Role, &m.Language, &m.Disabled, &hash)
	if errors.Is(err, pgx.ErrNoRows) {
		_, _ = VerifyPassword(dummyHash, password)
		return Member{}, ErrBadCredentials
	}
	if err != nil {
		return Member{}, fmt.Errorf("authenticate: %w", err)
	}

	ok, err := VerifyPassword(hash, password)
	if err != nil {
		return Member{}, fmt.Errorf("authenticate staff %d: %w", m.ID, err)
	}

	if !ok || m.Disabled != nil {
		return Member{}, ErrBadCredentials
	}

	return m, nil
}

const countAdminsSQL = `
SELECT count(*)
FROM staff
WHERE role = 'admin'`

// HasAdmin reports whether at least one administrator exists.
func (s *Store) HasAdmin(ctx context.Context) (bool, error) {
	var n int
	if err := s.pool.QueryRow(ctx, countAdminsSQL).Scan(&n); err != nil {
		return false, fmt.Errorf("count administrators: %w", err)
	}

	return n > 0, nil
}
