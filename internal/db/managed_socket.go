package db

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
)

// maxSocketPath keeps the socket's path within the about 107 bytes that a Unix socket
// address can hold, with a margin.
const maxSocketPath = 100

// socketDirFor returns the socket folder of the cluster in dir: dir/run when the socket's path
// fits, else a short folder in /tmp named after a hash of dir. It is derived from dir alone,
// so every process finds the same folder without asking the others.
func socketDirFor(dir string) string {
	run := filepath.Join(dir, "run")
	if len(filepath.Join(run, socketFile())) <= maxSocketPath {
		return run
	}

	sum := sha256.Sum256([]byte(dir))

	return filepath.Join("/tmp", "anliegen-"+hex.EncodeToString(sum[:4]))
}

func socketFile() string {
	return ".s.PGSQL." + strconv.Itoa(socketPort)
}

// prepareSocketDir creates the socket folder, open only to the server's user. A folder that
// already exists must be a real folder of that user or ours: in /tmp anybody could have made
// one to catch our connections.
func (c *Cluster) prepareSocketDir() error {
	fi, err := os.Lstat(c.socketDir)
	if errors.Is(err, fs.ErrNotExist) {
		err = os.Mkdir(c.socketDir, 0o700)
		if err != nil {
			return fmt.Errorf("create socket folder: %w", err)
		}

		fi, err = os.Lstat(c.socketDir)
	}

	if err != nil {
		return fmt.Errorf("check socket folder: %w", err)
	}

	if !fi.IsDir() || !c.owner.owns(fi) {
		return fmt.Errorf("socket folder %s is not a folder of this user: remove it", c.socketDir)
	}

	if err := os.Chmod(c.socketDir, 0o700); err != nil {
		return fmt.Errorf("protect socket folder: %w", err)
	}

	return c.owner.chown(c.socketDir)
}

// removeSocketDir removes the socket folder of a stopped server if it is empty, so that the
// /tmp fallback leaves nothing behind.
func (c *Cluster) removeSocketDir() {
	_ = os.Remove(c.socketDir)
}
