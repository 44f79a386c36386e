package mail

import (
	"strconv"

	"github.com/anliegen/anliegen/internal/ticket"
)

// MessageID returns the Message-ID, without angle brackets, of the mail that
// job jobID sends for args: every attempt of a job sends under the same ID, so
// a retry after a crash is recognisable as the same mail, here and by the
// citizen's mail program. host is the portal's host name.
func MessageID(args ticket.NotifyArgs, jobID int64, host string) string {
	about := args.Message
	if args.EventID != 0 {
		about = strconv.FormatInt(args.EventID, 10)
	}

	return "notify-" + strconv.FormatInt(args.TicketID, 10) + "-" + about + "-" +
		strconv.FormatInt(jobID, 10) + "@" + host
}
