package staff_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/staff"
)

const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

// clockAt is a time in the middle of a 30-second step, so that ±30 s is
// exactly one step away.
var clockAt = time.Unix(1_767_225_615, 0)

// fixedClock makes the store tell the time from *now.
func fixedClock(store *staff.Store, now *time.Time) {
	store.SetTiming(staff.Timing{Now: func() time.Time { return *now }})
}

func code(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := staff.Code(secret, at)
	if err != nil {
		t.Fatalf("Code: %v", err)
	}

	return c
}

// enrolled adds an account with the test secret as its second factor.
func enrolled(t *testing.T, pool *pgxpool.Pool, email string) staff.Member {
	t.Helper()
	m := account(t, pool, email, staff.RoleAgent)
	_, err := pool.Exec(t.Context(), "UPDATE staff SET totp_secret = $2 WHERE id = $1", m.ID,
		secret)
	if err != nil {
		t.Fatalf("enrol %s: %v", email, err)
	}

	return m
}

func challenge(t *testing.T, store *staff.Store, m staff.Member) staff.Challenge {
	t.Helper()
	ch, needed, err := store.Challenge(t.Context(), m)
	if err != nil || !needed {
		t.Fatalf("Challenge(%s) = %+v, %v, %v; want a challenge", m.Email, ch, needed, err)
	}

	return ch
}

func TestFirstSignInEnrolsSecondFactor(t *testing.T) {
	t.Parallel()
	store, pool := newStore(t)
	now := clockAt
	fixedClock(store, &now)
	m := account(t, pool, "erika@musterstadt.de", staff.RoleAgent)

	ch := challenge(t, store, m)
	if !ch.Enrol {
		t.Fatalf("challenge for an account without second factor: Enrol false, want true")
	}

	p, err := store.Pending(t.Context(), ch.ID)
	if err != nil || len(p.EnrolSecret) < 32 || p.Member.ID != m.ID {
		t.Fatalf("Pending = %+v, %v; want the member and a secret of 160 bits", p, err)
	}

	url, err := staff.TOTPURL(m.Email, p.EnrolSecret)
	if err != nil || url == "" {
		t.Fatalf("TOTPURL: %q, %v", url, err)
	}

	_, err = store.Answer(t.Context(), ch.ID, code(t, secret, now))
	if !errors.Is(err, staff.ErrWrongCode) {
		t.Errorf("Answer with a code of another secret: %v, want ErrWrongCode", err)
	}

	if has, _ := store.HasSecondFactor(t.Context(), m.ID); has {
		t.Errorf("a wrong code enrolled the secret")
	}

	got, err := store.Answer(t.Context(), ch.ID, code(t, p.EnrolSecret, now))
	if err != nil || got.ID != m.ID {
		t.Fatalf("Answer with the new secret's code = %+v, %v; want the member", got, err)
	}

	var stored string
	err = pool.QueryRow(t.Context(), "SELECT totp_secret FROM staff WHERE id = $1", m.ID).
		Scan(&stored)
	if err != nil || stored != p.EnrolSecret {
		t.Errorf("stored secret %q (%v), want the enrolled %q", stored, err, p.EnrolSecret)
	}

	if _, err := store.Pending(t.Context(), ch.ID); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("Pending after the answer: %v, want db.ErrNotFound", err)
	}

	if again := challenge(t, store, m); again.Enrol {
		t.Errorf("second sign-in asks to enrol again")
	}
}

func TestCodesWithinSkewAreAccepted(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		offset time.Duration
		want   error
	}{
		{"now", 0, nil},
		{"one step early", -30 * time.Second, nil},
		{"one step late", 30 * time.Second, nil},
		{"two steps early", -60 * time.Second, staff.ErrWrongCode},
		{"two steps late", 60 * time.Second, staff.ErrWrongCode},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			store, pool := newStore(t)
			now := clockAt
			fixedClock(store, &now)
			ch := challenge(t, store, enrolled(t, pool, "erika@musterstadt.de"))

			_, err := store.Answer(t.Context(), ch.ID, code(t, secret, now.Add(tt.offset)))
			if !errors.Is(err, tt.want) {
				t.Errorf("Answer with the code of now %+v: %v, want %v", tt.offset, err, tt.want)
			}
		})
	}
}

func TestCodeCannotBeUsedTwice(t *testing.T) {
	t.Parallel()
	store, pool := newStore(t)
	now := clockAt
	fixedClock(store, &now)
	m := enrolled(t, pool, "erika@musterstadt.de")

	steps := []struct {
		name string
		at   time.Time
		want error
	}{
		{"the current code", now, nil},
		{"the same code again", now, staff.ErrCodeUsed},
		{"the code of the step before", now.Add(-30 * time.Second), staff.ErrCodeUsed},
		{"the code of the next step", now.Add(30 * time.Second), nil},
		{"the next step's code again", now.Add(30 * time.Second), staff.ErrCodeUsed},
	}
	for _, s := range steps {
		ch := challenge(t, store, m)
		_, err := store.Answer(t.Context(), ch.ID, code(t, secret, s.at))
		if !errors.Is(err, s.want) {
			t.Errorf("%s: Answer = %v, want %v", s.name, err, s.want)
		}
	}
}

func TestCodeWithSpacesIsAccepted(t *testing.T) {
	t.Parallel()
	store, pool := newStore(t)
	now := clockAt
	fixedClock(store, &now)
	ch := challenge(t, store, enrolled(t, pool, "erika@musterstadt.de"))

	c := code(t, secret, now)
	if _, err := store.Answer(t.Context(), ch.ID, " "+c[:3]+" "+c[3:]+" "); err != nil {
		t.Errorf("Answer with the code typed as %q: %v, want it accepted", c[:3]+" "+c[3:], err)
	}
}

func TestTooManyWrongCodesEndTheSignIn(t *testing.T) {
	t.Parallel()
	store, pool := newStore(t)
	now := clockAt
	rec := &waitRecorder{}
	store.SetTiming(staff.Timing{Now: func() time.Time { return now }, Wait: rec.wait})
	m := enrolled(t, pool, "erika@musterstadt.de")
	ch := challenge(t, store, m)

	for i := 1; i <= staff.MaxCodeAttempts; i++ {
		want := staff.ErrWrongCode
		if i == staff.MaxCodeAttempts {
			want = staff.ErrTooManyCodes
		}

		if _, err := store.Answer(t.Context(), ch.ID, "000000"); !errors.Is(err, want) {
			t.Fatalf("wrong code %d: %v, want %v", i, err, want)
		}
	}

	_, err := store.Answer(t.Context(), ch.ID, code(t, secret, now))
	if !errors.Is(err, db.ErrNotFound) {
		t.Errorf("right code after too many wrong ones: %v, want db.ErrNotFound", err)
	}

	// The wrong codes count against the address, as wrong passwords do.
	_, _ = store.SignIn(t.Context(), m.Email, "irrelevant-password")
	if rec.last() != staff.FirstDelay {
		t.Errorf("sign-in after %d wrong codes waited %v, want %v", staff.MaxCodeAttempts,
			rec.last(), staff.FirstDelay)
	}
}

func TestOptionalSecondFactor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		mode       string
		enrolled   bool
		wantNeeded bool
		wantEnrol  bool
	}{
		{"required, not enrolled", staff.MFARequired, false, true, true},
		{"required, enrolled", staff.MFARequired, true, true, false},
		{"optional, not enrolled", staff.MFAOptional, false, false, false},
		{"optional, enrolled", staff.MFAOptional, true, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			store, pool := newStore(t)
			if err := store.SetMFA(tt.mode); err != nil {
				t.Fatalf("SetMFA(%q): %v", tt.mode, err)
			}

			m := account(t, pool, "erika@musterstadt.de", staff.RoleAgent)
			if tt.enrolled {
				m = enrolled(t, pool, "max@musterstadt.de")
			}

			ch, needed, err := store.Challenge(t.Context(), m)
			if err != nil || needed != tt.wantNeeded || ch.Enrol != tt.wantEnrol {
				t.Errorf("Challenge = %+v, needed %v, %v; want needed %v, enrol %v", ch, needed,
					err, tt.wantNeeded, tt.wantEnrol)
			}
		})
	}
}

func TestSetMFARefusesUnknownMode(t *testing.T) {
	t.Parallel()
	store, _ := newStore(t)
	for _, mode := range []string{"", "off", "Required", "sometimes"} {
		if err := store.SetMFA(mode); err == nil {
			t.Errorf("SetMFA(%q) = nil, want an error", mode)
		}
	}
}

func TestChallengeOfDisabledAccountEnds(t *testing.T) {
	t.Parallel()
	store, pool := newStore(t)
	now := clockAt
	fixedClock(store, &now)
	m := enrolled(t, pool, "erika@musterstadt.de")
	ch := challenge(t, store, m)

	if _, err := store.Disable(t.Context(), m.ID); err != nil {
		t.Fatalf("Disable: %v", err)
	}

	_, err := store.Answer(t.Context(), ch.ID, code(t, secret, now))
	if !errors.Is(err, db.ErrNotFound) {
		t.Errorf("Answer after the account was disabled: %v, want db.ErrNotFound", err)
	}
}

func TestChallengeExpires(t *testing.T) {
	t.Parallel()
	store, pool := newStore(t)
	ch := challenge(t, store, enrolled(t, pool, "erika@musterstadt.de"))

	_, err := pool.Exec(t.Context(),
		"UPDATE staff_sign_ins SET expires_at = now() - interval '1 second'")
	if err != nil {
		t.Fatalf("age the sign-in: %v", err)
	}

	if _, err := store.Pending(t.Context(), ch.ID); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("Pending after expiry: %v, want db.ErrNotFound", err)
	}
}

func TestDelay(t *testing.T) {
	t.Parallel()
	tests := []struct {
		failures int
		want     time.Duration
	}{
		{0, 0},
		{4, 0},
		{5, time.Second},
		{6, 2 * time.Second},
		{7, 4 * time.Second},
		{8, 8 * time.Second},
		{9, staff.MaxDelay},
		{70, staff.MaxDelay},
	}
	for _, tt := range tests {
		if got := staff.Delay(tt.failures); got != tt.want {
			t.Errorf("Delay(%d) = %v, want %v", tt.failures, got, tt.want)
		}
	}
}

// waitRecorder records the waits of a store instead of sleeping.
type waitRecorder struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (w *waitRecorder) wait(_ context.Context, d time.Duration) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.waits = append(w.waits, d)

	return nil
}

func (w *waitRecorder) last() time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()

	return w.waits[len(w.waits)-1]
}

func TestSignInSlowsDownWithoutLockingOut(t *testing.T) {
	t.Parallel()
	store, _ := newStore(t)
	rec := &waitRecorder{}
	store.SetTiming(staff.Timing{Wait: rec.wait})
	m := create(t, store, newMember("erika@musterstadt.de"))
	create(t, store, newMember("max@musterstadt.de"))
	ctx := t.Context()

	for i := range staff.FreeFailures {
		_, err := store.SignIn(ctx, m.Email, "Rathaus-Schlüssel-2025")
		if !errors.Is(err, staff.ErrBadCredentials) || rec.last() != 0 {
			t.Fatalf("wrong password %d: %v after a wait of %v, want ErrBadCredentials at once",
				i+1, err, rec.last())
		}
	}

	got, err := store.SignIn(ctx, "Erika@Musterstadt.de", password)
	if err != nil || got.ID != m.ID {
		t.Fatalf("right password after %d failures: %v, want the account", staff.FreeFailures,
			err)
	}

	if rec.last() != staff.FirstDelay {
		t.Errorf("right password after %d failures waited %v, want %v", staff.FreeFailures,
			rec.last(), staff.FirstDelay)
	}

	if _, err := store.SignIn(ctx, "max@musterstadt.de", password); err != nil || rec.last() != 0 {
		t.Errorf("another account waited %v (%v), want no wait", rec.last(), err)
	}

	_, _ = store.SignIn(ctx, m.Email, "wrong again, number six")
	_, _ = store.SignIn(ctx, m.Email, password)
	if rec.last() != 2*staff.FirstDelay {
		t.Errorf("after %d failures the wait is %v, want %v", staff.FreeFailures+1, rec.last(),
			2*staff.FirstDelay)
	}
}

// TestSignInSlowsDownUnknownAddressesAlike makes sure that the delay does not tell
// which addresses have an account.
func TestSignInSlowsDownUnknownAddressesAlike(t *testing.T) {
	t.Parallel()
	store, _ := newStore(t)
	rec := &waitRecorder{}
	store.SetTiming(staff.Timing{Wait: rec.wait})

	for range staff.FreeFailures + 1 {
		_, _ = store.SignIn(t.Context(), "niemand@musterstadt.de", password)
	}

	if rec.last() != staff.FirstDelay {
		t.Errorf("unknown address after %d failures waited %v, want %v", staff.FreeFailures,
			rec.last(), staff.FirstDelay)
	}
}

func TestOldFailuresNoLongerSlowDown(t *testing.T) {
	t.Parallel()
	store, pool := newStore(t)
	rec := &waitRecorder{}
	store.SetTiming(staff.Timing{Wait: rec.wait})
	m := create(t, store, newMember("erika@musterstadt.de"))

	for range staff.FreeFailures {
		_, _ = store.SignIn(t.Context(), m.Email, "Rathaus-Schlüssel-2025")
	}

	_, err := pool.Exec(t.Context(), "UPDATE staff_sign_in_failures "+
		"SET failed_at = now() - make_interval(secs => $1)", staff.FailureWindow.Seconds()+1)
	if err != nil {
		t.Fatalf("age failures: %v", err)
	}

	if _, err := store.SignIn(t.Context(), m.Email, password); err != nil || rec.last() != 0 {
		t.Errorf("sign-in after the window waited %v (%v), want no wait", rec.last(), err)
	}
}
