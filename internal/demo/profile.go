package demo

import (
	"math/rand/v2"
	"time"
)

// profile is how the tickets of one kind of service look and behave: how many
// there are, when they come, what citizens write and how long the work takes.
// Services the demo does not know get defaultProfile.
type profile struct {
	weight     float64                 // share of all tickets, relative to the other services
	months     [12]float64             // seasonal factor per month, January first
	workDays   float64                 // median days from starting the work to resolving it
	place      func(*rand.Rand) string // where the concern is
	stories    []story
	resolved   []string // public notes on resolving
	officeOnly bool     // internal: hardly anything comes in outside office hours
}

// story is one kind of concern with the words a citizen uses for it, in German
// and in English. "{ort}" stands for the place and "{dienst}" for the name of
// the service.
type story struct {
	subject   string
	subjectEN string
	body      string
	bodyEN    string
	choice    string // option key of the form's choice field
}

// weightAt returns how likely a ticket created at t belongs to this profile's
// service, relative to the others.
func (p *profile) weightAt(t time.Time) float64 {
	w := p.weight * p.seasonAt(t)
	if p.officeOnly && !officeHours(t) {
		w *= 0.05
	}

	return w
}

// seasonAt returns the seasonal factor at t.
func (p *profile) seasonAt(t time.Time) float64 {
	return monthly(&p.months, t)
}

// profileOf returns the profile of the service with code.
func profileOf(code string) *profile {
	if p, ok := profiles[code]; ok {
		return p
	}

	return defaultProfile
}
