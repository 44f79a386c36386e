package demo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

const nextTicketIDsSQL = `
SELECT nextval(pg_get_serial_sequence('tickets', 'id'))
FROM generate_series(1, $1)`

// reserveTicketIDs takes n IDs from the tickets' identity, so that messages
// and events can name their ticket before it is copied.
func reserveTicketIDs(ctx context.Context, pool *pgxpool.Pool, n int) ([]int64, error) {
	ids, err := nextValues(ctx, pool, nextTicketIDsSQL, n)
	if err != nil {
		return nil, fmt.Errorf("reserve ticket ids: %w", err)
	}

	return ids, nil
}

// createCaseSequenceSQL is followed by the quoted name of the sequence.
const createCaseSequenceSQL = `CREATE SEQUENCE IF NOT EXISTS `

const nextCaseNumbersSQL = `
SELECT nextval($2::text::regclass)
FROM generate_series(1, $1)`

// reserveCaseNumbers returns a case number for each of the ascending creation
// times, taken from the same per-year sequences as next_case_number, so that
// live submissions never get a number the demo used.
func (g *generator) reserveCaseNumbers(
	ctx context.Context,
	pool *pgxpool.Pool,
	created []time.Time,
) ([]string, error) {
	numbers := make([]string, 0, len(created))
	for start := 0; start < len(created); {
		year := created[start].Year()
		end := start
		for end < len(created) && created[end].Year() == year {
			end++
		}

		seq, err := g.caseSequence(ctx, pool, year)
		if err != nil {
			return nil, err
		}

		values, err := nextValues(ctx, pool, nextCaseNumbersSQL, end-start, seq)
		if err != nil {
			return nil, fmt.Errorf("reserve case numbers of %d: %w", year, err)
		}

		for _, v := range values {
			numbers = append(numbers, fmt.Sprintf("%d-%06d", year, v))
		}
		start = end
	}

	return numbers, nil
}

// caseSequence returns the name of the year's case number sequence, creating
// it as next_case_number does when no ticket of that year exists yet.
func (g *generator) caseSequence(
	ctx context.Context,
	pool *pgxpool.Pool,
	year int,
) (string, error) {
	seq := fmt.Sprintf("case_number_%d", year)
	if g.sequences[year] {
		return seq, nil
	}

	_, err := pool.Exec(ctx, createCaseSequenceSQL+pgx.Identifier{seq}.Sanitize())
	if err != nil && !alreadyExists(err) {
		return "", fmt.Errorf("create case number sequence of %d: %w", year, err)
	}
	g.sequences[year] = true

	return seq, nil
}

// alreadyExists reports whether a CREATE ... IF NOT EXISTS lost the race with
// another session creating the same object.
func alreadyExists(err error) bool {
	var pgErr *pgconn.PgError

	return errors.As(err, &pgErr) && (pgErr.Code == "23505" || pgErr.Code == "42P07")
}

// nextValues runs a query returning n sequence values and returns them in
// ascending order.
func nextValues(
	ctx context.Context,
	pool *pgxpool.Pool,
	query string,
	n int,
	args ...any,
) ([]int64, error) {
	rows, err := pool.Query(ctx, query, append([]any{n}, args...)...)
	if err != nil {
		return nil, err
	}

	values, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, err
	}

	if len(values) != n {
		return nil, fmt.Errorf("got %d values, want %d", len(values), n)
	}
	slices.Sort(values)

	return values, nil
}
