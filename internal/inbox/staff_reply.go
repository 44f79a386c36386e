package inbox

import (
	"context"

	"github.com/anliegen/anliegen/internal/ticket"
)

// staffReply drops a reply to a mail the product sent a staff member, such as
// the notice of an overdue ticket: it is remembered as ignored, so that it
// opens no ticket in the intake team and is not taken again. It reports
// whether m was one.
func (p *Poller) staffReply(ctx context.Context, m *received) (bool, error) {
	if len(m.references) == 0 {
		return false, nil
	}

	found, err := p.opts.Tickets.RepliesToStaffMail(ctx, m.references)
	if err != nil || !found {
		return false, err
	}

	if err := p.record(ctx, m, ticket.MailIgnored); err != nil {
		return false, err
	}

	p.log.Info("mail dropped: reply to a staff notification")

	return true, nil
}
