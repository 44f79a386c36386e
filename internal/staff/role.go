package staff

import (
	"context"
	"fmt"
)

const setRoleSQL = `
UPDATE staff
SET role = $2
WHERE id = $1`

// SetRole gives an account another role, in force from its next request;
// db.ErrNotFound when there is no such account.
func (s *Store) SetRole(ctx context.Context, id int64, role string) error {
	if !ValidRole(role) {
		return fmt.Errorf("set role of staff %d: unknown role %q", id, role)
	}

	return s.exec(ctx, "set role of", setRoleSQL, id, role)
}
