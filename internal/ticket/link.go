package ticket

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Relations of a ticket to another one.
const (
	RelationLinked     = "linked"      // related, linked by staff
	RelationMergedInto = "merged_into" // this ticket is a duplicate of the other
	RelationDuplicate  = "duplicate"   // the other ticket was merged into this one
)

// Related is another ticket related to one ticket.
type Related struct {
	ID         int64  `db:"id"`
	CaseNumber string `db:"case_number"`
	Subject    string `db:"subject"`
	Status     Status `db:"status"`
	TeamID     int64  `db:"team_id"`
	Relation   string `db:"relation"`
}

// relatedSQL lists the tickets linked to a ticket in either direction. A merge
// links the duplicate to its target too, so that both relations are found
// through the links' indexes; the merge target tells them apart.
const relatedSQL = `
SELECT t.id, t.case_number, t.subject, t.status, t.team_id,
	CASE WHEN t.merged_into_id = s.id THEN 'duplicate'
		WHEN t.id = s.merged_into_id THEN 'merged_into'
		ELSE 'linked' END AS relation
FROM tickets s
CROSS JOIN LATERAL (
	SELECT linked_id AS id FROM ticket_links WHERE ticket_id = s.id
	UNION
	SELECT ticket_id FROM ticket_links WHERE linked_id = s.id
) r
JOIN tickets t ON t.id = r.id
WHERE s.id = $1
ORDER BY relation, t.case_number`

// Related lists the tickets related to ticket id.
func (s *Store) Related(ctx context.Context, id int64) ([]Related, error) {
	list, err := collect[Related](ctx, s, relatedSQL, id)
	if err != nil {
		return nil, fmt.Errorf("related tickets of %d: %w", id, err)
	}

	return list, nil
}

const insertLinkSQL = `
INSERT INTO ticket_links (ticket_id, linked_id, actor_id)
VALUES (least($1::bigint, $2::bigint), greatest($1::bigint, $2::bigint), $3)
ON CONFLICT DO NOTHING`

const deleteLinkSQL = `
DELETE FROM ticket_links
WHERE ticket_id = least($1::bigint, $2::bigint)
  AND linked_id = greatest($1::bigint, $2::bigint)`

// mergedPairSQL tells whether one of two tickets was merged into the other,
// a relation that stays as long as the merge does.
const mergedPairSQL = `
SELECT EXISTS (
	SELECT 1
	FROM tickets
	WHERE (id = $1 AND merged_into_id = $2)
	   OR (id = $2 AND merged_into_id = $1))`

const caseNumberOfSQL = `
SELECT case_number
FROM tickets
WHERE id = $1`

// Link relates the ticket to otherID in both directions; each ticket records
// the other's case number. Linking twice is ErrNoChange.
func (s *Store) Link(ctx context.Context, a Action, otherID int64) error {
	err := s.locked(ctx, a, func(tx pgx.Tx, _ Status, _ string) error {
		return s.link(ctx, tx, a, otherID, insertLinkSQL, true)
	})
	if err != nil {
		return fmt.Errorf("link ticket %d to %d: %w", a.TicketID, otherID, err)
	}

	return nil
}

// Unlink removes the relation between the ticket and otherID on both sides.
func (s *Store) Unlink(ctx context.Context, a Action, otherID int64) error {
	err := s.locked(ctx, a, func(tx pgx.Tx, _ Status, _ string) error {
		return s.link(ctx, tx, a, otherID, deleteLinkSQL, false)
	})
	if err != nil {
		return fmt.Errorf("unlink ticket %d from %d: %w", a.TicketID, otherID, err)
	}

	return nil
}

// link adds or removes the pair and records a link event on both tickets: the
// other's case number as new value when linked, as old value when unlinked.
// The other ticket's version stays, so that nobody working on it meanwhile
// loses what they typed.
func (s *Store) link(
	ctx context.Context,
	tx pgx.Tx,
	a Action,
	otherID int64,
	query string,
	add bool,
) error {
	if otherID == a.TicketID {
		return ErrUnknownTarget
	}

	mine, theirs, err := caseNumbers(ctx, tx, a.TicketID, otherID)
	if err != nil {
		return err
	}

	args := []any{a.TicketID, otherID}
	if add {
		args = append(args, actor(a.ActorID))
	} else if err := notMerged(ctx, tx, a.TicketID, otherID); err != nil {
		return err
	}

	tag, err := tx.Exec(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("store link: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNoChange
	}

	if err := linkEvent(ctx, tx, a, a.TicketID, theirs, add); err != nil {
		return err
	}

	return linkEvent(ctx, tx, a, otherID, mine, add)
}

// caseNumbers returns the case numbers of a ticket and of the other one, which
// is ErrUnknownTarget when it does not exist.
func caseNumbers(ctx context.Context, tx pgx.Tx, id, otherID int64) (string, string, error) {
	var mine, theirs string
	if err := tx.QueryRow(ctx, caseNumberOfSQL, id).Scan(&mine); err != nil {
		return "", "", fmt.Errorf("read case number: %w", err)
	}

	err := tx.QueryRow(ctx, caseNumberOfSQL, otherID).Scan(&theirs)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", ErrUnknownTarget
	}
	if err != nil {
		return "", "", fmt.Errorf("read other case number: %w", err)
	}

	return mine, theirs, nil
}

// notMerged refuses to unlink a duplicate from the ticket it was merged into:
// that link lasts as long as the merge.
func notMerged(ctx context.Context, tx pgx.Tx, id, otherID int64) error {
	var merged bool
	if err := tx.QueryRow(ctx, mergedPairSQL, id, otherID).Scan(&merged); err != nil {
		return fmt.Errorf("read merge: %w", err)
	}
	if merged {
		return ErrUnknownTarget
	}

	return nil
}

func linkEvent(ctx context.Context, tx pgx.Tx, a Action, id int64, other string, add bool) error {
	before, after := "", other
	if !add {
		before, after = other, ""
	}

	_, err := tx.Exec(ctx, insertEventSQL, id, "link", actor(a.ActorID), before, after)
	if err != nil {
		return fmt.Errorf("link event: %w", err)
	}

	return nil
}
