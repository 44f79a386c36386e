// Package templates holds the html/template files of the portal, the back office,
// mails and letters, embedded so that the binary carries them.
package templates

import "embed"

// FS holds layouts/, partials/, portal/, backoffice/, shared/ and mail/.
//
//go:embed layouts partials portal backoffice shared mail
var FS embed.FS
