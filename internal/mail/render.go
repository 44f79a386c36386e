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

// Messages lists the mails a citizen is sent; each has a text and an HTML
// template in templates/mail.
var Messages = []string{
	ticket.MessageAcknowledgement, ticket.MessageStatusChanged, ticket.MessageLinkResent,
	ticket.MessageAnswer, ticket.MessageQuestion,
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

// NewRenderer parses mail/layout.txt, mail/layout.html and both templates of
// every message in fsys; bundle gives the texts.
func NewRenderer(fsys fs.FS, bundle *i18n.Bundle) (*Renderer, error) {
	r := &Renderer{
		bundle: bundle,
		text:   map[string]*texttemplate.Template{},
		html:   map[string]*htmltemplate.Template{},
	}

	for _, m := range Messages {
		t, err := texttemplate.ParseFS(fsys, "mail/layout.txt", "mail/"+m+".txt")
		if err != nil {
			return nil, fmt.Errorf("parse mail %s.txt: %w", m, err)
		}
		r.text[m] = t

		h, err := htmltemplate.ParseFS(fsys, "mail/layout.html", "mail/"+m+".html")
		if err != nil {
			return nil, fmt.Errorf("parse mail %s.html: %w", m, err)
		}
		r.html[m] = h
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

	v.Subject = "[" + v.CaseNumber + "] " + v.T("mail_"+message+"_subject", "Status", v.Status)

	var text, html bytes.Buffer
	if err := t.ExecuteTemplate(&text, "layout", v); err != nil {
		return Rendered{}, fmt.Errorf("render mail %s.txt: %w", message, err)
	}

	if err := r.html[message].ExecuteTemplate(&html, "layout", v); err != nil {
		return Rendered{}, fmt.Errorf("render mail %s.html: %w", message, err)
	}

	return Rendered{Subject: v.Subject, Text: text.String(), HTML: html.String()}, nil
}
