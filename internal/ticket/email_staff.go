package ticket

import (
	"context"
	"fmt"
	"regexp"
	"strings"
)

// staffSentSQL finds whether one of the given Message-IDs is that of a mail
// sent to a staff member; the list carries each ID with and without angle
// brackets, as sentMessageSQL's does.
const staffSentSQL = `
SELECT EXISTS (
	SELECT 1
	FROM outgoing_mail
	WHERE message_id = ANY($1)
	  AND kind LIKE 'staff\_%'
)`

// staffIDPattern is the form of the Message-ID of a mail to a staff member,
// <staff-TICKET-MESSAGE-STAFF-JOB@host>, which tells it apart where the
// outgoing mail is no longer kept.
var staffIDPattern = regexp.MustCompile(
	`^staff-[0-9]{1,18}-[a-z_]{1,64}-[0-9]{1,18}-[0-9]{1,18}@.+$`)

// RepliesToStaffMail reports whether a mail whose In-Reply-To and References
// carry ids answers a mail that went to a staff member, such as the notice of
// an overdue ticket. Such a reply is a colleague's, not a citizen's concern,
// and must not open a ticket.
func (s *Store) RepliesToStaffMail(ctx context.Context, ids []string) (bool, error) {
	var forms []string
	for _, id := range ids {
		id = strings.Trim(strings.TrimSpace(id), "<>")
		if id == "" {
			continue
		}

		if staffIDPattern.MatchString(id) {
			return true, nil
		}
		forms = append(forms, id, "<"+id+">")
	}

	if len(forms) == 0 {
		return false, nil
	}

	var found bool
	if err := s.pool.QueryRow(ctx, staffSentSQL, forms).Scan(&found); err != nil {
		return false, fmt.Errorf("look up staff mail: %w", err)
	}

	return found, nil
}
