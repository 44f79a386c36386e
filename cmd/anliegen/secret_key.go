package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/anliegen/anliegen/internal/config"
	"github.com/anliegen/anliegen/internal/staff"
)

// secretKeyName is the key file kept in the data folder of a managed cluster.
const secretKeyName = "secret.key"

// sealSecondFactors makes the staff store seal second-factor secrets with the
// key of ANLIEGEN_SECRET_KEY_FILE, or with the key in the data folder of a
// managed cluster, made at the first start, and seals the secrets still in
// the clear. With DATABASE_URL and no key file the secrets stay in the clear,
// since a key made here would differ from that of the other instances.
func sealSecondFactors(ctx context.Context, cfg *config.Config, d *database, store *staff.Store,
	log *slog.Logger) error {
	path, create := cfg.SecretKeyFile, false
	if path == "" && d.dir != "" {
		path, create = filepath.Join(d.dir, secretKeyName), true
	}
	if path == "" {
		log.Warn("second-factor secrets are stored in the clear: " +
			"give every instance the same ANLIEGEN_SECRET_KEY_FILE")
		return nil
	}

	key, err := readSecretKey(path, create)
	if err != nil {
		return err
	}
	sealer, err := staff.NewSealer(key)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	store.SealWith(sealer)

	n, err := store.SealStoredSecrets(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		log.Info("second-factor secrets sealed", "count", n)
	}

	return nil
}

// readSecretKey reads the base64 key of the file at path; when create is set
// and there is none, it writes a new one, readable by this user only.
func readSecretKey(path string, create bool) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && create {
		return newSecretKey(path)
	}
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("secret key file %s does not exist; make one with "+
			"head -c 32 /dev/urandom | base64 > %s", path, path)
	}
	if err != nil {
		return nil, fmt.Errorf("read secret key: %w", err)
	}

	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(raw)))
	if err != nil || len(key) != staff.KeySize {
		return nil, fmt.Errorf("secret key file %s: want %d bytes in base64", path, staff.KeySize)
	}

	return key, nil
}

func newSecretKey(path string) ([]byte, error) {
	key := make([]byte, staff.KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("new secret key: %w", err)
	}

	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		// Another process made it meanwhile.
		return readSecretKey(path, false)
	}
	if err != nil {
		return nil, fmt.Errorf("write secret key: %w", err)
	}
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n"); err != nil {
		f.Close()
		return nil, fmt.Errorf("write secret key: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("write secret key: %w", err)
	}

	return key, nil
}
