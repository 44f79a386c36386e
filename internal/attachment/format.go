package attachment

import (
	"slices"

	"github.com/gabriel-vasile/mimetype"
)

// format is a file type this package knows how to check and clean.
type format struct {
	mime     string
	ext      string
	sanitise func(p Policy, data []byte) ([]byte, *Error)
}

// formats holds every type that can be allowed. SVG is left out on purpose: it is
// a document that can carry script, not a picture, and no policy can allow it.
var formats = []format{
	{mime: "image/jpeg", ext: ".jpg", sanitise: sanitiseJPEG},
	{mime: "image/png", ext: ".png", sanitise: sanitisePNG},
	{mime: "application/pdf", ext: ".pdf", sanitise: sanitisePDF},
}

// SupportedTypes returns the MIME types a Policy may allow.
func SupportedTypes() []string {
	types := make([]string, len(formats))
	for i, f := range formats {
		types[i] = f.mime
	}

	return types
}

// detect returns the format of data if the policy allows it. It also tries the
// parents of the detected type, so that an animated PNG is taken as a PNG.
func (p Policy) detect(data []byte) (format, bool) {
	for m := mimetype.Detect(data); m != nil; m = m.Parent() {
		for _, f := range formats {
			if m.Is(f.mime) && p.allows(f.mime) {
				return f, true
			}
		}
	}

	return format{}, false
}

func (p Policy) allows(mime string) bool {
	return slices.Contains(p.Types, mime)
}
