// Package browsertest drives Debian's Chromium against a Fiber app served on
// a real loopback listener, for tests that need a browser: accessibility
// checks with axe-core, page structure, keyboard use. It is used only from
// tests.
//
// Chromium and axe-core come from .ci/install-browser-tests. Without them a
// test is skipped on a developer's machine and fails in CI (CI=true), so CI
// can never pass by skipping.
package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/gofiber/fiber/v2"
)

const (
	defaultChromium = "/usr/bin/chromium"
	axeRelPath      = ".ci/node/node_modules/axe-core/axe.min.js"
	installHint     = "run .ci/install-browser-tests"

	// testTimeout bounds all browser work of one test, so that a hung page
	// fails the test with a clear error instead of the whole run timing out.
	testTimeout = 5 * time.Minute
)

// Start serves app on a fresh listener at 127.0.0.1 and returns its base URL,
// such as http://127.0.0.1:43127. The app is shut down when the test ends.
func Start(t testing.TB, app *fiber.App) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen on 127.0.0.1: %v", err)
	}

	done := make(chan error, 1)
	go func() { done <- app.Listener(ln) }()

	t.Cleanup(func() {
		if err := app.ShutdownWithTimeout(5 * time.Second); err != nil {
			t.Errorf("shut down test server: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("test server: %v", err)
		}
	})

	return "http://" + ln.Addr().String()
}

// requestLog keeps the URLs that the page requested since the last check.
type requestLog struct {
	mu   sync.Mutex
	urls []string
}

func (l *requestLog) add(u string) {
	l.mu.Lock()
	l.urls = append(l.urls, u)
	l.mu.Unlock()
}

func (l *requestLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	urls := l.urls
	l.urls = nil

	return urls
}

type requestLogKey struct{}

// NewBrowser starts a headless Chromium with one tab and returns its chromedp
// context; the browser is closed when the test ends. The tab records every
// request it makes, for CheckStructure. Chromium is /usr/bin/chromium or the
// path in CHROMIUM. When Chromium or axe-core is missing, the test is skipped,
// or fails if CI is "true".
func NewBrowser(t testing.TB) context.Context {
	t.Helper()
	path := os.Getenv("CHROMIUM")
	if path == "" {
		path = defaultChromium
	}
	if _, err := os.Stat(path); err != nil {
		missing(t, "Chromium (%s, or set CHROMIUM): %v", path, err)
	}
	if _, err := os.Stat(axePath(t)); err != nil {
		missing(t, "axe-core (%s, or set AXE_CORE_JS): %v", axePath(t), err)
	}

	// The network flags keep Chromium from calling home: this machine has no
	// internet, and Chromium would otherwise flood it with refused connections.
	// chromedp gives each browser a fresh --user-data-dir and removes it after,
	// and adds --no-sandbox when running as root.
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 1024),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
	})

	// The first Run starts the browser and binds it to ctx, so it must have no
	// timeout of its own; the deadline goes on the context handed out.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium %s: %v", path, err)
	}

	log := &requestLog{}
	err := chromedp.Listen(ctx, func(ev any) {
		if ev, ok := ev.(*network.EventRequestWillBeSent); ok {
			log.add(ev.Request.URL)
		}
	})
	if err != nil {
		t.Fatalf("listen to the browser's requests: %v", err)
	}

	ctx, cancel := context.WithTimeout(ctx, testTimeout)
	t.Cleanup(cancel)

	return context.WithValue(ctx, requestLogKey{}, log)
}

func missing(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf("browser tests need "+format+"; "+installHint, args...)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

func axePath(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("AXE_CORE_JS"); p != "" {
		return p
	}

	return filepath.Join(repoRoot(t), axeRelPath)
}

// repoRoot is the nearest folder above the working directory with a go.mod.
func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("working directory: %v", err)
	}

	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// AxeScript returns the source of axe.min.js, from AXE_CORE_JS or the copy
// that .ci/install-browser-tests puts under .ci/node.
func AxeScript(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(axePath(t))
	if err != nil {
		t.Fatalf("read axe-core: %v; %s", err, installHint)
	}

	return string(b)
}

// Go opens pageURL in the tab, waits until it has loaded and returns the HTTP
// status of the page.
func Go(t testing.TB, ctx context.Context, pageURL string) int64 {
	t.Helper()
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(pageURL))
	if err != nil {
		t.Fatalf("open %s: %v", pageURL, err)
	}

	return res.Status
}

// Await runs the actions, which must load a new page, such as a click on a
// submit button; waits until that page has loaded and returns its HTTP status.
// After a redirect that is the status of the final page.
func Await(t testing.TB, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) int64 {
	t.Helper()
	wait, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()

	res, err := chromedp.RunResponse(wait, actions...)
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
		err = errors.New("no page loaded within 30 seconds")
	}
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}

	return res.Status
}

type axeNode struct {
	Target         json.RawMessage `json:"target"`
	HTML           string          `json:"html"`
	FailureSummary string          `json:"failureSummary"`
}

type axeViolation struct {
	ID      string    `json:"id"`
	Impact  string    `json:"impact"`
	Help    string    `json:"help"`
	HelpURL string    `json:"helpUrl"`
	Nodes   []axeNode `json:"nodes"`
}

// axeResults is what CheckAxe reads from axe.run.
type axeResults struct {
	Violations []axeViolation `json:"violations"`
	Passes     int            `json:"passes"`
	Incomplete []axeViolation `json:"incomplete"`
}

// axeRun runs axe on the whole document against WCAG 2.1 A and AA. The page's
// Content-Security-Policy does not apply: Runtime.evaluate runs outside it.
const axeRun = `axe.run(document, {
	runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
}).then(r => {
	const brief = v => ({
		id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
		nodes: v.nodes.map(n => ({target: n.target, html: n.html, failureSummary: n.failureSummary}))
	});
	return {violations: r.violations.map(brief), passes: r.passes.length, incomplete: r.incomplete.map(brief)};
})`

// CheckAxe runs axe-core on the page loaded in the tab and fails the test with
// every WCAG 2.1 A/AA violation; name says which page and state it is.
func CheckAxe(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[string](`typeof window.axe`))
	if err != nil {
		t.Fatalf("%s: look for axe: %v", name, err)
	}
	if loaded != "object" {
		loaded, err = chromedp.Run(ctx, chromedp.Evaluate[string](
			AxeScript(t)+"\n;typeof window.axe"))
		if err != nil {
			t.Fatalf("%s: inject axe-core: %v", name, err)
		}
		if loaded != "object" {
			t.Fatalf("%s: axe-core injected, but window.axe is %s", name, loaded)
		}
	}

	res, err := chromedp.Run(ctx, chromedp.Evaluate[axeResults](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: run axe-core: %v", name, err)
	}
	if res.Passes == 0 {
		t.Errorf("%s: axe-core passed no rule at all, so it checked nothing", name)
	}

	var review []string
	for _, v := range res.Incomplete {
		review = append(review, fmt.Sprintf("%s (%d)", v.ID, len(v.Nodes)))
	}
	t.Logf("%s: axe-core: %d rules passed, %d violated; to review by hand: %s",
		name, res.Passes, len(res.Violations), strings.Join(review, ", "))

	for _, v := range res.Violations {
		t.Error(v.report(name))
	}
}

func (v axeViolation) report(name string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: axe %s (%s): %s <%s>", name, v.ID, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n\tat %s: %s", n.Target, n.HTML)
		if n.FailureSummary != "" {
			fmt.Fprintf(&b, "\n\t\t%s", strings.ReplaceAll(n.FailureSummary, "\n", "\n\t\t"))
		}
	}

	return b.String()
}

// structure checks in the page what axe does not check, and returns one line
// for each problem. It waits up to a second for autofocus, which the browser
// applies after the load event.
const structure = `(async () => {
	const problems = [];
	const html = document.documentElement;
	if (!html.getAttribute('lang')) problems.push('<html> has no lang');
	if (!html.getAttribute('dir')) problems.push('<html> has no dir');
	const describe = el => el.outerHTML.slice(0, 160);

	const seen = new Map();
	for (const el of document.querySelectorAll('[id]')) {
		seen.set(el.id, (seen.get(el.id) || 0) + 1);
	}
	for (const [id, n] of seen) {
		if (n > 1) problems.push('id "' + id + '" is used ' + n + ' times');
	}

	for (const attr of ['aria-describedby', 'aria-labelledby', 'aria-controls', 'aria-owns']) {
		for (const el of document.querySelectorAll('[' + attr + ']')) {
			for (const id of el.getAttribute(attr).split(/\s+/).filter(Boolean)) {
				if (!document.getElementById(id)) {
					problems.push(attr + ' points to missing id "' + id + '": ' + describe(el));
				}
			}
		}
	}
	for (const el of document.querySelectorAll('label[for]')) {
		if (!document.getElementById(el.htmlFor)) {
			problems.push('label for missing id "' + el.htmlFor + '": ' + describe(el));
		}
	}

	const summary = document.querySelector('.error-summary');
	if (summary) {
		for (const a of summary.querySelectorAll('a[href^="#"]')) {
			const id = decodeURIComponent(a.getAttribute('href').slice(1));
			if (!document.getElementById(id)) {
				problems.push('error summary links to missing id "' + id + '": ' + describe(a));
			}
		}
		const until = performance.now() + 1000;
		while (document.activeElement !== summary && performance.now() < until) {
			await new Promise(r => setTimeout(r, 25));
		}
		if (document.activeElement !== summary) {
			const f = document.activeElement;
			problems.push('error summary is not focused after load (' +
				(summary.hasAttribute('autofocus') ? 'has' : 'lacks') +
				' autofocus); focus is on ' + (f ? f.tagName.toLowerCase() + (f.id ? '#' + f.id : '') : 'nothing') +
				': ' + describe(summary));
		}
	}

	return {origin: location.origin, problems};
})()`

// CheckStructure checks the page loaded in the tab for what axe does not: lang
// and dir on <html>; aria-describedby, aria-labelledby and label[for] pointing
// to existing ids; unique ids; error summary links pointing to existing
// elements and the error summary focused after load; and no request since the
// last check to an origin other than the page's own, the test server's.
func CheckStructure(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	res, err := chromedp.Run(ctx, chromedp.Evaluate[struct {
		Origin   string   `json:"origin"`
		Problems []string `json:"problems"`
	}](structure, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: check the page structure: %v", name, err)
	}

	for _, p := range res.Problems {
		t.Errorf("%s: %s", name, p)
	}

	log, _ := ctx.Value(requestLogKey{}).(*requestLog)
	if log == nil {
		t.Fatalf("%s: the context does not come from NewBrowser", name)
	}
	for _, raw := range log.take() {
		u, err := url.Parse(raw)
		if err != nil {
			t.Errorf("%s: request to unreadable URL %q", name, raw)
			continue
		}
		switch u.Scheme {
		case "data", "blob", "about":
			continue
		}
		if origin := u.Scheme + "://" + u.Host; origin != res.Origin {
			t.Errorf("%s: request to %s, which is not the test server %s", name, raw, res.Origin)
		}
	}
}

// Focused describes the element that has the keyboard focus, with the
// computed styles that make the focus visible.
type Focused struct {
	Tag          string `json:"tag"`
	ID           string `json:"id"`
	Type         string `json:"type"`
	Href         string `json:"href"`
	Text         string `json:"text"`
	Checked      bool   `json:"checked"`
	OutlineStyle string `json:"outlineStyle"`
	OutlineWidth string `json:"outlineWidth"`
	BoxShadow    string `json:"boxShadow"`
}

func (f Focused) String() string {
	s := "<" + f.Tag
	if f.ID != "" {
		s += " id=" + f.ID
	}
	if f.Href != "" {
		s += " href=" + f.Href
	}
	if f.Text != "" {
		s += " " + f.Text
	}

	return s + ">"
}

// FocusVisible reports whether the element shows a focus indicator: an
// outline, or a box shadow.
func (f Focused) FocusVisible() bool {
	outline := f.OutlineStyle != "" && f.OutlineStyle != "none" && f.OutlineWidth != "0px"
	return outline || (f.BoxShadow != "" && f.BoxShadow != "none")
}

const focused = `(() => {
	const el = document.activeElement;
	if (!el) return {tag: ''};
	const s = getComputedStyle(el);
	return {
		tag: el.tagName.toLowerCase(), id: el.id, type: el.getAttribute('type') || '',
		href: el.getAttribute('href') || '', text: (el.innerText || '').trim().slice(0, 60),
		checked: !!el.checked, outlineStyle: s.outlineStyle, outlineWidth: s.outlineWidth,
		boxShadow: s.boxShadow
	};
})()`

// Focus returns the element that has the keyboard focus.
func Focus(t testing.TB, ctx context.Context) Focused {
	t.Helper()
	f, err := chromedp.Run(ctx, chromedp.Evaluate[Focused](focused))
	if err != nil {
		t.Fatalf("read the focused element: %v", err)
	}

	return f
}

// Press sends key presses to the focused element, as a person at the keyboard
// would: text is typed, and kb constants such as kb.Tab, kb.Enter or " " are
// pressed.
func Press(t testing.TB, ctx context.Context, keys string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.KeyEvent(keys)); err != nil {
		t.Fatalf("press %q: %v", keys, err)
	}
}

// TabTo presses Tab until the focused element matches the CSS selector, at
// most limit times, and returns it; the test fails if focus never gets there.
func TabTo(t testing.TB, ctx context.Context, selector string, limit int) Focused {
	t.Helper()
	match := fmt.Sprintf(`!!document.activeElement && document.activeElement.matches(%q)`, selector)
	var path []string
	for range limit {
		Press(t, ctx, kb.Tab)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](match))
		if err != nil {
			t.Fatalf("match the focused element against %s: %v", selector, err)
		}
		f := Focus(t, ctx)
		if ok {
			return f
		}
		path = append(path, f.String())
	}

	t.Fatalf("after %d presses of Tab, focus did not reach %s; it went through:\n\t%s",
		limit, selector, strings.Join(path, "\n\t"))

	return Focused{}
}

// AwaitKey presses keys, which must load a new page (Enter on a link or in a
// form), waits for it and returns its HTTP status.
func AwaitKey(t testing.TB, ctx context.Context, keys string) int64 {
	t.Helper()
	return Await(t, ctx, fmt.Sprintf("press %q and wait for the next page", keys),
		chromedp.KeyEvent(keys))
}

var pdfPage = regexp.MustCompile(`/Type\s*/Page\b`)

// PrintedPages prints the loaded page on A4 paper, as a person's browser would
// with the page's own print style, and returns how many pages it takes.
func PrintedPages(t testing.TB, ctx context.Context) int {
	t.Helper()
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(
		chromedp.PDFPaper(chromedp.PaperA4),
		func(p *page.PrintToPDFParams) { prefer := true; p.PreferCSSPageSize = &prefer },
	))
	if err != nil {
		t.Fatalf("print to PDF: %v", err)
	}

	return len(pdfPage.FindAll(pdf, -1))
}
