package server

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/db/dbtest"
	"github.com/anliegen/anliegen/internal/staff"
	"github.com/anliegen/anliegen/portal"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

const (
	testAdminEmail    = "clerk@stadt.example.org"
	testAdminPassword = "correct horse battery"
	// testTOTPSecret is the test staff member's second factor, enrolled at creation.
	testTOTPSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
)

// totpCode returns the test member's code of the time step at t.
func totpCode(t *testing.T, at time.Time) string {
	t.Helper()
	code, err := staff.Code(testTOTPSecret, at)
	if err != nil {
		t.Fatalf("totp code: %v", err)
	}

	return code
}

// newService builds the whole service on a fresh database with the demo
// catalogue and one staff member.
func newService(t *testing.T) (*Service, *pgxpool.Pool) {
	t.Helper()
	return newServiceWith(t, io.Discard, testLimits())
}

func testLimits() portal.Limits {
	return portal.Limits{Lookups: 1000, Submissions: 1000, Window: time.Minute}
}

// newServiceWith is newService with the log going to logs and the given limits.
func newServiceWith(t *testing.T, logs io.Writer, limits portal.Limits) (*Service, *pgxpool.Pool) {
	t.Helper()
	pool := dbtest.New(t)
	svc := buildServiceWith(t, pool, logs, limits)
	ctx := context.Background()

	if _, err := svc.Catalog.LoadDemo(ctx); err != nil {
		t.Fatalf("load demo catalogue: %v", err)
	}

	_, err := svc.Staff.Create(ctx, staff.NewMember{
		Email: testAdminEmail, Name: "Clara Clerk", Role: staff.RoleAdmin,
		Password: testAdminPassword, TOTPSecret: testTOTPSecret,
	})
	if err != nil {
		t.Fatalf("create staff: %v", err)
	}

	return svc, pool
}

func buildService(t *testing.T, pool *pgxpool.Pool) *Service {
	t.Helper()
	return buildServiceWith(t, pool, io.Discard, testLimits())
}

func buildServiceWith(
	t *testing.T,
	pool *pgxpool.Pool,
	logs io.Writer,
	limits portal.Limits,
) *Service {
	t.Helper()
	base, _ := url.Parse("https://anliegen.example.org")
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatalf("time zone: %v", err)
	}

	svc, err := Build(context.Background(), pool, Config{
		BaseURL: base, Location: loc, Logger: slog.New(slog.NewJSONHandler(logs, nil)),
		Limits: limits,
	})
	if err != nil {
		t.Fatalf("build service: %v", err)
	}

	// As the server does with its key file: second factors are sealed.
	sealer, err := staff.NewSealer([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	svc.Staff.SealWith(sealer)

	return svc
}
