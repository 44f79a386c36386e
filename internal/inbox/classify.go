package inbox

import (
	"strings"
)

// kind is what a mail is, as far as answering it goes.
type kind int

const (
	personal  kind = iota // written by a person: a reply or a new concern
	autoReply             // written by a program: out of office, read receipt, auto-responder
	bulk                  // mailing list or newsletter traffic
	bounce                // a delivery failure report
)

// classify tells mail written by a person from mail that a program sent, which
// must never be answered automatically (RFC 3834), and bounces from both.
func classify(m *received) kind {
	h := m.header
	switch {
	case m.report != nil, strings.EqualFold(m.reportType, "delivery-status"), daemon(m.from),
		h.Get("X-Failed-Recipients") != "":
		return bounce
	case m.reportType != "":
		return autoReply
	}

	if v := token(h.Get("Auto-Submitted")); v != "" && v != "no" {
		return autoReply
	}

	if h.Has("X-Autoreply") || h.Has("X-Autorespond") || h.Has("X-Auto-Response-Suppress") {
		return autoReply
	}

	switch token(h.Get("Precedence")) {
	case "bulk", "list", "junk":
		return bulk
	case "auto_reply":
		return autoReply
	}

	if h.Has("List-Id") || h.Has("List-Unsubscribe") {
		return bulk
	}

	// A null return path is how programs send what must not bounce back.
	if strings.TrimSpace(h.Get("Return-Path")) == "<>" {
		return autoReply
	}

	return personal
}

// token returns the first word of a header value, lower case: "auto-replied" of
// "auto-replied; owner-email=…".
func token(v string) string {
	v, _, _ = strings.Cut(v, ";")
	return strings.ToLower(strings.TrimSpace(v))
}

// daemon reports whether addr is a mail system's own, which sends bounces.
func daemon(addr string) bool {
	local, _, _ := strings.Cut(strings.ToLower(addr), "@")
	return local == "mailer-daemon" || local == "postmaster"
}
