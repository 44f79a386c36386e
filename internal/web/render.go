package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/i18n"
)

// Renderer holds the parsed pages of one app: each page is parsed together with
// the app's layout and the shared partials once at start-up, so a broken
// template stops start-up instead of a request. Each page is kept once per
// language too, with its fixed texts already translated (see inline.go).
type Renderer struct {
	pages   map[string]*template.Template
	inlined map[string]map[string]*template.Template // language, then page
	// partials are the layout and the partials alone, for the parts of a
	// page rendered once at start-up.
	partials *template.Template
}

// NewRenderer parses layouts/<app>.html, partials/*.html and every page in
// <app>/ and shared/ of fsys, and makes a translated copy of each page for
// every language of bundle; a nil bundle makes none.
func NewRenderer(fsys fs.FS, app string, bundle *i18n.Bundle) (*Renderer, error) {
	base, err := template.ParseFS(fsys, "layouts/"+app+".html", "partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse %s layout: %w", app, err)
	}

	r := &Renderer{
		pages:    map[string]*template.Template{},
		inlined:  map[string]map[string]*template.Template{},
		partials: template.Must(base.Clone()),
	}
	for _, dir := range []string{app, "shared"} {
		files, err := fs.Glob(fsys, dir+"/*.html")
		if err != nil {
			return nil, fmt.Errorf("list %s pages: %w", dir, err)
		}

		for _, f := range files {
			t, err := template.Must(base.Clone()).ParseFS(fsys, f)
			if err != nil {
				return nil, fmt.Errorf("parse page %s: %w", f, err)
			}
			r.pages[strings.TrimSuffix(path.Base(f), ".html")] = t
		}
	}

	if bundle != nil {
		if err := r.inlineAll(bundle); err != nil {
			return nil, err
		}
	}

	return r, nil
}

func (r *Renderer) inlineAll(bundle *i18n.Bundle) error {
	for _, l := range bundle.Languages() {
		loc := bundle.Localizer(l.Tag)
		pages := make(map[string]*template.Template, len(r.pages))
		for name, t := range r.pages {
			it, err := inlineTexts(t, loc)
			if err != nil {
				return fmt.Errorf("translate page %s into %s: %w", name, l.Tag, err)
			}
			if err := foldTexts(it); err != nil {
				return fmt.Errorf("escape page %s in %s: %w", name, l.Tag, err)
			}
			pages[name] = it
		}
		r.inlined[l.Tag] = pages
	}

	return nil
}

// Pages lists the names of all parsed pages.
func (r *Renderer) Pages() []string {
	names := make([]string, 0, len(r.pages))
	for n := range r.pages {
		names = append(names, n)
	}

	return names
}

// Execute renders page with data into a buffer.
func (r *Renderer) Execute(page string, data any) ([]byte, error) {
	var buf bytes.Buffer
	if err := r.execute(&buf, page, data); err != nil {
		return nil, err
	}

	return buf.Bytes(), nil
}

// execute writes page with data to w. Data that embeds a Page gets the page
// translated into the Page's language.
func (r *Renderer) execute(w io.Writer, page string, data any) error {
	var lang string
	if p, ok := data.(interface{ language() string }); ok {
		lang = p.language()
	}

	t, ok := r.inlined[lang][page]
	if !ok {
		if t, ok = r.pages[page]; !ok {
			return fmt.Errorf("render: no page %q", page)
		}
	}

	if err := t.ExecuteTemplate(w, "layout", data); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}

	return nil
}

// Render answers the request with page. It is rendered straight into the
// response body, which is sent only after the handler returns, so a template
// error still becomes a clean error page.
func (s *Server) Render(c *fiber.Ctx, status int, page string, data any) error {
	resp := c.Response()
	resp.ResetBody()
	if err := s.renderer.execute(resp.BodyWriter(), page, data); err != nil {
		resp.ResetBody()
		return err
	}

	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Type("html", "utf-8")
	c.Status(status)

	return nil
}
