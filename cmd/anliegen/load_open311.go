package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/tracking"
)

// The Open311 scenarios: the request list as data tools read it (the first
// page of 50 of the default 90 days), and single requests as apps poll them.
const (
	scenarioOpen311List    = "open311-list"
	scenarioOpen311Request = "open311-request"
)

// open311ListPath is the list request of the list scenario.
const open311ListPath = "/open311/v2/requests.json?page_size=50"

func open311Scenario(name string) bool {
	return name == scenarioOpen311List || name == scenarioOpen311Request
}

// runOpen311 drives one of the Open311 scenarios and adds the 95th percentile,
// which the API's targets are set in, to the report.
func runOpen311(
	ctx context.Context,
	base string,
	pool *pgxpool.Pool,
	transport http.RoundTripper,
	opts loadOptions,
	out io.Writer,
) (loadResult, error) {
	client := newLoadClient(transport, nil)
	next := func() string { return base + open311ListPath }
	note := "Read the first page of 50 requests of the last 90 days."

	if opts.Scenario == scenarioOpen311Request {
		codes, err := samplePublicCodes(ctx, pool)
		if err != nil {
			return loadResult{}, err
		}
		next = func() string {
			return base + "/open311/v2/requests/" + codes[rand.IntN(len(codes))] + ".json"
		}
		note = fmt.Sprintf("Picked %d requests of public services at random from the database.",
			len(codes))
	}

	res, err := drive(ctx, opts, pool, func() (shot, error) {
		return func() string {
			resp, err := client.Get(next())
			return outcome(resp, err, http.StatusOK, "")
		}, nil
	})
	if err != nil {
		return res, err
	}

	fmt.Fprintln(out, note)
	printLoad(out, base, opts, res)
	fmt.Fprintf(out, "latency p95   %s\n", millis(res.percentile(95)))

	return res, nil
}

const samplePublicCodesSQL = `
SELECT t.tracking_code
FROM tickets t TABLESAMPLE SYSTEM ($1)
JOIN services s ON s.id = t.service_id
WHERE s.is_public
ORDER BY random()
LIMIT $2`

// samplePublicCodes returns up to loadCodes tracking codes of public services'
// tickets at random, in the grouped form the API answers.
func samplePublicCodes(ctx context.Context, pool *pgxpool.Pool) ([]string, error) {
	raw, err := sampleBy(ctx, pool, samplePublicCodesSQL, 200)
	if err != nil {
		return nil, err
	}

	codes := make([]string, 0, len(raw))
	for _, r := range raw {
		code, err := tracking.ParseCode(r)
		if err != nil {
			return nil, fmt.Errorf("sample tracking codes: %w", err)
		}
		codes = append(codes, code.String())
	}

	if len(codes) == 0 {
		return nil, errors.New("load: no requests of public services; load some with " +
			"anliegen demo")
	}

	return codes, nil
}
