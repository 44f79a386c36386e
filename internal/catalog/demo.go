package catalog

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
)

//go:embed demo.json
var demoJSON []byte

type demoCatalogue struct {
	Teams    []Team `json:"teams"`
	Services []struct {
		Code           string  `json:"code"`
		Team           string  `json:"team"`
		SLADays        int32   `json:"sla_days"`
		Public         bool    `json:"public"`
		AllowAnonymous bool    `json:"allow_anonymous"`
		Position       int32   `json:"position"`
		Keywords       string  `json:"keywords"`
		Group          Texts   `json:"group"`
		Name           Texts   `json:"name"`
		Help           Texts   `json:"help"`
		Promise        Texts   `json:"promise"`
		Form           []Field `json:"form"`
	} `json:"services"`
}

// LoadDemo fills an empty catalogue with a handful of realistic city services and
// their teams. It does nothing when services exist already.
func (s *Store) LoadDemo(ctx context.Context) (bool, error) {
	empty, err := s.Empty(ctx)
	if err != nil || !empty {
		return false, err
	}

	var demo demoCatalogue
	if err := json.Unmarshal(demoJSON, &demo); err != nil {
		return false, fmt.Errorf("read demo catalogue: %w", err)
	}

	teams := map[string]int64{}
	for _, t := range demo.Teams {
		t, err := s.CreateTeam(ctx, t)
		if err != nil {
			return false, fmt.Errorf("load demo catalogue: %w", err)
		}
		teams[t.Slug] = t.ID
	}

	for _, d := range demo.Services {
		sla := d.SLADays
		svc := Service{
			Code: d.Code, TeamID: teams[d.Team], Group: d.Group, Name: d.Name, Help: d.Help,
			Promise: d.Promise, Keywords: d.Keywords, Form: d.Form, SLADays: &sla,
			Public: d.Public, AllowAnonymous: d.AllowAnonymous, Position: d.Position,
		}
		if _, err := s.CreateService(ctx, svc); err != nil {
			return false, fmt.Errorf("load demo catalogue: %w", err)
		}
	}

	return true, nil
}
