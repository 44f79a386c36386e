package inbox

import (
	"bufio"
	"bytes"
	"net/textproto"
	"strings"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"
)

// report is what a delivery status notification (RFC 3464) says: which
// recipients failed, and the header of the mail that bounced.
type report struct {
	recipients  int      // recipient blocks read
	failed      []string // addresses of the recipients whose delivery failed
	original    mail.Header
	hasOriginal bool
}

// isReportPart reports whether a part of a delivery report is one it reads: the
// status, or the returned mail or its header.
func isReportPart(kind string) bool {
	switch kind {
	case "message/delivery-status", "message/global-delivery-status",
		"message/rfc822", "message/global", "text/rfc822-headers", "message/global-headers":
		return true
	}

	return false
}

func (rp *report) read(kind string, b []byte) {
	if strings.HasSuffix(kind, "delivery-status") {
		rp.readStatus(b)
		return
	}

	if rp.hasOriginal {
		return
	}

	// A returned header alone may lack the blank line that ends a header.
	e, _ := message.Read(bytes.NewReader(append(b, "\r\n\r\n"...)))
	if e != nil {
		rp.original, rp.hasOriginal = mail.Header{Header: e.Header}, true
	}
}

// readStatus reads the status fields: one block about the message, then one
// block for each recipient, separated by blank lines.
func (rp *report) readStatus(b []byte) {
	tp := textproto.NewReader(bufio.NewReader(bytes.NewReader(b)))
	if _, err := tp.ReadMIMEHeader(); err != nil {
		return
	}

	for {
		h, err := tp.ReadMIMEHeader()
		if h.Get("Final-Recipient") != "" || h.Get("Original-Recipient") != "" {
			rp.recipients++
			if strings.EqualFold(strings.TrimSpace(h.Get("Action")), "failed") {
				rp.failed = append(rp.failed, address(h.Get("Final-Recipient")),
					address(h.Get("Original-Recipient")))
			}
		}

		if err != nil {
			return
		}
	}
}

// address returns the address of a recipient field, "rfc822; maria@example.org".
func address(field string) string {
	_, addr, found := strings.Cut(field, ";")
	if !found {
		addr = field
	}

	return strings.Trim(strings.TrimSpace(addr), "<>")
}

// failedFor reports whether the report says that mail to addr failed. A bounce
// that names no recipients, as some servers send, counts as failed for anyone.
func (rp *report) failedFor(addr string) bool {
	if rp == nil || rp.recipients == 0 {
		return true
	}

	for _, f := range rp.failed {
		if f != "" && strings.EqualFold(f, addr) {
			return true
		}
	}

	return false
}
