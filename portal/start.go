package portal

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/web"
)

type serviceLink struct {
	Code string
	Name string
	Help string
}

type serviceGroup struct {
	Name     string
	Services []serviceLink
}

type startPage struct {
	web.Page
	Query   string
	Found   int
	Groups  []serviceGroup
	Queried bool
}

func (p *Portal) start(c *fiber.Ctx) error {
	services, err := p.catalog.PublicServices(c.UserContext())
	if err != nil {
		return err
	}

	page := startPage{Page: p.web.NewPage(c), Query: strings.TrimSpace(c.Query("q"))}
	if len([]rune(page.Query)) > 100 {
		page.Query = string([]rune(page.Query)[:100])
	}
	page.Queried = page.Query != ""

	index := map[string]int{}
	for _, s := range services {
		if page.Queried && !matches(page.Page, s, page.Query) {
			continue
		}

		group := page.Pick(s.Group)
		i, ok := index[group]
		if !ok {
			i = len(page.Groups)
			index[group] = i
			page.Groups = append(page.Groups, serviceGroup{Name: group})
		}
		page.Groups[i].Services = append(page.Groups[i].Services, serviceLink{
			Code: s.Code, Name: page.Pick(s.Name), Help: page.Pick(s.Help),
		})
		page.Found++
	}

	return p.web.Render(c, fiber.StatusOK, "start", page)
}

// matches reports whether every word of query occurs in the service's name,
// help, group or keywords, in the reader's language or in German.
func matches(page web.Page, s catalog.Service, query string) bool {
	text := strings.ToLower(strings.Join([]string{
		page.Pick(s.Name), page.Pick(s.Help), page.Pick(s.Group), s.Keywords,
		s.Name["de"], s.Help["de"],
	}, " "))

	for _, word := range strings.Fields(strings.ToLower(query)) {
		if !strings.Contains(text, word) {
			return false
		}
	}

	return true
}
