package catalog

import (
	"fmt"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Field types a service's form can use.
const (
	FieldText     = "text"
	FieldTextarea = "textarea"
	FieldNumber   = "number"
	FieldDate     = "date"
	FieldEmail    = "email"
	FieldPhone    = "phone"
	FieldChoice   = "choice"
	FieldYesNo    = "yesno"
	FieldInfo     = "info"
)

// Field is one field of a service's form, or an informational text block.
type Field struct {
	Code      string   `json:"code"`
	Type      string   `json:"type"`
	Required  bool     `json:"required,omitempty"`
	Label     Texts    `json:"label"`
	Help      Texts    `json:"help,omitempty"`
	MaxLength int      `json:"max_length,omitempty"`
	Options   []Option `json:"options,omitempty"`
}

// Option is one answer of a choice field.
type Option struct {
	Key   string `json:"key"`
	Label Texts  `json:"label"`
}

var codePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// check rejects a malformed field definition before it is stored.
func (f Field) check() error {
	if !codePattern.MatchString(f.Code) {
		return fmt.Errorf("code %q must be lower case letters, digits and _", f.Code)
	}

	switch f.Type {
	case FieldText, FieldTextarea, FieldNumber, FieldDate, FieldEmail, FieldPhone,
		FieldYesNo, FieldInfo:
	case FieldChoice:
		if len(f.Options) == 0 {
			return fmt.Errorf("choice field %s has no options", f.Code)
		}
	default:
		return fmt.Errorf("field %s has unknown type %q", f.Code, f.Type)
	}

	if len(f.Label) == 0 {
		return fmt.Errorf("field %s has no label", f.Code)
	}

	return nil
}

// Limit returns the largest number of characters the field accepts.
func (f Field) Limit() int {
	if f.MaxLength > 0 {
		return f.MaxLength
	}

	if f.Type == FieldTextarea {
		return 4000
	}

	return 200
}

// Validation message IDs; the page translates them in the reader's language.
const (
	ErrRequired  = "error_required"
	ErrTooLong   = "error_too_long"
	ErrNumber    = "error_number"
	ErrDate      = "error_date"
	ErrEmail     = "error_email"
	ErrPhone     = "error_phone"
	ErrChoice    = "error_choice"
	ErrControlCh = "error_control_characters"
)

// Validate checks the submitted values of a form. It returns the cleaned answers
// by field code and, for each invalid field, the message ID of its error.
func Validate(form []Field, value func(code string) string) (map[string]string, map[string]string) {
	answers := map[string]string{}
	errs := map[string]string{}
	for _, f := range form {
		if f.Type == FieldInfo {
			continue
		}

		v := strings.TrimSpace(value(f.Code))
		if msg := f.validate(v); msg != "" {
			errs[f.Code] = msg
			continue
		}

		if v != "" {
			answers[f.Code] = v
		}
	}

	return answers, errs
}

func (f Field) validate(v string) string {
	if v == "" {
		if f.Required {
			return ErrRequired
		}
		return ""
	}

	if utf8.RuneCountInString(v) > f.Limit() {
		return ErrTooLong
	}

	if !CleanText(v, f.Type == FieldTextarea) {
		return ErrControlCh
	}

	return f.validateType(v)
}

func (f Field) validateType(v string) string {
	switch f.Type {
	case FieldNumber:
		if _, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", "."), 64); err != nil {
			return ErrNumber
		}
	case FieldDate:
		if _, err := time.Parse("2006-01-02", v); err != nil {
			return ErrDate
		}
	case FieldEmail:
		if !ValidEmail(v) {
			return ErrEmail
		}
	case FieldPhone:
		if !ValidPhone(v) {
			return ErrPhone
		}
	case FieldChoice:
		if !f.hasOption(v) {
			return ErrChoice
		}
	case FieldYesNo:
		if v != "yes" && v != "no" {
			return ErrChoice
		}
	}

	return ""
}

func (f Field) hasOption(key string) bool {
	for _, o := range f.Options {
		if o.Key == key {
			return true
		}
	}

	return false
}

// CleanText reports whether s is free of control characters; line breaks and
// tabs are allowed when multiline is set.
func CleanText(s string, multiline bool) bool {
	if !utf8.ValidString(s) {
		return false
	}

	for _, r := range s {
		if multiline && (r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) {
			return false
		}
	}

	return true
}

// ValidEmail reports whether s is a plain e-mail address such as a@b.de.
func ValidEmail(s string) bool {
	if len(s) > 254 || strings.ContainsAny(s, " <>\"") {
		return false
	}

	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s {
		return false
	}

	at := strings.LastIndexByte(s, '@')

	return at > 0 && strings.Contains(s[at+1:], ".")
}

var phonePattern = regexp.MustCompile(`^\+?[0-9][0-9 ()/.-]{3,30}$`)

// ValidPhone reports whether s looks like a telephone number.
func ValidPhone(s string) bool {
	return phonePattern.MatchString(s)
}
