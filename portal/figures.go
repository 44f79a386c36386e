package portal

import (
	"context"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/stats"
	"github.com/anliegen/anliegen/internal/web"
)

// figuresTTL is how long the public figures are served from memory: they
// change slowly, and the page must not let anyone load the database at will.
const figuresTTL = 10 * time.Minute

// publicFigures reads and keeps the figures of the public page.
type publicFigures struct {
	store *stats.Store

	mu   sync.Mutex
	at   time.Time
	data *stats.Dashboard
}

// get returns the figures of the twelve months up to today, counted at most
// figuresTTL ago.
func (f *publicFigures) get(ctx context.Context) (*stats.Dashboard, error) {
	f.mu.Lock()
	defer f.mu.Unlock()

	if f.data != nil && time.Since(f.at) < figuresTTL {
		return f.data, nil
	}

	to := f.store.Day(time.Now()).AddDate(0, 0, 1)
	d, err := f.store.ServiceFigures(ctx, stats.Filter{From: to.AddDate(-1, 0, 0), To: to})
	if err != nil {
		return nil, err
	}

	f.data, f.at = d, time.Now()

	return d, nil
}

// figureRow is one public service on the page.
type figureRow struct {
	Name     string
	Received string
	Median   string
	Within   string
}

type figuresPage struct {
	web.Page
	Period  string
	Updated string
	Rows    []figureRow
}

// figures shows a few aggregated figures per public service. Services with
// fewer than five cases show no number, so that no single case can be made
// out.
func (p *Portal) figures(c *fiber.Ctx) error {
	d, err := p.publicFigures.get(c.UserContext())
	if err != nil {
		return err
	}

	services, err := p.catalog.PublicServices(c.UserContext())
	if err != nil {
		return err
	}

	page := figuresPage{Page: p.web.NewPage(c)}
	page.Period = page.T("figures_period", "From", page.Date(d.Filter.From),
		"To", page.Date(d.Filter.To.AddDate(0, 0, -1)))
	if !d.RefreshedAt.IsZero() {
		page.Updated = page.T("figures_updated", "At", page.DateTime(d.RefreshedAt))
	}

	for _, s := range services {
		page.Rows = append(page.Rows, figureOf(page.Page, s, d))
	}

	return p.web.Render(c, fiber.StatusOK, "figures", page)
}

func figureOf(page web.Page, s catalog.Service, d *stats.Dashboard) figureRow {
	var c stats.Counts
	for _, g := range d.ByService {
		if g.ID == s.ID {
			c = g.Current
		}
	}

	row := figureRow{Name: page.Pick(s.Name), Received: page.T("figures_few"),
		Median: page.T("figures_none"), Within: page.T("figures_none")}
	if c.Intake >= stats.SmallCount {
		row.Received = page.T("figures_count", "N", c.Intake)
	}

	if t := d.TimesByService[s.ID]; t != nil && t.Resolve.N() >= stats.SmallCount {
		median, _ := t.Resolve.Percentile(0.5)
		row.Median = page.T("figures_days", "Days", days(page, median))
	}

	if l := c.ResolveLevel(); l.Whole >= stats.SmallCount {
		row.Within = page.T("figures_percent", "Percent", int(l.Percent()+0.5))
	}

	return row
}

// days writes working days with one decimal and the language's decimal mark.
func days(page web.Page, v float64) string {
	whole, tenth := int(v), int((v-float64(int(v)))*10+0.5)
	if tenth == 10 {
		whole, tenth = whole+1, 0
	}

	return page.T("figures_decimal", "Whole", whole, "Tenth", tenth)
}
