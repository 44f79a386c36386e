package demo

import (
	"math"
	"time"

	"github.com/anliegen/anliegen/internal/ticket"
)

// Bounds of a single wait between two changes of a ticket.
const (
	shortestWait = 10 * time.Minute
	longestWait  = 120 * 24 * time.Hour
)

// Nights after which the system closes a ticket by itself.
const (
	closeUnanswered = 21 // waiting for the citizen, who did not answer
	closeResolved   = 14 // resolved, and the citizen did not object
)

// moveTime returns when a ticket that changed at since moves from one status
// to the next, and whether staff make the move; the others are the system's
// nightly closing of tickets nobody came back to. Staff work in office hours.
func (g *generator) moveTime(
	from, to ticket.Status,
	since time.Time,
	svc *service,
) (time.Time, bool) {
	switch {
	case from == ticket.WaitingForCitizen && to == ticket.Closed:
		return nightAfter(g.rng, since, closeUnanswered), false
	case from == ticket.Resolved && to == ticket.Closed && g.rng.IntN(4) > 0:
		return nightAfter(g.rng, since, closeResolved), false
	}

	wait := g.lognormal(g.medianDays(from, to, svc) * g.pace(since))

	return nextOfficeTime(g.rng, since.Add(wait)), true
}

// medianDays returns the typical wait, in days, before staff move a ticket
// from one status to the next. Reactions scale with the days the service
// promises, the work itself with what the work is.
func (g *generator) medianDays(from, to ticket.Status, svc *service) float64 {
	sla := float64(svc.slaDays())
	if sla == 0 {
		sla = 7
	}

	switch to {
	case ticket.Resolved:
		return resolveDays(from, svc.profile.workDays, sla)
	case ticket.InProgress:
		return startDays(from, sla)
	case ticket.InReview:
		return 0.05 * sla
	case ticket.WaitingForCitizen:
		return 0.1 * sla
	case ticket.Forwarded, ticket.Rejected:
		return 0.2 * sla
	}

	return 1
}

// resolveDays is the typical time to resolve a ticket from status from: what
// was not checked first is mostly simple.
func resolveDays(from ticket.Status, work, sla float64) float64 {
	if work == 0 {
		work = sla / 2
	}

	switch from {
	case ticket.Received:
		return 0.3 * work
	case ticket.InReview:
		return 0.6 * work
	case ticket.WaitingForCitizen:
		return 0.5 * work
	}

	return work
}

// startDays is the typical time before work starts on a ticket in from.
func startDays(from ticket.Status, sla float64) float64 {
	switch from {
	case ticket.Received, ticket.InReview:
		return 0.1 * sla
	case ticket.WaitingForCitizen:
		return 0.1 * sla
	case ticket.Forwarded:
		return 7 // the other authority sends it back
	}

	return 2 // reopened
}

// pace is how long the work takes at t compared with the average: the city
// gets faster over the two years as it gets used to the portal.
func (g *generator) pace(t time.Time) float64 {
	progress := float64(t.Sub(g.from)) / float64(g.now.Sub(g.from))

	return 1.2 - 0.35*progress
}

// lognormal draws a wait with the given median in days: mostly near it, now
// and then many times longer, as waits in offices are.
func (g *generator) lognormal(days float64) time.Duration {
	d := time.Duration(days * math.Exp(0.8*g.rng.NormFloat64()) * float64(24*time.Hour))

	return min(max(d, shortestWait), longestWait)
}
