package catalog

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"

	"github.com/anliegen/anliegen/internal/db"
)

// sharedServices keeps services as they were last read, each with the version
// of its row, so that the portal's form and every submission ask the database
// only whether the service changed instead of reading and decoding its form
// anew. The version is the row's xmin, the transaction that wrote it: any
// change of the row, by whatever means, gives it a new one.
type sharedServices struct {
	mu   sync.RWMutex
	byID map[int64]versionedService
}

type versionedService struct {
	Service
	RowVersion int64 `db:"row_version"`
}

const rowVersionSQL = `
SELECT id, xmin::text::bigint
FROM services
WHERE code = $1
  AND active`

const versionedServiceSQL = `
SELECT ` + serviceColumns + `, xmin::text::bigint AS row_version
FROM services
WHERE id = $1`

// SharedServiceByCode returns an active service like ServiceByCode, always as
// it is now, but shares it with other callers: its maps and slices must not be
// changed.
func (s *Store) SharedServiceByCode(ctx context.Context, code string) (Service, error) {
	var id, version int64
	err := s.pool.QueryRow(ctx, rowVersionSQL, code).Scan(&id, &version)
	if errors.Is(err, pgx.ErrNoRows) {
		return Service{}, fmt.Errorf("get service %s: %w", code, db.ErrNotFound)
	}
	if err != nil {
		return Service{}, fmt.Errorf("get service %s: %w", code, err)
	}

	s.shared.mu.RLock()
	kept, ok := s.shared.byID[id]
	s.shared.mu.RUnlock()
	if ok && kept.RowVersion == version {
		return kept.Service, nil
	}

	rows, err := s.pool.Query(ctx, versionedServiceSQL, id)
	if err != nil {
		return Service{}, fmt.Errorf("get service %s: %w", code, err)
	}
	read, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[versionedService])
	if errors.Is(err, pgx.ErrNoRows) {
		return Service{}, fmt.Errorf("get service %s: %w", code, db.ErrNotFound)
	}
	if err != nil {
		return Service{}, fmt.Errorf("get service %s: %w", code, err)
	}
	if !read.Active || read.Code != code {
		// Changed between the two reads: as if it had been so before.
		return Service{}, fmt.Errorf("get service %s: %w", code, db.ErrNotFound)
	}

	s.shared.mu.Lock()
	if s.shared.byID == nil {
		s.shared.byID = map[int64]versionedService{}
	}
	s.shared.byID[id] = read
	s.shared.mu.Unlock()

	return read.Service, nil
}
