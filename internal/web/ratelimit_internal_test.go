package web

import (
	"testing"
	"time"

	"github.com/anliegen/anliegen/internal/db/dbtest"
)

// TestRateLimitIsSharedBetweenInstances counts hits of one address on two
// instances: once each has added its counts, both refuse the address.
func TestRateLimitIsSharedBetweenInstances(t *testing.T) {
	pool := dbtest.New(t)
	a := NewRateLimit(pool, "test", 5, time.Hour, nil)
	b := NewRateLimit(pool, "test", 5, time.Hour, nil)
	now := time.Now()
	start := now.Truncate(time.Hour)

	for i := 0; i < 3; i++ {
		a.hit("192.0.2.1", start, now)
	}
	a.flush(start)
	for i := 0; i < 3; i++ {
		b.hit("192.0.2.1", start, now)
	}
	b.flush(start)

	if got := b.hit("192.0.2.1", start, now); got != 7 {
		t.Errorf("the second instance counts %d hits, want 7 (3 + 3 shared, 1 new)", got)
	}

	a.flush(start)
	if got := a.hit("192.0.2.1", start, now); got <= 5 {
		t.Errorf("the first instance counts %d hits after sharing, want more than 5", got)
	}

	if got := a.hit("198.51.100.7", start, now); got != 1 {
		t.Errorf("another address counts %d hits, want 1", got)
	}
}
