package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/config"
)

const (
	// loadCodes is how many tracking codes the track scenario picks from.
	loadCodes = 100_000

	// loadService is the service the submit scenario files requests with: it
	// takes anonymous requests, so no contact data has to be made up.
	loadService = "illegale-ablagerung"

	// loadTimeout bounds one request; a slower answer counts as no answer.
	loadTimeout = 30 * time.Second

	// noAnswer labels requests that got no HTTP answer at all.
	noAnswer = "no answer"
)

// csrfInput finds the token in the hidden input of a form.
var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// loadOptions say what a load run drives and for how long.
type loadOptions struct {
	Scenario    string
	Connections int
	Duration    time.Duration
	Warmup      time.Duration
	// ServerPID is the server's process on this machine, whose CPU time and
	// memory are then measured too; 0 measures only the client and database.
	ServerPID int
	// Backoffice is the base URL of the back office the staff scenarios drive.
	Backoffice string
	// As is the e-mail address of the staff member they work as; "" picks the
	// team lead of the fullest team.
	As string
}

// loadFlags are the options of anliegen load besides the common configuration.
type loadFlags struct {
	opts   loadOptions
	url    string
	common []string
}

// loadResult is what a load run measured. Requests, Successes, Errors and
// Latencies count only the requests begun after the warm-up; Accepted counts
// the successes of the whole run, which is what the database must show.
type loadResult struct {
	Requests      int
	Successes     int
	Errors        map[string]int
	Elapsed       time.Duration
	Latencies     []time.Duration
	Accepted      int
	TicketsBefore int64
	TicketsAfter  int64
	CPU           cpuUse
}

// shot sends one request and returns "" for a success, or the label of the
// failure.
type shot func() string

// loadCmd drives a running server over HTTP and prints its throughput and
// latencies: anliegen load --scenario track|submit [--url U] [options].
func loadCmd(ctx context.Context, args []string, e env) error {
	flags, err := parseLoadFlags(args, e)
	if err != nil {
		return err
	}

	return withDatabase(ctx, "anliegen load", flags.common, e, func(_ *config.Config, d *database) error {
		_, err := runLoad(ctx, flags.url, d.pool, flags.opts, e.stdout)
		return err
	})
}

func parseLoadFlags(args []string, e env) (loadFlags, error) {
	var f loadFlags
	fs := flag.NewFlagSet("anliegen load", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&f.opts.Scenario, "scenario", "",
		"what to drive: track or submit on the portal, open311-list or open311-request on "+
			"its API, queue, search or ticket on the back office (required)")
	fs.StringVar(&f.url, "url", "http://127.0.0.1:8080", "base URL of the running portal")
	fs.StringVar(&f.opts.Backoffice, "backoffice-url", "http://127.0.0.1:8081",
		"base URL of the running back office, for queue, search and ticket")
	fs.StringVar(&f.opts.As, "as", "", "e-mail address of the staff member queue, search "+
		"and ticket work as; default the team lead of the team with the most tickets")
	fs.IntVar(&f.opts.Connections, "connections", 64, "concurrent connections, 1 to 10000")
	fs.DurationVar(&f.opts.Duration, "duration", 30*time.Second, "how long to measure")
	fs.DurationVar(&f.opts.Warmup, "warmup", 5*time.Second, "load before measuring, not counted")
	fs.IntVar(&f.opts.ServerPID, "server-pid", 0,
		"process ID of the server on this machine, to measure its CPU time and memory")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: anliegen load --scenario track|submit|queue|search|ticket "+
			"[--url U] [--backoffice-url U] [--as E] "+
			"[--connections N] [--duration D] [--warmup D] [--server-pid P] [options]")
		fs.PrintDefaults()
		config.Usage(e.stderr, "anliegen")
	}

	// The common flags are parsed later; asked for help, show this command's.
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			fs.Usage()
			return f, flag.ErrHelp
		}
	}

	rest, common := splitArgs(args, fs)
	if err := fs.Parse(rest); err != nil {
		return f, err
	}
	f.common = common

	return f, checkLoadFlags(f)
}

func checkLoadFlags(f loadFlags) error {
	if f.opts.Scenario != "track" && f.opts.Scenario != "submit" &&
		!open311Scenario(f.opts.Scenario) && !staffScenario(f.opts.Scenario) {
		return fmt.Errorf("load: --scenario must be track, submit, open311-list, "+
			"open311-request, queue, search or ticket, got %q", f.opts.Scenario)
	}

	if f.opts.Connections < 1 || f.opts.Connections > 10_000 {
		return fmt.Errorf("load: --connections must be between 1 and 10000, got %d",
			f.opts.Connections)
	}

	if f.opts.Duration <= 0 || f.opts.Warmup < 0 {
		return errors.New("load: --duration must be positive and --warmup not negative")
	}

	urls := map[string]string{"--url": f.url, "--backoffice-url": f.opts.Backoffice}
	for flag, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("load: %s must be an http or https URL, got %q", flag, raw)
		}
	}

	return nil
}

// runLoad drives the portal at base with the scenario of opts and writes the
// report to out. The database behind pool is the server's: the track scenario
// takes its codes from it, the submit scenario checks that every accepted
// request was committed to it.
func runLoad(
	ctx context.Context,
	base string,
	pool *pgxpool.Pool,
	opts loadOptions,
	out io.Writer,
) (loadResult, error) {
	base = strings.TrimRight(base, "/")
	if staffScenario(opts.Scenario) {
		base = strings.TrimRight(opts.Backoffice, "/")
	}

	transport := &http.Transport{
		MaxIdleConns:        opts.Connections,
		MaxIdleConnsPerHost: opts.Connections,
		IdleConnTimeout:     time.Minute,
	}
	defer transport.CloseIdleConnections()

	if err := checkHealth(base, transport); err != nil {
		return loadResult{}, err
	}

	switch {
	case open311Scenario(opts.Scenario):
		return runOpen311(ctx, base, pool, transport, opts, out)
	case opts.Scenario == "submit":
		return runSubmit(ctx, base, pool, transport, opts, out)
	case staffScenario(opts.Scenario):
		return runStaff(ctx, base, pool, opts, out)
	}

	return runTrack(ctx, base, pool, transport, opts, out)
}

func checkHealth(base string, transport http.RoundTripper) error {
	client := newLoadClient(transport, nil)
	resp, err := client.Get(base + "/healthz")
	if err != nil {
		return fmt.Errorf("load: reach the server: %w", err)
	}
	drain(resp)

	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("load: %s/healthz answered %s", base, resp.Status)
	}

	return nil
}

func runTrack(
	ctx context.Context,
	base string,
	pool *pgxpool.Pool,
	transport http.RoundTripper,
	opts loadOptions,
	out io.Writer,
) (loadResult, error) {
	codes, err := sampleCodes(ctx, pool)
	if err != nil {
		return loadResult{}, err
	}

	client, err := newFastClient(base, opts.Connections)
	if err != nil {
		return loadResult{}, err
	}

	res, err := drive(ctx, opts, pool, func() (shot, error) {
		return newGetShot(client, func() string {
			return base + "/t/" + codes[rand.IntN(len(codes))]
		}, nil), nil
	})
	if err != nil {
		return res, err
	}

	fmt.Fprintf(out, "Picked %d tracking codes at random from the database.\n", len(codes))
	printLoad(out, base, opts, res)

	return res, nil
}

const sampleCodesSQL = `
SELECT tracking_code
FROM tickets TABLESAMPLE SYSTEM ($1)
ORDER BY random()
LIMIT $2`

const estimateTicketsSQL = `
SELECT reltuples::bigint
FROM pg_class
WHERE oid = 'tickets'::regclass`

// sampleCodes returns up to loadCodes tracking codes at random.
func sampleCodes(ctx context.Context, pool *pgxpool.Pool) ([]string, error) {
	codes, err := sampleBy(ctx, pool, sampleCodesSQL, 150)
	if err == nil && len(codes) == 0 {
		err = errors.New("load: no tickets to track; load some with anliegen demo")
	}

	return codes, err
}

// sampleBy returns up to loadCodes tracking codes at random by query, which
// takes the share of the table's pages to sample and the number to return. It
// samples oversample times more pages than loadCodes needs, so that a million
// tickets are not all read and sorted, yet enough rows pass query's filter.
func sampleBy(
	ctx context.Context,
	pool *pgxpool.Pool,
	query string,
	oversample float64,
) ([]string, error) {
	var estimate int64
	if err := pool.QueryRow(ctx, estimateTicketsSQL).Scan(&estimate); err != nil {
		return nil, fmt.Errorf("estimate tickets: %w", err)
	}

	// A table never analysed estimates -1: sample all of it.
	percent := 100.0
	if estimate > 0 {
		percent = min(100, oversample*float64(loadCodes)/float64(estimate))
	}

	rows, err := pool.Query(ctx, query, percent, loadCodes)
	if err != nil {
		return nil, fmt.Errorf("sample tracking codes: %w", err)
	}

	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("sample tracking codes: %w", err)
	}

	return codes, nil
}

func runSubmit(
	ctx context.Context,
	base string,
	pool *pgxpool.Pool,
	transport http.RoundTripper,
	opts loadOptions,
	out io.Writer,
) (loadResult, error) {
	before, err := countTickets(ctx, pool)
	if err != nil {
		return loadResult{}, err
	}

	res, err := drive(ctx, opts, pool, func() (shot, error) {
		return newSubmitShot(base, transport)
	})
	if err != nil {
		return res, err
	}

	// The command's own context may be cancelled by now; the count must still
	// be taken for the report to mean anything.
	countCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()

	after, err := countTickets(countCtx, pool)
	if err != nil {
		return res, err
	}
	res.TicketsBefore, res.TicketsAfter = before, after

	printLoad(out, base, opts, res)

	return res, nil
}

const countTicketsSQL = `
SELECT count(*)
FROM tickets`

func countTickets(ctx context.Context, pool *pgxpool.Pool) (int64, error) {
	var n int64
	if err := pool.QueryRow(ctx, countTicketsSQL).Scan(&n); err != nil {
		return 0, fmt.Errorf("count tickets: %w", err)
	}

	return n, nil
}

// newSubmitShot opens the form as a citizen would, keeping its cookies and
// CSRF token, and returns a shot that submits it.
func newSubmitShot(base string, transport http.RoundTripper) (shot, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, fmt.Errorf("load: cookie jar: %w", err)
	}

	client := newLoadClient(transport, jar)
	form := base + "/services/" + loadService
	token, err := csrfToken(client, form)
	if err != nil {
		return nil, err
	}

	body := url.Values{
		"_csrf":               {token},
		"field_location_text": {"Parkplatz hinter der Schwimmhalle"},
		"field_kind":          {"sperrmuell"},
		"field_description":   {"Lastprobe: ein Sofa und zwei Matratzen."},
	}.Encode()

	return func() string {
		resp, err := client.Post(form, "application/x-www-form-urlencoded",
			strings.NewReader(body))
		return outcome(resp, err, http.StatusSeeOther, "/confirmation/")
	}, nil
}

func csrfToken(client *http.Client, form string) (string, error) {
	resp, err := client.Get(form)
	if err != nil {
		return "", fmt.Errorf("load: open the form: %w", err)
	}
	defer resp.Body.Close()

	page, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", fmt.Errorf("load: read the form: %w", err)
	}

	m := csrfInput.FindSubmatch(page)
	if resp.StatusCode != http.StatusOK || m == nil {
		return "", fmt.Errorf("load: %s answered %s without a form token", form, resp.Status)
	}

	return string(m[1]), nil
}

// newLoadClient returns a client on the shared transport that follows no
// redirects, since a redirect is the answer being measured.
func newLoadClient(transport http.RoundTripper, jar http.CookieJar) *http.Client {
	return &http.Client{
		Transport: transport,
		Jar:       jar,
		Timeout:   loadTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// outcome reads the answer to its end, so the connection is kept, and judges
// it: a success has the wanted status and, when given, a Location that starts
// with location.
func outcome(resp *http.Response, err error, want int, location string) string {
	if err != nil {
		return noAnswer
	}
	drain(resp)

	if resp.StatusCode != want {
		return fmt.Sprintf("status %d", resp.StatusCode)
	}

	if location != "" && !strings.HasPrefix(resp.Header.Get("Location"), location) {
		return fmt.Sprintf("status %d elsewhere", resp.StatusCode)
	}

	return ""
}

func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// tally is what one connection saw.
type tally struct {
	accepted  int
	successes int
	errors    map[string]int
	latencies []time.Duration
}

// drive gives each connection a shot made by newShot and fires them until the
// warm-up and the duration have passed, or ctx ends. A request begun in time
// is let finish, so that a submission is never cut off between the server's
// commit and its answer.
func drive(
	ctx context.Context,
	opts loadOptions,
	pool *pgxpool.Pool,
	newShot func() (shot, error),
) (loadResult, error) {
	shots := make([]shot, opts.Connections)
	for i := range shots {
		var err error
		if shots[i], err = newShot(); err != nil {
			return loadResult{}, err
		}
	}

	from := time.Now().Add(opts.Warmup)
	end := from.Add(opts.Duration)
	tallies := make([]tally, len(shots))

	var wg sync.WaitGroup
	for i, s := range shots {
		wg.Go(func() { tallies[i] = fire(ctx, s, from, end) })
	}

	m := newMeter(opts.ServerPID, pool)
	select {
	case <-time.After(time.Until(from)):
	case <-ctx.Done():
	}
	m.begin(ctx)
	wg.Wait()

	res := merge(tallies, max(0, time.Since(from)))
	res.CPU = m.end()

	return res, nil
}

func fire(ctx context.Context, s shot, from, end time.Time) tally {
	t := tally{errors: map[string]int{}, latencies: make([]time.Duration, 0, 1<<14)}
	for ctx.Err() == nil {
		began := time.Now()
		if !began.Before(end) {
			break
		}

		failure := s()
		took := time.Since(began)
		if failure == "" {
			t.accepted++
		}
		if began.Before(from) {
			continue
		}

		t.latencies = append(t.latencies, took)
		if failure == "" {
			t.successes++
		} else {
			t.errors[failure]++
		}
	}

	return t
}

func merge(tallies []tally, elapsed time.Duration) loadResult {
	res := loadResult{Errors: map[string]int{}, Elapsed: elapsed}
	for _, t := range tallies {
		res.Accepted += t.accepted
		res.Successes += t.successes
		res.Latencies = append(res.Latencies, t.latencies...)
		for label, n := range t.errors {
			res.Errors[label] += n
		}
	}

	slices.Sort(res.Latencies)
	res.Requests = len(res.Latencies)

	return res
}

// errorCount is the number of measured requests that failed.
func (r loadResult) errorCount() int {
	return r.Requests - r.Successes
}

// perSecond is the rate of measured successes.
func (r loadResult) perSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}

	return float64(r.Successes) / r.Elapsed.Seconds()
}

// percentile is the latency that p per cent of the measured requests stayed
// within, by nearest rank, or zero when none was measured.
func (r loadResult) percentile(p float64) time.Duration {
	n := len(r.Latencies)
	if n == 0 {
		return 0
	}

	rank := int(math.Ceil(float64(n)*p/100)) - 1

	return r.Latencies[min(max(rank, 0), n-1)]
}

func printLoad(out io.Writer, base string, opts loadOptions, r loadResult) {
	fmt.Fprintf(out, "scenario      %s against %s\n", opts.Scenario, base)
	fmt.Fprintf(out, "connections   %d\n", opts.Connections)
	fmt.Fprintf(out, "duration      %s measured after a warm-up of %s\n",
		r.Elapsed.Round(time.Millisecond), opts.Warmup)
	fmt.Fprintf(out, "requests      %d\n", r.Requests)
	fmt.Fprintf(out, "successes     %d\n", r.Successes)
	fmt.Fprintf(out, "errors        %d\n", r.errorCount())
	for _, label := range slices.Sorted(maps.Keys(r.Errors)) {
		fmt.Fprintf(out, "  %-11s %d\n", label, r.Errors[label])
	}
	fmt.Fprintf(out, "requests/s    %.1f\n", r.perSecond())
	fmt.Fprintf(out, "latency       p50 %s  p90 %s  p95 %s  p99 %s  max %s\n",
		millis(r.percentile(50)), millis(r.percentile(90)), millis(r.percentile(95)),
		millis(r.percentile(99)), millis(r.percentile(100)))

	if opts.Scenario == "submit" {
		printCommitted(out, r)
	}

	printCPU(out, r.Requests, r.CPU)
	if r.CPU.ServerRSS < 0 {
		fmt.Fprintln(out, "server memory not measured here; give --server-pid, or read it on "+
			"the server's machine with ps -o rss= -p <pid> (KiB)")
	}
}

// printCommitted compares the new tickets with the accepted submissions of the
// whole run, warm-up included, since every one of them was committed.
func printCommitted(out io.Writer, r loadResult) {
	added := r.TicketsAfter - r.TicketsBefore
	verdict := "every accepted one committed"
	if added != int64(r.Accepted) {
		verdict = "MISMATCH: not every accepted one is in the database, or others were added"
	}

	fmt.Fprintf(out, "tickets       %d before, %d after: %d new\n",
		r.TicketsBefore, r.TicketsAfter, added)
	fmt.Fprintf(out, "accepted      %d answers 303, warm-up included: %s\n", r.Accepted, verdict)
}

func millis(d time.Duration) string {
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}
