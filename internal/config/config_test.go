package config_test

import (
	"bytes"
	"errors"
	"flag"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/anliegen/anliegen/internal/config"
)

// env returns a getenv that reads from vars and knows no other variable.
func env(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

// parse runs config.Parse as the anliegen command does, with the usage text kept.
func parse(vars map[string]string, args ...string) (*config.Config, string, error) {
	var out bytes.Buffer
	cfg, err := config.Parse("anliegen", args, env(vars), &out)

	return cfg, out.String(), err
}

func TestParseDefaults(t *testing.T) {
	cfg, out, err := parse(nil)
	if err != nil {
		t.Fatalf("Parse with an empty environment: %v, want the defaults", err)
	}

	if out != "" {
		t.Errorf("Parse wrote %q, want nothing written without --help", out)
	}

	tests := []struct {
		name string
		got  string
		want string
	}{
		{"portal address", cfg.PortalAddr, ":8080"},
		{"back-office address", cfg.BackofficeAddr, ":8081"},
		{"database URL", cfg.DatabaseURL, ""},
		{"managed database", strconv.FormatBool(cfg.Managed()), "true"},
		{"portal enabled", strconv.FormatBool(cfg.PortalEnabled()), "true"},
		{"back office enabled", strconv.FormatBool(cfg.BackofficeEnabled()), "true"},
		{"base URL", cfg.BaseURL.String(), "http://localhost:8080"},
		{"back-office URL", cfg.BackofficeURL.String(), "http://localhost:8081"},
		{"data dir is absolute", strconv.FormatBool(filepath.IsAbs(cfg.DataDir)), "true"},
		{"data dir ends in /data", strconv.FormatBool(strings.HasSuffix(cfg.DataDir, "/data")),
			"true"},
		{"data dir explicit", strconv.FormatBool(cfg.DataDirExplicit), "false"},
		{"log format", cfg.LogFormat, "auto"},
		{"log level", cfg.LogLevel, "info"},
		{"database connections", strconv.Itoa(int(cfg.DBMaxConns)), "20"},
		{"shutdown timeout", cfg.ShutdownTimeout.String(), "10s"},
		{"time zone", cfg.TimeZone.String(), "Europe/Berlin"},
		{"demo catalogue", cfg.DemoCatalogue, "auto"},
		{"SMTP URL", cfg.SMTPURL, ""},
		{"mail sender", cfg.MailFrom, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
			}
		})
	}
}

// TestParsePrecedence sets each option by its variable, then by its variable and its flag:
// the variable beats the default and the flag beats the variable.
func TestParsePrecedence(t *testing.T) {
	defaultDataDir, err := filepath.Abs("data")
	if err != nil {
		t.Fatalf("absolute data dir: %v", err)
	}

	tests := []struct {
		name     string
		flag     string
		variable string
		def      string
		fromEnv  string
		fromFlag string
		get      func(*config.Config) string
	}{
		{"database URL", "database-url", "DATABASE_URL", "",
			"postgres://anliegen@db-env/anliegen", "postgres://anliegen@db-flag/anliegen",
			func(c *config.Config) string { return c.DatabaseURL }},
		{"portal address", "portal-addr", "ANLIEGEN_PORTAL_ADDR", ":8080",
			":9000", "127.0.0.1:9001",
			func(c *config.Config) string { return c.PortalAddr }},
		{"back-office address", "backoffice-addr", "ANLIEGEN_BACKOFFICE_ADDR", ":8081",
			":9002", "off",
			func(c *config.Config) string { return c.BackofficeAddr }},
		{"base URL", "base-url", "ANLIEGEN_BASE_URL", "http://localhost:8080",
			"https://anliegen.musterstadt.de", "https://portal.musterstadt.de",
			func(c *config.Config) string { return c.BaseURL.String() }},
		{"back-office URL", "backoffice-url", "ANLIEGEN_BACKOFFICE_URL",
			"http://localhost:8081",
			"https://intern.musterstadt.de", "https://buero.musterstadt.de:8443",
			func(c *config.Config) string { return c.BackofficeURL.String() }},
		{"data dir", "data-dir", "ANLIEGEN_DATA_DIR", defaultDataDir,
			"/srv/anliegen", "/var/lib/anliegen",
			func(c *config.Config) string { return c.DataDir }},
		{"log format", "log-format", "ANLIEGEN_LOG_FORMAT", "auto", "json", "text",
			func(c *config.Config) string { return c.LogFormat }},
		{"log level", "log-level", "ANLIEGEN_LOG_LEVEL", "info", "debug", "warn",
			func(c *config.Config) string { return c.LogLevel }},
		{"database connections", "db-max-conns", "ANLIEGEN_DB_MAX_CONNS", "20", "50", "7",
			func(c *config.Config) string { return strconv.Itoa(int(c.DBMaxConns)) }},
		{"shutdown timeout", "shutdown-timeout", "ANLIEGEN_SHUTDOWN_TIMEOUT", "10s",
			"30s", "1m0s",
			func(c *config.Config) string { return c.ShutdownTimeout.String() }},
		{"time zone", "timezone", "ANLIEGEN_TIMEZONE", "Europe/Berlin",
			"Europe/Vienna", "UTC",
			func(c *config.Config) string { return c.TimeZone.String() }},
		{"demo catalogue", "demo-catalogue", "ANLIEGEN_DEMO_CATALOGUE", "auto", "on", "off",
			func(c *config.Config) string { return c.DemoCatalogue }},
		{"mail sender", "mail-from", "ANLIEGEN_MAIL_FROM", "",
			"anliegen@musterstadt.de", "Stadt Musterstadt <buergerservice@musterstadt.de>",
			func(c *config.Config) string { return c.MailFrom }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			steps := []struct {
				source string
				vars   map[string]string
				args   []string
				want   string
			}{
				{"default", nil, nil, tt.def},
				{"variable", map[string]string{tt.variable: tt.fromEnv}, nil, tt.fromEnv},
				{"flag over variable", map[string]string{tt.variable: tt.fromEnv},
					[]string{"--" + tt.flag + "=" + tt.fromFlag}, tt.fromFlag},
				{"flag without variable", nil, []string{"--" + tt.flag, tt.fromFlag},
					tt.fromFlag},
			}
			for _, s := range steps {
				cfg, _, err := parse(s.vars, s.args...)
				if err != nil {
					t.Fatalf("%s: Parse: %v, want %q", s.source, err, s.want)
				}

				if got := tt.get(cfg); got != s.want {
					t.Errorf("%s: %s = %q, want %q", s.source, tt.name, got, s.want)
				}
			}
		})
	}
}

func TestParseTrimsBaseURL(t *testing.T) {
	cfg, _, err := parse(map[string]string{"ANLIEGEN_BASE_URL": " https://musterstadt.de/ "})
	if err != nil {
		t.Fatalf("Parse: %v, want a base URL without trailing slash", err)
	}

	if got := cfg.BaseURL.String(); got != "https://musterstadt.de" {
		t.Errorf("base URL = %q, want %q", got, "https://musterstadt.de")
	}
}

func TestParseTrustedOrigins(t *testing.T) {
	cfg, _, err := parse(map[string]string{
		"ANLIEGEN_TRUSTED_ORIGINS": " https://anliegen.stadt.de, http://intern.stadt.de:8080 ,"})
	if err != nil {
		t.Fatalf("Parse: %v, want two origins accepted", err)
	}

	want := []string{"https://anliegen.stadt.de", "http://intern.stadt.de:8080"}
	if !slices.Equal(cfg.TrustedOrigins, want) {
		t.Errorf("trusted origins = %q, want %q", cfg.TrustedOrigins, want)
	}
}

func TestParseInvalidValue(t *testing.T) {
	tests := []struct {
		name     string
		vars     map[string]string
		args     []string
		wantVars []string
	}{
		{"address without port", map[string]string{"ANLIEGEN_PORTAL_ADDR": "localhost"}, nil,
			[]string{"ANLIEGEN_PORTAL_ADDR"}},
		{"port 70000", map[string]string{"ANLIEGEN_BACKOFFICE_ADDR": ":70000"}, nil,
			[]string{"ANLIEGEN_BACKOFFICE_ADDR"}},
		{"port not a number", map[string]string{"ANLIEGEN_PORTAL_ADDR": ":http"}, nil,
			[]string{"ANLIEGEN_PORTAL_ADDR"}},
		{"both listeners off", map[string]string{
			"ANLIEGEN_PORTAL_ADDR": "off", "ANLIEGEN_BACKOFFICE_ADDR": "off"}, nil,
			[]string{"ANLIEGEN_PORTAL_ADDR", "ANLIEGEN_BACKOFFICE_ADDR"}},
		{"base URL with ftp", map[string]string{"ANLIEGEN_BASE_URL": "ftp://x"}, nil,
			[]string{"ANLIEGEN_BASE_URL"}},
		{"base URL with query", map[string]string{
			"ANLIEGEN_BASE_URL": "https://musterstadt.de/?lang=de"}, nil,
			[]string{"ANLIEGEN_BASE_URL"}},
		{"base URL with fragment", map[string]string{
			"ANLIEGEN_BASE_URL": "https://musterstadt.de/#top"}, nil,
			[]string{"ANLIEGEN_BASE_URL"}},
		{"base URL without host", map[string]string{"ANLIEGEN_BASE_URL": "https://"}, nil,
			[]string{"ANLIEGEN_BASE_URL"}},
		{"back-office URL relative", map[string]string{"ANLIEGEN_BACKOFFICE_URL": "/intern"},
			nil, []string{"ANLIEGEN_BACKOFFICE_URL"}},
		{"log format xml", map[string]string{"ANLIEGEN_LOG_FORMAT": "xml"}, nil,
			[]string{"ANLIEGEN_LOG_FORMAT"}},
		{"log level verbose", map[string]string{"ANLIEGEN_LOG_LEVEL": "verbose"}, nil,
			[]string{"ANLIEGEN_LOG_LEVEL"}},
		{"demo catalogue yes", map[string]string{"ANLIEGEN_DEMO_CATALOGUE": "yes"}, nil,
			[]string{"ANLIEGEN_DEMO_CATALOGUE"}},
		{"staff second factor sometimes", map[string]string{"ANLIEGEN_STAFF_MFA": "sometimes"},
			nil, []string{"ANLIEGEN_STAFF_MFA"}},
		{"no lookups", map[string]string{"ANLIEGEN_LIMIT_LOOKUPS": "0"}, nil,
			[]string{"ANLIEGEN_LIMIT_LOOKUPS"}},
		{"window too short", map[string]string{"ANLIEGEN_LIMIT_WINDOW": "10ms"}, nil,
			[]string{"ANLIEGEN_LIMIT_WINDOW"}},
		{"proxy no address", map[string]string{"ANLIEGEN_TRUSTED_PROXIES": "10.0.0.1, proxy"},
			nil, []string{"ANLIEGEN_TRUSTED_PROXIES"}},
		{"origin with a path", map[string]string{
			"ANLIEGEN_TRUSTED_ORIGINS": "https://stadt.de, https://buerger.stadt.de/portal"},
			nil, []string{"ANLIEGEN_TRUSTED_ORIGINS"}},
		{"origin without scheme", map[string]string{"ANLIEGEN_TRUSTED_ORIGINS": "stadt.de"},
			nil, []string{"ANLIEGEN_TRUSTED_ORIGINS"}},
		{"profiles maybe", map[string]string{"ANLIEGEN_PROFILES": "maybe"}, nil,
			[]string{"ANLIEGEN_PROFILES"}},
		{"database connections 1", map[string]string{"ANLIEGEN_DB_MAX_CONNS": "1"}, nil,
			[]string{"ANLIEGEN_DB_MAX_CONNS"}},
		{"database connections abc", map[string]string{"ANLIEGEN_DB_MAX_CONNS": "abc"}, nil,
			[]string{"ANLIEGEN_DB_MAX_CONNS"}},
		{"database connections by flag", nil, []string{"--db-max-conns=1001"},
			[]string{"ANLIEGEN_DB_MAX_CONNS"}},
		{"shutdown timeout -1s", map[string]string{"ANLIEGEN_SHUTDOWN_TIMEOUT": "-1s"}, nil,
			[]string{"ANLIEGEN_SHUTDOWN_TIMEOUT"}},
		{"shutdown timeout without unit", map[string]string{"ANLIEGEN_SHUTDOWN_TIMEOUT": "10"},
			nil, []string{"ANLIEGEN_SHUTDOWN_TIMEOUT"}},
		{"time zone Mars/Olympus", map[string]string{"ANLIEGEN_TIMEZONE": "Mars/Olympus"}, nil,
			[]string{"ANLIEGEN_TIMEZONE"}},
		{"database URL nonsense", map[string]string{"DATABASE_URL": "nonsense"}, nil,
			[]string{"DATABASE_URL"}},
		{"SMTP URL with http", smtpVars("http://mail.musterstadt.de:25"), nil,
			[]string{"SMTP_URL"}},
		{"SMTP URL without host", smtpVars("smtp://:587"), nil, []string{"SMTP_URL"}},
		{"SMTP URL port 99999", smtpVars("smtps://mail.musterstadt.de:99999"), nil,
			[]string{"SMTP_URL"}},
		{"SMTP URL with a path", smtpVars("smtp://mail.musterstadt.de/inbox"), nil,
			[]string{"SMTP_URL"}},
		{"password without TLS", smtpVars("smtp+plain://anliegen:geheim@relay:25"), nil,
			[]string{"SMTP_URL"}},
		{"SMTP URL without sender", map[string]string{"SMTP_URL": "smtp://mail.musterstadt.de"},
			nil, []string{"ANLIEGEN_MAIL_FROM"}},
		{"sender not an address", map[string]string{"ANLIEGEN_MAIL_FROM": "Bürgerservice"}, nil,
			[]string{"ANLIEGEN_MAIL_FROM"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, _, err := parse(tt.vars, tt.args...)
			if err == nil {
				t.Fatalf("Parse accepted %v %v, want an error naming %v", tt.vars, tt.args,
					tt.wantVars)
			}

			if cfg != nil {
				t.Errorf("Parse returned a configuration with its error, want nil")
			}

			for _, v := range tt.wantVars {
				if !strings.Contains(err.Error(), v) {
					t.Errorf("error %q does not name %s", err, v)
				}
			}

			if n := problems(err); n != 1 {
				t.Errorf("error %q reports %d problems, want 1", err, n)
			}
		})
	}
}

// smtpVars sets SMTP_URL to url with a valid sender beside it.
func smtpVars(url string) map[string]string {
	return map[string]string{"SMTP_URL": url, "ANLIEGEN_MAIL_FROM": "anliegen@musterstadt.de"}
}

// problems counts the reported problems: one indented line each under the heading.
func problems(err error) int {
	return strings.Count(err.Error(), "\n  ")
}

func TestParseReportsAllProblems(t *testing.T) {
	vars := map[string]string{
		"ANLIEGEN_PORTAL_ADDR":  ":70000",
		"ANLIEGEN_LOG_FORMAT":   "xml",
		"ANLIEGEN_DB_MAX_CONNS": "abc",
		"ANLIEGEN_TIMEZONE":     "Mars/Olympus",
	}
	_, _, err := parse(vars)
	if err == nil {
		t.Fatal("Parse accepted four bad values, want an error")
	}

	for name := range vars {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not name %s", err, name)
		}
	}

	if n := problems(err); n != len(vars) {
		t.Errorf("error %q reports %d problems, want %d", err, n, len(vars))
	}
}

func TestParseKeepsDatabasePasswordOutOfErrors(t *testing.T) {
	_, _, err := parse(map[string]string{
		"DATABASE_URL": "postgres://anliegen:geheim@db:port/anliegen",
	})
	if err == nil {
		t.Fatal("Parse accepted a database URL with a bad port, want an error")
	}

	if !strings.Contains(err.Error(), "DATABASE_URL") {
		t.Errorf("error %q does not name DATABASE_URL", err)
	}

	if strings.Contains(err.Error(), "geheim") {
		t.Errorf("error %q shows the database password, want it left out", err)
	}
}

func TestParseKeepsSMTPPasswordOutOfErrors(t *testing.T) {
	for _, raw := range []string{
		"smtp+plain://anliegen:geheim@relay:25",
		"smtp://anliegen:geheim@mail.musterstadt.de:port",
		"smtps://anliegen:geheim@mail.musterstadt.de/path",
	} {
		_, _, err := parse(smtpVars(raw))
		if err == nil {
			t.Fatalf("Parse accepted SMTP_URL %s, want an error", config.Masked(raw))
		}

		if !strings.Contains(err.Error(), "SMTP_URL") || strings.Contains(err.Error(), "geheim") {
			t.Errorf("error %q: want SMTP_URL named and the password left out", err)
		}
	}
}

func TestParseAcceptsSMTPURLForms(t *testing.T) {
	tests := []string{
		"smtp://anliegen:ge%40heim@mail.musterstadt.de:587",
		"smtp://mail.musterstadt.de",
		"smtps://anliegen:geheim@mail.musterstadt.de:465",
		"smtp+plain://127.0.0.1:25",
		"smtp+plain://anliegen@relay.intern",
	}
	for _, raw := range tests {
		t.Run(config.Masked(raw), func(t *testing.T) {
			cfg, _, err := parse(smtpVars(raw), "--mail-from", "Stadt <anliegen@stadt.de>")
			if err != nil {
				t.Fatalf("Parse: %v, want SMTP_URL accepted", err)
			}

			if cfg.SMTPURL != raw || cfg.MailFrom != "Stadt <anliegen@stadt.de>" {
				t.Errorf("SMTP URL %s, sender %q; want %s and the sender of the flag",
					config.Masked(cfg.SMTPURL), cfg.MailFrom, config.Masked(raw))
			}
		})
	}
}

func TestParseAcceptsDatabaseURLForms(t *testing.T) {
	tests := []struct {
		name string
		url  string
	}{
		{"postgres URL", "postgres://anliegen@db.musterstadt.de:5432/anliegen?sslmode=require"},
		{"postgresql URL", "postgresql://anliegen@db/anliegen"},
		{"key=value pairs", "host=db user=anliegen dbname=anliegen"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, _, err := parse(map[string]string{"DATABASE_URL": tt.url})
			if err != nil {
				t.Fatalf("Parse: %v, want %q accepted", err, tt.url)
			}

			if cfg.DatabaseURL != tt.url || cfg.Managed() {
				t.Errorf("database URL %q, managed %v; want %q, not managed",
					cfg.DatabaseURL, cfg.Managed(), tt.url)
			}
		})
	}
}

func TestParseBadArguments(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"unknown flag", []string{"--listen=:80"}},
		{"flag without value", []string{"--portal-addr"}},
		{"stray argument", []string{"--portal-addr=:9000", "serve"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, _, err := parse(nil, tt.args...)
			if err == nil || cfg != nil {
				t.Fatalf("Parse(%q) = %v, %v; want no configuration and an error", tt.args,
					cfg, err)
			}

			if errors.Is(err, flag.ErrHelp) {
				t.Errorf("Parse(%q) = flag.ErrHelp, want an error about the arguments", tt.args)
			}
		})
	}
}

func TestParseHelp(t *testing.T) {
	for _, arg := range []string{"--help", "-h"} {
		t.Run(arg, func(t *testing.T) {
			cfg, out, err := parse(nil, arg)
			if !errors.Is(err, flag.ErrHelp) {
				t.Fatalf("Parse(%s) error = %v, want flag.ErrHelp", arg, err)
			}

			if cfg != nil {
				t.Errorf("Parse(%s) returned a configuration, want nil", arg)
			}

			if !strings.HasPrefix(out, "Usage: anliegen ") {
				t.Errorf("usage starts %q, want it to start with %q", firstLine(out),
					"Usage: anliegen ")
			}
		})
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// TestUsageListsEveryOption reads each option's two lines of the help text: the flag with
// its variable, then the help that ends with the default.
func TestUsageListsEveryOption(t *testing.T) {
	_, out, _ := parse(nil, "--help")
	lines := strings.Split(out, "\n")

	tests := []struct {
		flag     string
		variable string
		def      string
	}{
		{"database-url", "DATABASE_URL", "(empty)"},
		{"portal-addr", "ANLIEGEN_PORTAL_ADDR", ":8080"},
		{"backoffice-addr", "ANLIEGEN_BACKOFFICE_ADDR", ":8081"},
		{"base-url", "ANLIEGEN_BASE_URL", "http://localhost:8080"},
		{"backoffice-url", "ANLIEGEN_BACKOFFICE_URL", "http://localhost:8081"},
		{"data-dir", "ANLIEGEN_DATA_DIR", "data"},
		{"secret-key-file", "ANLIEGEN_SECRET_KEY_FILE", "(empty)"},
		{"log-format", "ANLIEGEN_LOG_FORMAT", "auto"},
		{"log-level", "ANLIEGEN_LOG_LEVEL", "info"},
		{"db-max-conns", "ANLIEGEN_DB_MAX_CONNS", "20"},
		{"shutdown-timeout", "ANLIEGEN_SHUTDOWN_TIMEOUT", "10s"},
		{"timezone", "ANLIEGEN_TIMEZONE", "Europe/Berlin"},
		{"demo-catalogue", "ANLIEGEN_DEMO_CATALOGUE", "auto"},
		{"staff-mfa", "ANLIEGEN_STAFF_MFA", "required"},
		{"limit-lookups", "ANLIEGEN_LIMIT_LOOKUPS", "30"},
		{"limit-submissions", "ANLIEGEN_LIMIT_SUBMISSIONS", "10"},
		{"limit-window", "ANLIEGEN_LIMIT_WINDOW", "10m"},
		{"limit-api", "ANLIEGEN_LIMIT_API", "1000"},
		{"limit-api-key", "ANLIEGEN_LIMIT_API_KEY", "300"},
		{"smtp-url", "SMTP_URL", "(empty)"},
		{"mail-from", "ANLIEGEN_MAIL_FROM", "(empty)"},
		{"trusted-proxies", "ANLIEGEN_TRUSTED_PROXIES", "(empty)"},
		{"trusted-origins", "ANLIEGEN_TRUSTED_ORIGINS", "(empty)"},
		{"profiles", "ANLIEGEN_PROFILES", "off"},
		{"imap-url", "IMAP_URL", "(empty)"},
		{"imap-interval", "ANLIEGEN_IMAP_INTERVAL", "1m"},
		{"letterhead-name", "ANLIEGEN_LETTERHEAD_NAME", "Stadtverwaltung"},
		{"letterhead-address", "ANLIEGEN_LETTERHEAD_ADDRESS", "(empty)"},
		{"letterhead-contact", "ANLIEGEN_LETTERHEAD_CONTACT", "(empty)"},
		{"stats-report-to", "ANLIEGEN_STATS_REPORT_TO", "(empty)"},
		{"stats-refresh", "ANLIEGEN_STATS_REFRESH", "5m"},
		{"public-figures", "ANLIEGEN_PUBLIC_FIGURES", "off"},
	}
	for _, tt := range tests {
		t.Run(tt.variable, func(t *testing.T) {
			heading := "  --" + tt.flag + ", " + tt.variable
			i := indexOf(lines, heading)
			if i < 0 || i+1 >= len(lines) {
				t.Fatalf("usage has no line %q followed by its help:\n%s", heading, out)
			}

			wantEnd := "(default " + tt.def + ")"
			if help := lines[i+1]; !strings.HasSuffix(help, wantEnd) {
				t.Errorf("help of --%s is %q, want it to end with %q", tt.flag, help, wantEnd)
			}
		})
	}

	if n := strings.Count(out, "\n  --"); n != len(tests) {
		t.Errorf("usage lists %d options, want %d:\n%s", n, len(tests), out)
	}
}

func indexOf(lines []string, want string) int {
	for i, l := range lines {
		if l == want {
			return i
		}
	}

	return -1
}

func TestDataDirExplicit(t *testing.T) {
	tests := []struct {
		name string
		vars map[string]string
		args []string
		want bool
	}{
		{"default", nil, nil, false},
		{"other variables", map[string]string{"ANLIEGEN_PORTAL_ADDR": ":9000"}, nil, false},
		{"variable", map[string]string{"ANLIEGEN_DATA_DIR": "/srv/anliegen"}, nil, true},
		{"flag", nil, []string{"--data-dir=/srv/anliegen"}, true},
		{"flag with the default value", nil, []string{"--data-dir", "data"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, _, err := parse(tt.vars, tt.args...)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}

			if cfg.DataDirExplicit != tt.want {
				t.Errorf("DataDirExplicit = %v, want %v", cfg.DataDirExplicit, tt.want)
			}
		})
	}
}

func TestMasked(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"password",
			"postgres://anliegen:geheim@db.musterstadt.de:5432/anliegen?sslmode=require",
			"postgres://anliegen:xxxxx@db.musterstadt.de:5432/anliegen?sslmode=require"},
		{"escaped password", "postgresql://anliegen:ge%40heim@db/anliegen",
			"postgresql://anliegen:xxxxx@db/anliegen"},
		{"user without password", "postgres://anliegen@db.musterstadt.de/anliegen",
			"postgres://anliegen@db.musterstadt.de/anliegen"},
		{"no user", "postgres://db.musterstadt.de:5432/anliegen?sslmode=disable",
			"postgres://db.musterstadt.de:5432/anliegen?sslmode=disable"},
		{"password in the query without user", "postgres://db/anliegen?password=geheim",
			"postgres://db/anliegen?password=xxxxx"},
		{"password in the query with user", "postgres://anliegen@db/anliegen?password=geheim",
			"postgres://anliegen@db/anliegen?password=xxxxx"},
		{"key=value with password", "host=db user=anliegen password=geheim",
			"(connection string with password)"},
		{"key=value without password", "host=db user=anliegen dbname=anliegen",
			"host=db user=anliegen dbname=anliegen"},
		{"empty", "", ""},
		{"SMTP URL", "smtps://anliegen:geheim@mail.musterstadt.de:465",
			"smtps://anliegen:xxxxx@mail.musterstadt.de:465"},
		{"SMTP URL without password", "smtp+plain://relay:25", "smtp+plain://relay:25"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := config.Masked(tt.in)
			if got != tt.want {
				t.Errorf("Masked(%q) = %q, want %q", tt.in, got, tt.want)
			}

			if strings.Contains(got, "geheim") || strings.Contains(got, "ge%40heim") {
				t.Errorf("Masked(%q) = %q still shows the password", tt.in, got)
			}
		})
	}
}
