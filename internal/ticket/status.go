// Package ticket is the life of a concern from submission to closing: storing it,
// its statuses and their allowed transitions, its conversation and its events.
package ticket

// Status is where a ticket stands in its life.
type Status string

// The statuses of a ticket; see the design's "Ticket life".
const (
	Received          Status = "received"
	InReview          Status = "in_review"
	InProgress        Status = "in_progress"
	WaitingForCitizen Status = "waiting_for_citizen"
	Forwarded         Status = "forwarded"
	Resolved          Status = "resolved"
	Closed            Status = "closed"
	Rejected          Status = "rejected"
	Withdrawn         Status = "withdrawn"
	Merged            Status = "merged"
)

// Statuses lists every status in the order of a ticket's life.
var Statuses = []Status{
	Received, InReview, InProgress, WaitingForCitizen, Forwarded, Resolved, Closed,
	Rejected, Withdrawn, Merged,
}

// transitions says which statuses staff may move a ticket to from each status.
// Withdrawal is the citizen's own act and merging has its own action, so neither
// is offered here.
var transitions = map[Status][]Status{
	Received:          {InReview, InProgress, WaitingForCitizen, Forwarded, Rejected, Resolved},
	InReview:          {InProgress, WaitingForCitizen, Forwarded, Rejected, Resolved},
	InProgress:        {InReview, WaitingForCitizen, Forwarded, Resolved},
	WaitingForCitizen: {InReview, InProgress, Resolved, Closed},
	Forwarded:         {InProgress, Closed},
	Resolved:          {InProgress, Closed},
	Closed:            {InProgress},
	Rejected:          {InReview},
	Withdrawn:         {},
	Merged:            {},
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	_, ok := transitions[s]
	return ok
}

// Terminal reports whether a ticket in s is finished, as Open311 maps to closed.
func (s Status) Terminal() bool {
	switch s {
	case Closed, Rejected, Withdrawn, Merged:
		return true
	}

	return false
}

// Next lists the statuses staff may move a ticket in s to.
func (s Status) Next() []Status {
	return transitions[s]
}

// CanMoveTo reports whether staff may move a ticket from s to to.
func (s Status) CanMoveTo(to Status) bool {
	for _, n := range transitions[s] {
		if n == to {
			return true
		}
	}

	return false
}
