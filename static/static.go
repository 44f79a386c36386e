// Package static holds the style sheets, fonts and images of the site, embedded
// so that the binary serves them itself and never from another host.
package static

import "embed"

// FS holds css/, js/ and vendor/.
//
//go:embed css js vendor
var FS embed.FS
