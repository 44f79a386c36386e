package open311

import (
	"mime/multipart"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// params are the inputs of one request, from the query string and the body
// (URL-encoded or multipart) alike: clients put jurisdiction_id and even
// api_key in either. The values are copies that outlive the request's buffers.
type params struct {
	values url.Values
	files  map[string][]*multipart.FileHeader
}

func readParams(c *fiber.Ctx) params {
	p := params{values: url.Values{}}
	c.Request().URI().QueryArgs().VisitAll(func(k, v []byte) {
		p.values.Add(string(k), string(v))
	})

	if c.Method() != fiber.MethodPost {
		return p
	}

	if form, err := c.MultipartForm(); err == nil {
		for k, vs := range form.Value {
			p.values[k] = append(p.values[k], vs...)
		}
		p.files = form.File
		return p
	}

	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		p.values.Add(string(k), string(v))
	})

	return p
}

// get returns the first value of name that is not empty: an empty parameter
// counts as absent.
func (p params) get(name string) string {
	for _, v := range p.values[name] {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}

	return ""
}

// apiKey is the key from the query, the body or a header.
func (p params) apiKey(c *fiber.Ctx) string {
	if k := p.get("api_key"); k != "" {
		return k
	}

	for _, h := range []string{"api_key", "Api-Key", "X-Api-Key"} {
		if k := strings.TrimSpace(c.Get(h)); k != "" {
			return k
		}
	}

	return ""
}

// attributePattern matches attribute[CODE], attribute[CODE][] and
// attribute[CODE][N]: clients encode lists each way.
var attributePattern = regexp.MustCompile(`^attribute\[([^\[\]]+)\](\[[^\[\]]*\])?$`)

// attributes returns the values of every attribute[...] parameter by code, each
// as a list whichever way it was encoded; empty values are left out.
func (p params) attributes() map[string][]string {
	names := make([]string, 0, len(p.values))
	for k := range p.values {
		names = append(names, k)
	}
	sort.Strings(names) // attribute[C] before attribute[C][0] before attribute[C][1]

	out := map[string][]string{}
	for _, k := range names {
		vs := p.values[k]
		m := attributePattern.FindStringSubmatch(k)
		if m == nil {
			continue
		}
		code := strings.TrimSpace(m[1])
		for _, v := range vs {
			if v = strings.TrimSpace(v); v != "" {
				out[code] = append(out[code], v)
			}
		}
	}

	return out
}

// zonedLayouts and localLayouts are the datetimes accepted: with or without
// seconds, with Z or an offset, or in the city's time, or a date alone.
var (
	zonedLayouts = []string{
		time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05Z0700",
		"2006-01-02T15:04Z0700", "2006-01-02T15:04:05Z07", "2006-01-02T15:04Z07",
	}
	localLayouts = []string{
		"2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02",
	}
)

// parseDatetime reads a datetime as clients send it. A "+" of an offset that
// was not percent-encoded arrives as a space and is put back.
func parseDatetime(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 10 && s[10] == ' ' {
		s = s[:10] + "T" + s[11:]
	}
	if i := strings.LastIndexByte(s, ' '); i > 10 {
		s = s[:i] + "+" + s[i+1:]
	}

	for _, l := range zonedLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}

	for _, l := range localLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, true
		}
	}

	return time.Time{}, false
}

// splitList splits a comma-separated parameter, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}

	return out
}
