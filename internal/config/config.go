// Package config reads Anliegen's settings from flags and environment variables,
// validates them at start-up and prints them with secrets masked.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	netmail "net/mail"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/anliegen/anliegen/internal/mail"
	"github.com/anliegen/anliegen/internal/stats"
)

// Config holds every setting of a running Anliegen.
type Config struct {
	DatabaseURL     string
	PortalAddr      string
	BackofficeAddr  string
	BaseURL         *url.URL
	BackofficeURL   *url.URL
	DataDir         string
	DataDirExplicit bool
	LogFormat       string
	LogLevel        string
	DBMaxConns      int32
	ShutdownTimeout time.Duration
	TimeZone        *time.Location
	DemoCatalogue   string
	StaffMFA        string
	LimitLookups    int
	LimitSubmits    int
	LimitWindow     time.Duration
	LimitAPI        int
	LimitAPIKey     int
	SMTPURL         string
	MailFrom        string
	TrustedProxies  []string
	TrustedOrigins  []string
	Profiles        bool
	SecretKeyFile   string
	IMAPURL         string
	IMAPInterval    time.Duration
	Letterhead      [3]string // name, address, contact
	StatsReportTo   []stats.Recipient
	StatsRefresh    time.Duration
	PublicFigures   bool
}

// Managed reports whether Anliegen runs its own PostgreSQL cluster.
func (c *Config) Managed() bool {
	return c.DatabaseURL == ""
}

// PortalEnabled reports whether the public portal listener is switched on.
func (c *Config) PortalEnabled() bool {
	return c.PortalAddr != "off"
}

// BackofficeEnabled reports whether the back-office listener is switched on.
func (c *Config) BackofficeEnabled() bool {
	return c.BackofficeAddr != "off"
}

// option is one setting: its flag, its environment variable, its default and help.
type option struct {
	flag, env, def, help string
	secret               bool
	value                string
}

func options() []*option {
	return []*option{
		{flag: "database-url", env: "DATABASE_URL", secret: true,
			help: "PostgreSQL connection URL; empty runs a PostgreSQL cluster in the data folder"},
		{flag: "portal-addr", env: "ANLIEGEN_PORTAL_ADDR", def: ":8080",
			help: "listen address of the public portal, or off"},
		{flag: "backoffice-addr", env: "ANLIEGEN_BACKOFFICE_ADDR", def: ":8081",
			help: "listen address of the internal back office, or off"},
		{flag: "base-url", env: "ANLIEGEN_BASE_URL", def: "http://localhost:8080",
			help: "public URL of the portal, used in mails, letters and QR codes"},
		{flag: "backoffice-url", env: "ANLIEGEN_BACKOFFICE_URL", def: "http://localhost:8081",
			help: "URL of the back office, printed at start-up and used in staff mails"},
		{flag: "data-dir", env: "ANLIEGEN_DATA_DIR", def: "data",
			help: "folder of the managed PostgreSQL cluster"},
		{flag: "secret-key-file", env: "ANLIEGEN_SECRET_KEY_FILE",
			help: "file with the key that seals the staff's second-factor secrets, 32 bytes in " +
				"base64, the same for every instance; empty keeps one in the data folder with a " +
				"managed cluster, and the secrets in the clear with DATABASE_URL"},
		{flag: "log-format", env: "ANLIEGEN_LOG_FORMAT", def: "auto",
			help: "log format: auto (text in a terminal, JSON otherwise), text or json"},
		{flag: "log-level", env: "ANLIEGEN_LOG_LEVEL", def: "info",
			help: "log level: debug, info, warn or error"},
		{flag: "db-max-conns", env: "ANLIEGEN_DB_MAX_CONNS", def: "20",
			help: "largest number of database connections of this process"},
		{flag: "shutdown-timeout", env: "ANLIEGEN_SHUTDOWN_TIMEOUT", def: "10s",
			help: "how long a shutdown may wait for requests and jobs to finish"},
		{flag: "timezone", env: "ANLIEGEN_TIMEZONE", def: "Europe/Berlin",
			help: "time zone of the city, for dates and case number years"},
		{flag: "demo-catalogue", env: "ANLIEGEN_DEMO_CATALOGUE", def: "auto",
			help: "load the demo services into an empty database: " +
				"auto (only the managed one), on, off"},
		{flag: "staff-mfa", env: "ANLIEGEN_STAFF_MFA", def: "required",
			help: "second factor for staff sign-in: required, or optional where " +
				"single sign-on enforces one"},
		{flag: "limit-lookups", env: "ANLIEGEN_LIMIT_LOOKUPS", def: "30",
			help: "tracking lookups and link requests one address may make per limit window"},
		{flag: "limit-submissions", env: "ANLIEGEN_LIMIT_SUBMISSIONS", def: "10",
			help: "requests one address may submit per limit window"},
		{flag: "limit-window", env: "ANLIEGEN_LIMIT_WINDOW", def: "10m",
			help: "the window of the rate limits of anonymous actions"},
		{flag: "limit-api", env: "ANLIEGEN_LIMIT_API", def: "1000",
			help: "Open311 API requests one address may make per limit window"},
		{flag: "limit-api-key", env: "ANLIEGEN_LIMIT_API_KEY", def: "300",
			help: "requests one Open311 API key may submit per limit window"},
		{flag: "smtp-url", env: "SMTP_URL", secret: true,
			help: "mail server for mail to citizens: smtp://user:password@host:587 (STARTTLS), " +
				"smtps://user:password@host:465 (TLS) or smtp+plain://host:25 (no TLS, " +
				"same host or network only); empty keeps mails in the back office"},
		{flag: "mail-from", env: "ANLIEGEN_MAIL_FROM",
			help: "sender of mail to citizens, " +
				"e.g. \"Stadt Musterstadt <anliegen@musterstadt.de>\"; required with SMTP_URL"},
		{flag: "trusted-proxies", env: "ANLIEGEN_TRUSTED_PROXIES",
			help: "comma-separated addresses or networks of reverse proxies whose " +
				"X-Forwarded-For names the client, for logs and rate limits"},
		{flag: "trusted-origins", env: "ANLIEGEN_TRUSTED_ORIGINS",
			help: "comma-separated origins (https://host[:port]) whose pages may send forms " +
				"here besides the site's own, when the portal is also served under another name"},
		{flag: "profiles", env: "ANLIEGEN_PROFILES", def: "off",
			help: "serve Go's runtime profiles under /debug/pprof/ on the back office, " +
				"for measuring: on or off"},
		{flag: "imap-url", env: "IMAP_URL", secret: true,
			help: "the city's mailbox for replies and new concerns: " +
				"imaps://user:password@host:993/INBOX, imap://…:143/INBOX (STARTTLS) or " +
				"imap+plain://… (same host only); empty reads no mail"},
		{flag: "imap-interval", env: "ANLIEGEN_IMAP_INTERVAL", def: "1m",
			help: "how often the mailbox is read"},
		{flag: "letterhead-name", env: "ANLIEGEN_LETTERHEAD_NAME", def: "Stadtverwaltung",
			help: "the authority named at the head of letters"},
		{flag: "letterhead-address", env: "ANLIEGEN_LETTERHEAD_ADDRESS",
			help: "its postal address in one line, also the letters' return address"},
		{flag: "letterhead-contact", env: "ANLIEGEN_LETTERHEAD_CONTACT",
			help: "how to reach it, in one line: phone, e-mail"},
		{flag: "stats-report-to", env: "ANLIEGEN_STATS_REPORT_TO",
			help: "comma-separated addresses that get the statistics of the month before on " +
				"each first of the month, in German or, written en:address, in English; " +
				"needs SMTP_URL"},
		{flag: "stats-refresh", env: "ANLIEGEN_STATS_REFRESH", def: "5m",
			help: "how often the figures of the statistics are brought up to date"},
		{flag: "public-figures", env: "ANLIEGEN_PUBLIC_FIGURES", def: "off",
			help: "show a few figures per public service on the portal under /figures: on or off"},
	}
}

// Parse reads flags from args and environment variables through getenv; a flag
// wins over its variable, the variable over the default. It returns flag.ErrHelp
// after printing the usage to out when asked for help.
func Parse(name string, args []string, getenv func(string) string, out io.Writer) (*Config, error) {
	opts := options()
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	for _, o := range opts {
		o.value = o.def
		if v := strings.TrimSpace(getenv(o.env)); v != "" {
			o.value = v
		}
		fs.StringVar(&o.value, o.flag, o.value, o.help)
	}
	fs.Usage = func() { Usage(out, name) }

	if err := fs.Parse(args); err != nil {
		return nil, err
	}

	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}

	explicit := strings.TrimSpace(getenv("ANLIEGEN_DATA_DIR")) != ""
	fs.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "data-dir" })

	return build(opts, explicit)
}

// Usage prints the commands and every option with its variable and default.
func Usage(out io.Writer, name string) {
	fmt.Fprintf(out, "Usage: %s [command] [options]\n\n", name)
	fmt.Fprintln(out, "Commands:")
	fmt.Fprintln(out, "  serve     run the portal and the back office (default)")
	fmt.Fprintln(out, "  migrate   bring the database schema up to date and exit")
	fmt.Fprintln(out, "  user add  create a staff account: "+
		"--email E --name N --role R --password-stdin")
	fmt.Fprintln(out, "  user disable    disable a staff account and end its sessions: --email E")
	fmt.Fprintln(out, "  user enable     let a disabled staff account sign in again: --email E")
	fmt.Fprintln(out, "  user reset-mfa  remove an account's second factor, to enrol anew: --email E")
	fmt.Fprintln(out, "  apikey create   issue an Open311 API key, printed once: --name NAME")
	fmt.Fprintln(out, "  demo      fill the database with demo tickets: --tickets N")
	fmt.Fprintln(out, "  load      drive a running server over HTTP and print requests per second "+
		"and latency percentiles")
	fmt.Fprintln(out, "\nOptions (flag, environment variable, default):")
	for _, o := range options() {
		def := o.def
		if def == "" {
			def = "(empty)"
		}
		fmt.Fprintf(out, "  --%s, %s\n      %s (default %s)\n", o.flag, o.env, o.help, def)
	}
}

func build(opts []*option, dataDirExplicit bool) (*Config, error) {
	get := func(env string) string {
		for _, o := range opts {
			if o.env == env {
				return strings.TrimSpace(o.value)
			}
		}
		panic("unknown option " + env)
	}

	c := &Config{
		DatabaseURL:     get("DATABASE_URL"),
		PortalAddr:      get("ANLIEGEN_PORTAL_ADDR"),
		BackofficeAddr:  get("ANLIEGEN_BACKOFFICE_ADDR"),
		DataDirExplicit: dataDirExplicit,
		LogFormat:       get("ANLIEGEN_LOG_FORMAT"),
		LogLevel:        get("ANLIEGEN_LOG_LEVEL"),
		DemoCatalogue:   get("ANLIEGEN_DEMO_CATALOGUE"),
		StaffMFA:        get("ANLIEGEN_STAFF_MFA"),
	}

	var errs []error
	check := func(env string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", env, err))
		}
	}

	check("DATABASE_URL", validDatabaseURL(c.DatabaseURL))
	check("ANLIEGEN_PORTAL_ADDR", validAddr(c.PortalAddr))
	check("ANLIEGEN_BACKOFFICE_ADDR", validAddr(c.BackofficeAddr))
	if c.PortalAddr == "off" && c.BackofficeAddr == "off" {
		errs = append(errs, errors.New(
			"ANLIEGEN_PORTAL_ADDR and ANLIEGEN_BACKOFFICE_ADDR are both off"))
	}

	var err error
	c.BaseURL, err = validHTTPURL(get("ANLIEGEN_BASE_URL"))
	check("ANLIEGEN_BASE_URL", err)
	c.BackofficeURL, err = validHTTPURL(get("ANLIEGEN_BACKOFFICE_URL"))
	check("ANLIEGEN_BACKOFFICE_URL", err)

	dataDir := get("ANLIEGEN_DATA_DIR")
	if dataDir == "" {
		err = errors.New("must not be empty")
	} else {
		c.DataDir, err = filepath.Abs(dataDir)
	}
	check("ANLIEGEN_DATA_DIR", err)

	check("ANLIEGEN_LOG_FORMAT", oneOf(c.LogFormat, "auto", "text", "json"))
	check("ANLIEGEN_LOG_LEVEL", oneOf(c.LogLevel, "debug", "info", "warn", "error"))
	check("ANLIEGEN_DEMO_CATALOGUE", oneOf(c.DemoCatalogue, "auto", "on", "off"))
	check("ANLIEGEN_STAFF_MFA", oneOf(c.StaffMFA, "required", "optional"))

	n, err := strconv.ParseInt(get("ANLIEGEN_DB_MAX_CONNS"), 10, 32)
	if err == nil && (n < 2 || n > 1000) {
		err = errors.New("must be between 2 and 1000")
	}
	check("ANLIEGEN_DB_MAX_CONNS", err)
	c.DBMaxConns = int32(n)

	c.ShutdownTimeout, err = time.ParseDuration(get("ANLIEGEN_SHUTDOWN_TIMEOUT"))
	if err == nil && c.ShutdownTimeout <= 0 {
		err = errors.New("must be positive")
	}
	check("ANLIEGEN_SHUTDOWN_TIMEOUT", err)

	c.TimeZone, err = time.LoadLocation(get("ANLIEGEN_TIMEZONE"))
	check("ANLIEGEN_TIMEZONE", err)

	c.LimitLookups, err = positiveInt(get("ANLIEGEN_LIMIT_LOOKUPS"))
	check("ANLIEGEN_LIMIT_LOOKUPS", err)
	c.LimitSubmits, err = positiveInt(get("ANLIEGEN_LIMIT_SUBMISSIONS"))
	check("ANLIEGEN_LIMIT_SUBMISSIONS", err)
	c.LimitWindow, err = time.ParseDuration(get("ANLIEGEN_LIMIT_WINDOW"))
	if err == nil && c.LimitWindow < time.Second {
		err = errors.New("must be at least 1s")
	}
	check("ANLIEGEN_LIMIT_WINDOW", err)
	c.LimitAPI, err = positiveInt(get("ANLIEGEN_LIMIT_API"))
	check("ANLIEGEN_LIMIT_API", err)
	c.LimitAPIKey, err = positiveInt(get("ANLIEGEN_LIMIT_API_KEY"))
	check("ANLIEGEN_LIMIT_API_KEY", err)

	c.TrustedProxies, err = validProxies(get("ANLIEGEN_TRUSTED_PROXIES"))
	check("ANLIEGEN_TRUSTED_PROXIES", err)
	c.TrustedOrigins, err = validOrigins(get("ANLIEGEN_TRUSTED_ORIGINS"))
	check("ANLIEGEN_TRUSTED_ORIGINS", err)
	c.SecretKeyFile = get("ANLIEGEN_SECRET_KEY_FILE")
	c.Profiles = get("ANLIEGEN_PROFILES") == "on"
	check("ANLIEGEN_PROFILES", oneOf(get("ANLIEGEN_PROFILES"), "on", "off"))

	c.IMAPURL = get("IMAP_URL")
	c.IMAPInterval, err = time.ParseDuration(get("ANLIEGEN_IMAP_INTERVAL"))
	if err == nil && c.IMAPInterval < time.Second {
		err = errors.New("must be at least 1s")
	}
	check("ANLIEGEN_IMAP_INTERVAL", err)
	c.Letterhead = [3]string{get("ANLIEGEN_LETTERHEAD_NAME"),
		get("ANLIEGEN_LETTERHEAD_ADDRESS"), get("ANLIEGEN_LETTERHEAD_CONTACT")}

	c.StatsReportTo, err = stats.ParseRecipients(get("ANLIEGEN_STATS_REPORT_TO"))
	check("ANLIEGEN_STATS_REPORT_TO", err)
	c.StatsRefresh, err = time.ParseDuration(get("ANLIEGEN_STATS_REFRESH"))
	if err == nil && c.StatsRefresh < time.Minute {
		err = errors.New("must be at least 1m")
	}
	check("ANLIEGEN_STATS_REFRESH", err)
	figures := get("ANLIEGEN_PUBLIC_FIGURES")
	check("ANLIEGEN_PUBLIC_FIGURES", oneOf(figures, "on", "off"))
	c.PublicFigures = figures == "on"

	c.SMTPURL, c.MailFrom = get("SMTP_URL"), get("ANLIEGEN_MAIL_FROM")
	check("SMTP_URL", validSMTPURL(c.SMTPURL))
	check("ANLIEGEN_MAIL_FROM", validMailFrom(c.MailFrom, c.SMTPURL != ""))

	if len(errs) > 0 {
		return nil, fmt.Errorf("invalid configuration:\n  %w", joinLines(errs))
	}

	return c, nil
}

// validProxies reads a comma-separated list of IP addresses and networks.
func validProxies(s string) ([]string, error) {
	var out []string
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				return nil, fmt.Errorf("%q is neither an IP address nor a network", p)
			}
		}
		out = append(out, p)
	}

	return out, nil
}

// validOrigins reads a comma-separated list of origins: scheme, host and an
// optional port, nothing after them.
func validOrigins(s string) ([]string, error) {
	var out []string
	for _, o := range strings.Split(s, ",") {
		o = strings.TrimSpace(o)
		if o == "" {
			continue
		}
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
			u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" {
			return nil, fmt.Errorf("%q is no origin like https://anliegen.example.de", o)
		}
		out = append(out, o)
	}

	return out, nil
}

func positiveInt(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%q is not a whole number of at least 1", s)
	}

	return n, nil
}

func joinLines(errs []error) error {
	parts := make([]string, len(errs))
	for i, e := range errs {
		parts[i] = e.Error()
	}

	return errors.New(strings.Join(parts, "\n  "))
}

func oneOf(v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}

	return fmt.Errorf("%q is not one of %s", v, strings.Join(allowed, ", "))
}

func validAddr(addr string) error {
	if addr == "off" {
		return nil
	}

	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%q is not host:port or off", addr)
	}

	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return fmt.Errorf("port %q is not a number from 0 to 65535", port)
	}

	if strings.ContainsAny(host, " /") {
		return fmt.Errorf("host %q is not valid", host)
	}

	return nil
}

func validHTTPURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err == nil && u.User != nil {
		return nil, errors.New("the URL must not carry a user or password")
	}

	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q is not an http or https URL", raw)
	}

	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%q must not carry a query or fragment", raw)
	}

	return u, nil
}

func validDatabaseURL(raw string) error {
	if raw == "" {
		return nil
	}

	if strings.HasPrefix(raw, "postgres://") || strings.HasPrefix(raw, "postgresql://") {
		if _, err := url.Parse(raw); err != nil {
			return errors.New("not a valid URL")
		}

		return nil
	}

	if strings.Contains(raw, "=") {
		return nil
	}

	return errors.New("must be a postgres:// URL or a key=value connection string")
}

func validSMTPURL(raw string) error {
	if raw == "" {
		return nil
	}

	_, err := mail.ParseURL(raw)

	return err
}

func validMailFrom(from string, required bool) error {
	if from == "" {
		if required {
			return errors.New("must be set when SMTP_URL is")
		}
		return nil
	}

	if _, err := netmail.ParseAddress(from); err != nil {
		return fmt.Errorf("%q is not an address such as \"Stadt <anliegen@stadt.de>\"", from)
	}

	return nil
}

// Masked returns a database or mail server URL, or a connection string, with
// its password replaced, for printing.
func Masked(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		if strings.Contains(raw, "password") {
			return "(connection string with password)"
		}
		return raw
	}

	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}

	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}

	return u.String()
}
