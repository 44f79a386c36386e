package mail

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	texttemplate "text/template"

	"github.com/anliegen/anliegen/internal/i18n"
	"github.com/anliegen/anliegen/internal/ticket"
)

// Mails a citizen is sent beyond those the ticket package names: a change of
// status to resolved or withdrawn has a mail of its own, and staff actions
// enqueue the mails of a forwarding, a rejection and a merge.
const (
	MessageResolved  = "resolved"
	MessageWithdrawn = "withdrawn"
	MessageForwarded = "forwarded"
	MessageRejected  = "rejected"
	MessageMerged    = "merged"
)

// Messages lists the mails a citizen is sent; each has a text and an HTML
// template in templates/mail.
var Messages = []string{
	ticket.MessageAcknowledgement, ticket.MessageStatusChanged, ticket.MessageLinkResent,
	ticket.MessageAnswer, ticket.MessageQuestion, ticket.MessageReminder,
	ticket.MessageClosedUnanswered, MessageResolved, MessageWithdrawn, MessageForwarded,
	MessageRejected, MessageMerged,
}

// Optional lists the mails a service may turn off (catalog.Service.Messages);
// the acknowledgement and the resent link always go out, as they carry the
// only way into the ticket.
var Optional = []string{
	ticket.MessageStatusChanged, ticket.MessageAnswer, ticket.MessageQuestion,
	ticket.MessageReminder, ticket.MessageClosedUnanswered, MessageResolved, MessageWithdrawn,
	MessageForwarded, MessageRejected, MessageMerged,
}

// optional reports whether a service may turn the mail off.
func optional(message string) bool {
	for _, m := range Optional {
		if m == message {
			return true
		}
	}

	return false
}

// View is what a mail template reads: the translations of the ticket's
// language and the few facts the mail names. AccessURL carries a placeholder
// for the secret, which is filled in only when the mail is sent.
type View struct {
	*i18n.Localizer
	Subject    string
	CaseNumber string
	Code       string
	Service    string
	AccessURL  string
	TrackURL   string
	PrivacyURL string
	Status     string
	StatusText string
	Note       string
	// Value is what the event names: the body a request went to, where to turn
	// instead after a rejection, or the case number a duplicate joined.
	Value string
	// CloseDate is the day a reminded ticket closes without an answer.
	CloseDate string
	// Scores are the links of the satisfaction question, one per score.
	Scores []ScoreLink
}

// ScoreLink is one answer to the satisfaction question: the score from 1 to 5
// and the portal page that takes it.
type ScoreLink struct {
	Score int
	URL   string
}

// Rendered is a mail's subject and its two bodies.
type Rendered struct {
	Subject string
	Text    string
	HTML    string
}

// Renderer holds the mail templates, parsed once at start-up so that a broken
// template stops start-up: text/template for the text part, html/template for
// the HTML part, each with its layout.
type Renderer struct {
	bundle *i18n.Bundle
	text   map[string]*texttemplate.Template
	html   map[string]*htmltemplate.Template
}

// parse adds the text and HTML templates of each message, named prefix and
// the message, with their layouts.
func (r *Renderer) parse(fsys fs.FS, layout, prefix string, messages []string) error {
	for _, m := range messages {
		name := prefix + m
		t, err := texttemplate.ParseFS(fsys, "mail/"+layout+".txt", "mail/"+name+".txt")
		if err != nil {
			return fmt.Errorf("parse mail %s.txt: %w", name, err)
		}
		r.text[name] = t

		h, err := htmltemplate.ParseFS(fsys, "mail/"+layout+".html", "mail/"+name+".html")
		if err != nil {
			return fmt.Errorf("parse mail %s.html: %w", name, err)
		}
		r.html[name] = h
	}

	return nil
}

// NewRenderer parses mail/layout.txt, mail/layout.html and both templates of
// every message in fsys, and the staff mails with mail/staff_layout.*; bundle
// gives the texts.
func NewRenderer(fsys fs.FS, bundle *i18n.Bundle) (*Renderer, error) {
	r := &Renderer{
		bundle: bundle,
		text:   map[string]*texttemplate.Template{},
		html:   map[string]*htmltemplate.Template{},
	}

	if err := r.parse(fsys, "layout", "", Messages); err != nil {
		return nil, err
	}

	if err := r.parse(fsys, "staff_layout", staffKindPrefix, StaffMessages); err != nil {
		return nil, err
	}

	return r, nil
}

// Localizer returns the translator of the language tag, German when the tag is
// not a shipped language.
func (r *Renderer) Localizer(tag string) *i18n.Localizer {
	return r.bundle.Localizer(tag)
}

// Render writes message in the language of v. The subject starts with the case
// number in brackets, so that a reply threads and lands on its ticket.
func (r *Renderer) Render(message string, v View) (Rendered, error) {
	t, ok := r.text[message]
	if !ok {
		return Rendered{}, fmt.Errorf("render mail: no message %q", message)
	}

	v.Subject = "[" + v.CaseNumber + "] " + v.T("mail_"+message+"_subject", "Status", v.Status,
		"Value", v.Value)

	var text, html bytes.Buffer
	if err := t.ExecuteTemplate(&text, "layout", v); err != nil {
		return Rendered{}, fmt.Errorf("render mail %s.txt: %w", message, err)
	}

	if err := r.html[message].ExecuteTemplate(&html, "layout", v); err != nil {
		return Rendered{}, fmt.Errorf("render mail %s.html: %w", message, err)
	}

	return Rendered{Subject: v.Subject, Text: text.String(), HTML: html.String()}, nil
}

// RenderStaff writes the staff mail message in the language of v, with the
// case number in brackets first in the subject.
func (r *Renderer) RenderStaff(message string, v StaffView) (Rendered, error) {
	name := staffKindPrefix + message
	t, ok := r.text[name]
	if !ok {
		return Rendered{}, fmt.Errorf("render mail: no staff message %q", message)
	}

	v.Subject = "[" + v.CaseNumber + "] " + v.T("bo_mail_"+message+"_subject")

	var text, html bytes.Buffer
	if err := t.ExecuteTemplate(&text, "layout", v); err != nil {
		return Rendered{}, fmt.Errorf("render mail %s.txt: %w", name, err)
	}

	if err := r.html[name].ExecuteTemplate(&html, "layout", v); err != nil {
		return Rendered{}, fmt.Errorf("render mail %s.html: %w", name, err)
	}

	return Rendered{Subject: v.Subject, Text: text.String(), HTML: html.String()}, nil
}
