package backoffice

import (
	"time"

	"github.com/anliegen/anliegen/internal/ticket"
)

// systemEventText says in words what an event recorded by the correspondence,
// the citizen's answer or the publication for the open data interface means.
func (p ticketPage) systemEventText(e ticket.Event) string {
	switch e.Kind {
	case "reminder":
		closes, err := time.Parse(time.RFC3339, e.NewValue)
		if err != nil {
			return p.T("bo_event_reminder_plain")
		}
		return p.T("bo_event_reminder", "Date", p.Date(closes))
	case "overdue":
		due, err := time.Parse(time.DateOnly, e.NewValue)
		if err != nil {
			return p.T("bo_event_overdue_plain")
		}
		return p.T("bo_event_overdue", "Date", due.Format(p.T("format_date")))
	case "bounce":
		return p.T("bo_event_bounce")
	case "feedback":
		return p.T("bo_event_feedback", "Score", e.NewValue)
	case "publish":
		if e.NewValue == "" {
			return p.T("bo_event_unpublished")
		}
		return p.T("bo_event_published", "Text", e.NewValue)
	}

	return p.T("bo_event_other", "Kind", e.Kind)
}
