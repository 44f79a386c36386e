package demo

import (
	"strconv"
	"time"

	"github.com/anliegen/anliegen/internal/ticket"
)

// stop stands for a finished ticket staying where it is.
const stop ticket.Status = ""

// maxMoves bounds the status changes of one ticket.
const maxMoves = 16

// moves weights where a ticket goes next from each status, among the moves
// Status.Next allows; a move missing here is not made.
var moves = map[ticket.Status]map[ticket.Status]int{
	ticket.Received: {ticket.InReview: 55, ticket.InProgress: 25, ticket.WaitingForCitizen: 5,
		ticket.Forwarded: 4, ticket.Rejected: 3, ticket.Resolved: 7},
	ticket.InReview: {ticket.InProgress: 70, ticket.WaitingForCitizen: 10, ticket.Forwarded: 5,
		ticket.Rejected: 3, ticket.Resolved: 10},
	ticket.InProgress: {ticket.Resolved: 85, ticket.WaitingForCitizen: 8, ticket.Forwarded: 3,
		ticket.InReview: 4},
	ticket.WaitingForCitizen: {ticket.InProgress: 55, ticket.InReview: 15, ticket.Resolved: 10,
		ticket.Closed: 20},
	ticket.Forwarded: {ticket.Closed: 80, ticket.InProgress: 20},
	ticket.Resolved:  {ticket.Closed: 96, ticket.InProgress: 4},
	ticket.Closed:    {stop: 985, ticket.InProgress: 15},
	ticket.Rejected:  {stop: 96, ticket.InReview: 4},
}

// life plays out one ticket from its submission up to now and records what
// happens as events and messages in the batch.
type life struct {
	g      *generator
	b      *batch
	t      *ticketRow
	svc    *service
	status ticket.Status
	at     time.Time // of the last change
	last   time.Time // of the last event or message
	events int32
	worked bool // whether staff have acted on the ticket
}

// live records the submission with the citizen's first message, walks the
// ticket along allowed moves until it is finished or the next move lies after
// now, and leaves the ticket's columns as its events say.
func (l *life) live(first string) {
	l.event("status", 0, "", string(ticket.Received), "", l.at)
	l.message("from_citizen", 0, first, l.at)

	for range maxMoves {
		if !l.step() {
			break
		}
	}

	l.t.status = l.status
	l.t.version = l.events
	l.t.updatedAt = l.last
}

// step makes the ticket's next move and reports whether there was one.
func (l *life) step() bool {
	to := l.g.pickMove(l.status)
	if to == stop {
		return false
	}

	if l.status == ticket.WaitingForCitizen && to != ticket.Closed && !l.citizenAnswers() {
		return false
	}

	at, byStaff := l.g.moveTime(l.status, to, l.at, l.svc)
	if !at.Before(l.g.now) {
		return false
	}

	var actor int64
	if byStaff {
		actor = l.staffActs(at)
	}
	l.move(to, at, actor, byStaff)

	return true
}

// pickMove draws the next status after from, or stop.
func (g *generator) pickMove(from ticket.Status) ticket.Status {
	weights := moves[from]
	choices := make([]weighted[ticket.Status], 0, 8)
	for _, to := range from.Next() {
		if w := weights[to]; w > 0 {
			choices = append(choices, weighted[ticket.Status]{to, w})
		}
	}

	if w := weights[stop]; w > 0 {
		choices = append(choices, weighted[ticket.Status]{stop, w})
	}

	if len(choices) == 0 {
		return stop
	}

	return pick(g.rng, choices)
}

// citizenAnswers records the citizen's answer to a question and reports
// whether it came before now.
func (l *life) citizenAnswers() bool {
	at := l.at.Add(l.g.lognormal(2))
	if !at.Before(l.g.now) {
		return false
	}

	l.message("from_citizen", 0, l.g.citizenAnswer(l.t.language), at)
	l.at = at

	return true
}

// move records the change of status and what staff write with it.
func (l *life) move(to ticket.Status, at time.Time, actor int64, byStaff bool) {
	l.event("status", actor, string(l.status), string(to), l.g.publicNote(l, to, byStaff), at)
	if byStaff {
		l.write(to, actor, at)
	}

	if to == ticket.Resolved {
		l.t.resolvedAt = at
	}

	l.t.closedAt = time.Time{}
	if to.Terminal() {
		l.t.closedAt = at
	}

	l.status, l.at = to, at
}

// staffActs returns who of the staff makes a change at at, assigning the
// ticket or changing its priority first where that is due. It returns 0 when
// there is no staff.
func (l *life) staffActs(at time.Time) int64 {
	g, w := l.g, l.g.world
	first := !l.worked
	l.worked = true

	switch {
	case l.t.assigneeID == 0 && first && g.rng.IntN(100) < 85,
		l.t.assigneeID != 0 && g.rng.IntN(100) < 4:
		l.assign(w.colleague(g.rng, l.t.teamID), at)
	}

	if first && g.rng.IntN(100) < 3 && l.t.priority == "normal" {
		l.event("priority", l.t.assigneeID, l.t.priority, "high", "", l.before(at))
		l.t.priority = "high"
	}

	if l.t.assigneeID != 0 && g.rng.IntN(100) < 80 {
		return l.t.assigneeID
	}

	return w.colleague(g.rng, l.t.teamID)
}

// assign gives the ticket to staff member to, shortly before at.
func (l *life) assign(to int64, at time.Time) {
	if to == 0 || to == l.t.assigneeID {
		return
	}

	old := ""
	if l.t.assigneeID != 0 {
		old = strconv.FormatInt(l.t.assigneeID, 10)
	}

	// Most pick a ticket themselves; otherwise the team lead hands it over.
	actor := to
	if l.g.rng.IntN(100) < 40 {
		actor = l.g.world.colleague(l.g.rng, l.t.teamID)
	}

	l.event("assignment", actor, old, strconv.FormatInt(to, 10), "", l.before(at))
	l.t.assigneeID = to
}

// before returns a moment in the minutes before at, after the last event or
// message.
func (l *life) before(at time.Time) time.Time {
	t := at.Add(-time.Duration(l.g.rng.Int64N(int64(20 * time.Minute))))

	return minTime(maxTime(t, l.last.Add(time.Second)), at)
}

func (l *life) event(kind string, actor int64, from, to, note string, at time.Time) {
	l.b.events = append(l.b.events, eventRow{
		ticketID: l.t.id, kind: kind, actorID: actor, oldValue: from, newValue: to,
		note: note, at: at,
	})
	l.events++
	l.last = maxTime(l.last, at)
}

func (l *life) message(kind string, author int64, body string, at time.Time) {
	l.b.messages = append(l.b.messages, messageRow{
		ticketID: l.t.id, kind: kind, authorID: author, body: body, at: at,
	})
	l.last = maxTime(l.last, at)

	if kind == "to_citizen" && l.t.firstAnswerAt.IsZero() {
		l.t.firstAnswerAt = at
	}
}
