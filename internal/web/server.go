package web

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"

	"github.com/anliegen/anliegen/internal/i18n"
)

// RequestTimeout bounds the database work of one request.
const RequestTimeout = 15 * time.Second

// Options configures one app's server.
type Options struct {
	App       string // "portal" or "backoffice": the layout and page folder
	Templates fs.FS
	Static    fs.FS
	Bundle    *i18n.Bundle
	Logger    *slog.Logger
	Location  *time.Location
	CSRFKey   []byte
	Secure    bool // cookies only over HTTPS
	Metrics   *Metrics
	BodyLimit int
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the
	// client; without them the connection's address is the client's.
	TrustedProxies []string
	// NoCSRF are path prefixes of APIs whose clients prove themselves with a
	// key rather than a cookie, so that no cross-site form can act for them.
	NoCSRF []string
	// TrustedOrigins are other origins (scheme://host[:port]) whose pages may
	// send forms here, for a portal that is also served under another name.
	TrustedOrigins []string
}

// Server is the shared Fiber setup of one app; handlers use its methods to
// render pages and answer errors.
type Server struct {
	app      string
	renderer *Renderer
	bundle   *i18n.Bundle
	logger   *slog.Logger
	location *time.Location
	csrfKey  []byte
	secure   bool
	metrics  *Metrics
	noCSRF   []string
	origins  *http.CrossOriginProtection
	ids      *requestIDs
	fiber    *fiber.App
	// localizers and formats hold each language's translator and date
	// layouts, built once instead of for every request.
	localizers map[string]*i18n.Localizer
	formats    map[string]*dateFormats
	switches   *languageSwitches
}

// NewServer parses the app's templates and builds its Fiber app with the
// middleware every page needs.
func NewServer(o Options) (*Server, error) {
	r, err := NewRenderer(o.Templates, o.App, o.Bundle)
	if err != nil {
		return nil, err
	}

	origins, err := newCrossOriginProtection(o.TrustedOrigins)
	if err != nil {
		return nil, err
	}

	ids, err := newRequestIDs()
	if err != nil {
		return nil, err
	}

	s := &Server{
		app: o.App, renderer: r, bundle: o.Bundle, logger: o.Logger, location: o.Location,
		csrfKey: o.CSRFKey, secure: o.Secure, metrics: o.Metrics, origins: origins, ids: ids,
		noCSRF: o.NoCSRF,
	}
	s.prepareLanguages()
	if s.switches, err = newLanguageSwitches(r.partials, o.Bundle, s.localizer); err != nil {
		return nil, err
	}
	s.fiber = s.newFiber(o)

	return s, nil
}

// prepareLanguages makes each language's translator and date layouts once.
func (s *Server) prepareLanguages() {
	s.localizers = map[string]*i18n.Localizer{}
	s.formats = map[string]*dateFormats{}
	for _, l := range s.bundle.Languages() {
		loc := s.bundle.Localizer(l.Tag)
		s.localizers[l.Tag] = loc
		s.formats[l.Tag] = &dateFormats{
			date: loc.T("format_date"), dateTime: loc.T("format_date_time"),
		}
	}
}

func (s *Server) newFiber(o Options) *fiber.App {
	limit := o.BodyLimit
	if limit == 0 {
		limit = 1 << 20
	}

	app := fiber.New(fiber.Config{
		AppName:               "anliegen-" + o.App,
		ErrorHandler:          s.handleError,
		DisableStartupMessage: true,
		BodyLimit:             limit,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           120 * time.Second,
		StrictRouting:         false,
		ProxyHeader:           proxyHeader(o.TrustedProxies),
		// Only the listed proxies may name the client: anyone else could send
		// X-Forwarded-For to escape the rate limits.
		EnableTrustedProxyCheck: len(o.TrustedProxies) > 0,
		TrustedProxies:          o.TrustedProxies,
	})

	app.Use(s.requestID, s.accessLog, s.recover, securityHeaders(o.Secure), s.timeout)
	app.Use("/static", filesystem.New(filesystem.Config{
		Root:   http.FS(o.Static),
		MaxAge: 3600,
	}))
	app.Use(s.language, s.crossOrigin, s.csrf)

	return app
}

func proxyHeader(trusted []string) string {
	if len(trusted) == 0 {
		return ""
	}

	return fiber.HeaderXForwardedFor
}

// Fiber returns the app, for routes and for tests through app.Test.
func (s *Server) Fiber() *fiber.App {
	return s.fiber
}

// Logger returns the app's logger.
func (s *Server) Logger() *slog.Logger {
	return s.logger
}

// Location returns the city's time zone.
func (s *Server) Location() *time.Location {
	return s.location
}

// Bundle returns the translations.
func (s *Server) Bundle() *i18n.Bundle {
	return s.bundle
}

// Secure reports whether cookies are sent only over HTTPS.
func (s *Server) Secure() bool {
	return s.secure
}

// Serve listens on addr until ctx ends, then shuts down within grace.
func (s *Server) Serve(ctx context.Context, addr string, grace time.Duration) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}

	errc := make(chan error, 1)
	go func() { errc <- s.fiber.Listener(ln) }()

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}

	shutdownErr := s.fiber.ShutdownWithTimeout(grace)
	// An end that comes before the app took the listener finds nothing to shut
	// down; closing the listener ends the app as soon as it starts.
	_ = ln.Close()
	if shutdownErr != nil {
		return shutdownErr
	}

	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) &&
		!errors.Is(err, net.ErrClosed) {
		return err
	}

	return nil
}
