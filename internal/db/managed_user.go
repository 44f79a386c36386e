package db

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// systemUser is the account the server runs as when Anliegen runs as root, because
// PostgreSQL refuses to run as root.
const systemUser = "postgres"

// serverUser is the account that runs initdb, pg_ctl and the server. When self is set it is
// the current user, and nothing needs switching or chowning.
type serverUser struct {
	self   bool
	uid    uint32
	gid    uint32
	groups []uint32
	home   string
}

func serverOwner() (*serverUser, error) {
	if os.Geteuid() != 0 {
		return &serverUser{self: true}, nil
	}

	u, err := user.Lookup(systemUser)
	if err != nil {
		return nil, fmt.Errorf("look up user %s (needed to run PostgreSQL as root; "+
			"apt-get install postgresql creates it): %w", systemUser, err)
	}

	return parseServerUser(u)
}

func parseServerUser(u *user.User) (*serverUser, error) {
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("parse uid of %s: %w", u.Username, err)
	}

	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("parse gid of %s: %w", u.Username, err)
	}

	s := &serverUser{uid: uint32(uid), gid: uint32(gid), home: u.HomeDir}
	ids, err := u.GroupIds()
	if err != nil {
		return nil, fmt.Errorf("look up groups of %s: %w", u.Username, err)
	}

	for _, id := range ids {
		if g, err := strconv.ParseUint(id, 10, 32); err == nil {
			s.groups = append(s.groups, uint32(g))
		}
	}

	return s, nil
}

// ReachableByPostgres reports, as an error wrapping ErrUnreachable, the first folder on the
// way to dir that the postgres system user cannot enter. It returns nil when Anliegen does
// not run as root, because the server then runs as the current user.
func ReachableByPostgres(dir string) error {
	owner, err := serverOwner()
	if err != nil {
		return err
	}

	return owner.reach(dir)
}

// reach checks dir and each of its parents that exists; missing ones are created later.
func (u *serverUser) reach(dir string) error {
	if u.self {
		return nil
	}

	dir, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("data folder: %w", err)
	}

	for p := dir; ; p = filepath.Dir(p) {
		if err := u.enter(p, dir); err != nil {
			return err
		}

		if p == filepath.Dir(p) {
			return nil
		}
	}
}

func (u *serverUser) enter(p, dir string) error {
	fi, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}

	if err != nil {
		return fmt.Errorf("check data folder: %w", err)
	}

	if u.canEnter(fi) {
		return nil
	}

	return fmt.Errorf("%w: %s cannot enter %s (mode %04o) on the way to %s; set "+
		"ANLIEGEN_DATA_DIR to a folder such as /var/lib/anliegen", ErrUnreachable,
		systemUser, p, fi.Mode().Perm(), dir)
}

func (u *serverUser) canEnter(fi fs.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return true
	}

	perm := fi.Mode().Perm()
	switch {
	case st.Uid == u.uid:
		return perm&0o100 != 0
	case st.Gid == u.gid || slices.Contains(u.groups, st.Gid):
		return perm&0o010 != 0
	default:
		return perm&0o001 != 0
	}
}

// credential is the identity a child process switches to, nil to keep the current one.
func (u *serverUser) credential() *syscall.Credential {
	if u.self {
		return nil
	}

	return &syscall.Credential{Uid: u.uid, Gid: u.gid, Groups: u.groups}
}

// chown hands path to the server's user.
func (u *serverUser) chown(path string) error {
	if u.self {
		return nil
	}

	if err := os.Lchown(path, int(u.uid), int(u.gid)); err != nil {
		return fmt.Errorf("hand %s to %s: %w", path, systemUser, err)
	}

	return nil
}

// owns reports whether fi belongs to the server's user or to the current user.
func (u *serverUser) owns(fi fs.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return false
	}

	return st.Uid == uint32(os.Geteuid()) || (!u.self && st.Uid == u.uid)
}

// env is the environment of the server's programs: ours without libpq's PG* variables, which
// would point pg_ctl at another server, and with the server user's home.
func (u *serverUser) env() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PG") {
			continue
		}

		if !u.self && (strings.HasPrefix(kv, "HOME=") || strings.HasPrefix(kv, "USER=") ||
			strings.HasPrefix(kv, "LOGNAME=")) {
			continue
		}
		env = append(env, kv)
	}

	if !u.self {
		env = append(env, "HOME="+u.home, "USER="+systemUser, "LOGNAME="+systemUser)
	}

	return env
}
