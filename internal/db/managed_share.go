package db

import (
	"context"
	"errors"
	"fmt"
	"syscall"
)

// The processes that use one cluster coordinate with flock(2) on files in its data folder.
// Each holds a shared lock on users.lock while it uses the server. Starting and stopping
// happen only under the exclusive control.lock; the process that closes last finds
// users.lock free for an exclusive lock and stops the server. The kernel drops the locks of
// a process that dies, so the next one to open simply attaches to the server it left.

// LockServe takes the data folder's serve lock, held until Close or the process ends, so
// that only one long-running Anliegen serves from a folder. It fails with ErrAlreadyServing.
func (c *Cluster) LockServe() error {
	c.mu.Lock()
	defer c.mu.Unlock()

	if c.serve != nil {
		return nil
	}

	f, err := tryLock(c.path(serveLock), syscall.LOCK_EX)
	if errors.Is(err, errLockBusy) {
		return fmt.Errorf("serve %s: %w", c.dir, ErrAlreadyServing)
	}

	if err != nil {
		return fmt.Errorf("lock serve: %w", err)
	}
	c.serve = f

	return nil
}

// Close releases this process's use of the cluster and stops the server when no other
// process uses it; ctx must still be live for the stop. Closing twice does nothing.
func (c *Cluster) Close(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()

	if c.serve != nil {
		c.serve.Close()
		c.serve = nil
	}

	if c.users == nil {
		return nil
	}

	ctl, err := lockFile(ctx, c.path(controlLock), syscall.LOCK_EX)
	c.users.Close()
	c.users = nil
	if err != nil {
		return fmt.Errorf("close cluster: %w", err)
	}
	defer ctl.Close()

	return c.stopIfUnused(ctx)
}

// stopIfUnused stops the server when no process holds a shared lock on users.lock. It opens
// the file anew: flock locks belong to the open file, so the exclusive attempt must not go
// through a descriptor that once held the shared lock.
func (c *Cluster) stopIfUnused(ctx context.Context) error {
	last, err := tryLock(c.path(usersLock), syscall.LOCK_EX)
	if errors.Is(err, errLockBusy) {
		return nil
	}

	if err != nil {
		return fmt.Errorf("close cluster: %w", err)
	}
	defer last.Close()

	if err := c.stop(ctx); err != nil {
		return fmt.Errorf("close cluster: %w", err)
	}

	return nil
}

// Stop stops the server now, whoever else uses it, as outage tests on a cluster of their
// own need; Start brings it back.
func (c *Cluster) Stop(ctx context.Context) error {
	ctl, err := lockFile(ctx, c.path(controlLock), syscall.LOCK_EX)
	if err != nil {
		return fmt.Errorf("stop cluster: %w", err)
	}
	defer ctl.Close()

	if err := c.stop(ctx); err != nil {
		return fmt.Errorf("stop cluster: %w", err)
	}

	return nil
}

// Start starts the server again after Stop; it does nothing when the server is running.
func (c *Cluster) Start(ctx context.Context) error {
	ctl, err := lockFile(ctx, c.path(controlLock), syscall.LOCK_EX)
	if err != nil {
		return fmt.Errorf("start cluster: %w", err)
	}
	defer ctl.Close()

	if err := c.ensureRunning(ctx); err != nil {
		return fmt.Errorf("start cluster: %w", err)
	}

	return nil
}
