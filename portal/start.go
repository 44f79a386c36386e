package portal

import (
	"github.com/gofiber/fiber/v2"

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
	Groups []serviceGroup
}

func (p *Portal) start(c *fiber.Ctx) error {
	services, err := p.catalog.PublicServices(c.UserContext())
	if err != nil {
		return err
	}

	page := startPage{Page: p.web.NewPage(c)}
	index := map[string]int{}
	for _, s := range services {
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
	}

	return p.web.Render(c, fiber.StatusOK, "start", page)
}
