package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Renderer holds the parsed pages of one app: each page is parsed together with
// the app's layout and the shared partials once at start-up, so a broken
// template stops start-up instead of a request.
type Renderer struct {
	pages map[string]*template.Template
}

// NewRenderer parses layouts/<app>.html, partials/*.html and every page in
// <app>/ and shared/ of fsys.
func NewRenderer(fsys fs.FS, app string) (*Renderer, error) {
	base, err := template.ParseFS(fsys, "layouts/"+app+".html", "partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse %s layout: %w", app, err)
	}

	r := &Renderer{pages: map[string]*template.Template{}}
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

	return r, nil
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
	t, ok := r.pages[page]
	if !ok {
		return nil, fmt.Errorf("render: no page %q", page)
	}

	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return nil, fmt.Errorf("render %s: %w", page, err)
	}

	return buf.Bytes(), nil
}

// Render answers the request with page, rendered completely before anything is
// sent so that a template error becomes a clean error page.
func (s *Server) Render(c *fiber.Ctx, status int, page string, data any) error {
	b, err := s.renderer.Execute(page, data)
	if err != nil {
		return err
	}

	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Type("html", "utf-8")

	return c.Status(status).Send(b)
}
