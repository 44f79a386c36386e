package db

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// lockPoll is how often lockFile retries a lock that another process holds.
const lockPoll = 25 * time.Millisecond

// errLockBusy reports that another open file holds a conflicting lock.
var errLockBusy = errors.New("lock held elsewhere")

// lockFile opens path and takes a flock of kind how (LOCK_SH or LOCK_EX) on it, waiting until
// it is free or ctx ends. Closing the returned file releases the lock.
func lockFile(ctx context.Context, path string, how int) (*os.File, error) {
	for {
		f, err := tryLock(path, how)
		if !errors.Is(err, errLockBusy) {
			return f, err
		}

		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("wait for lock %s: %w", path, ctx.Err())
		case <-time.After(lockPoll):
		}
	}
}

// tryLock opens path and takes a flock of kind how without waiting. It fails with errLockBusy
// when another open file holds a conflicting lock. The file is opened close-on-exec, so the
// server processes started later never inherit the lock.
func tryLock(path string, how int) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}

	err = syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
	if err == nil {
		return f, nil
	}
	f.Close()

	if errors.Is(err, syscall.EWOULDBLOCK) {
		return nil, errLockBusy
	}

	return nil, fmt.Errorf("lock %s: %w", path, err)
}
