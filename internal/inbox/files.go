package inbox

import (
	"errors"
	"fmt"
	"strings"

	"github.com/anliegen/anliegen/internal/attachment"
)

// refusalReasons says in German, for staff, why an attachment was not taken.
var refusalReasons = map[string]string{
	attachment.ErrTooLarge:      "zu groß",
	attachment.ErrTooMany:       "mehr Anhänge, als ein Anliegen haben darf",
	attachment.ErrTotalTooLarge: "alle Anhänge zusammen zu groß",
	attachment.ErrType:          "Dateityp nicht zugelassen",
	attachment.ErrDamaged:       "beschädigt oder nicht lesbar",
	attachment.ErrEmpty:         "leer",
	attachment.ErrImageTooBig:   "Bild mit zu vielen Bildpunkten",
}

// files checks a mail's attachments by the portal's rules and returns those
// taken, and an internal note naming the others and why, empty when all were
// taken. Unlike a form, a mail cannot be sent back to be fixed, so files beyond
// the limits of a request are left out one by one instead of refusing all.
func (p *Poller) files(uploads []attachment.Upload) ([]attachment.File, string) {
	if len(uploads) == 0 {
		return nil, ""
	}

	within, lines := p.withinLimits(uploads)
	files, err := p.opts.Files.CheckAll(within)

	var refused attachment.Errors
	if errors.As(err, &refused) {
		for _, r := range refused {
			lines = append(lines, refusal(r.File, r.ID))
		}
	}

	if len(lines) == 0 {
		return files, ""
	}

	return files, "Nicht übernommene Anhänge der E-Mail (sie bleibt im Original erhalten):\n" +
		strings.Join(lines, "\n")
}

// withinLimits takes the uploads, in order, that fit the number and total size
// of a request, and lists the others with the reason. A file too large by itself
// is taken, so that CheckAll names it, but counts toward no total.
func (p *Poller) withinLimits(uploads []attachment.Upload) ([]attachment.Upload, []string) {
	var within []attachment.Upload
	var beyond []string
	var total int64
	for _, u := range uploads {
		size := int64(len(u.Data))
		switch {
		case len(within) >= p.opts.Files.MaxFiles:
			beyond = append(beyond, refusal(u.Name, attachment.ErrTooMany))
		case size > p.opts.Files.MaxFileSize:
			within = append(within, u)
		case total+size > p.opts.Files.MaxTotalSize:
			beyond = append(beyond, refusal(u.Name, attachment.ErrTotalTooLarge))
		default:
			within = append(within, u)
			total += size
		}
	}

	return within, beyond
}

func refusal(name, id string) string {
	r, ok := refusalReasons[id]
	if !ok {
		r = id
	}

	return fmt.Sprintf("- %s: %s", name, r)
}
