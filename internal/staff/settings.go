package staff

import (
	"context"
	"fmt"
	"time"
)

// Modes of the second factor for an installation.
const (
	// MFARequired asks every member for a code and makes those without a
	// second factor enrol one at their next sign-in.
	MFARequired = "required"
	// MFAOptional asks only members who enrolled a second factor, for
	// installations whose single sign-on enforces one of its own.
	MFAOptional = "optional"
)

// ValidMFAMode reports whether mode is MFARequired or MFAOptional.
func ValidMFAMode(mode string) bool {
	return mode == MFARequired || mode == MFAOptional
}

// SetMFA sets the mode of the second factor; call it before the store is used.
func (s *Store) SetMFA(mode string) error {
	if !ValidMFAMode(mode) {
		return fmt.Errorf("staff second factor: unknown mode %q", mode)
	}

	s.mfa = mode

	return nil
}

// Timing is how the store tells the time for codes and waits out the slow-down
// of repeated failed sign-ins; tests replace both so that they neither sleep nor
// depend on the wall clock.
type Timing struct {
	Now  func() time.Time
	Wait func(ctx context.Context, d time.Duration) error
}

// SetTiming replaces the clock and the wait, each only when set; call it before
// the store is used.
func (s *Store) SetTiming(t Timing) {
	if t.Now != nil {
		s.timing.Now = t.Now
	}

	if t.Wait != nil {
		s.timing.Wait = t.Wait
	}
}

func wallClock() Timing {
	return Timing{Now: time.Now, Wait: sleep}
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}

	t := time.NewTimer(d)
	defer t.Stop()

	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("wait out sign-in delay: %w", ctx.Err())
	}
}
