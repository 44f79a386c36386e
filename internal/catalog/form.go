package catalog

import (
	"fmt"
	"net/mail"
	"regexp"
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
	FieldMulti    = "multichoice"
	FieldAddress  = "address"
	FieldFile     = "file"
	FieldInfo     = "info"
)

// Parts of an address field, submitted as <code>_<part>.
const (
	AddressStreet   = "street"
	AddressNumber   = "number"
	AddressPostcode = "postcode"
	AddressText     = "text"
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
		FieldYesNo, FieldInfo, FieldAddress, FieldFile:
	case FieldChoice, FieldMulti:
		if len(f.Options) == 0 {
			return fmt.Errorf("choice field %s has no options", f.Code)
		}
		for _, o := range f.Options {
			if !codePattern.MatchString(o.Key) {
				return fmt.Errorf("field %s: option key %q must be lower case letters, "+
					"digits and _", f.Code, o.Key)
			}
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
	ErrPostcode  = "error_postcode"
)

// Validate checks a form whose every input has one value; see ValidateAll.
func Validate(form []Field, value func(code string) string) (map[string]string, map[string]string) {
	return ValidateAll(form, func(key string) []string { return []string{value(key)} })
}

// ValidateAll checks the submitted values of a form; values returns every value
// of an input, named by field code (and <code>_<part> for an address). It
// returns the cleaned answers by field code and, for each invalid field, the
// message ID of its error. Files are checked by the attachment rules instead.
func ValidateAll(
	form []Field,
	values func(key string) []string,
) (map[string]string, map[string]string) {
	answers := map[string]string{}
	errs := map[string]string{}
	first := func(key string) string {
		if vs := values(key); len(vs) > 0 {
			return strings.TrimSpace(vs[0])
		}
		return ""
	}

	for _, f := range form {
		var v, msg string
		switch f.Type {
		case FieldInfo, FieldFile:
			continue
		case FieldMulti:
			v, msg = f.validateMulti(values(f.Code))
		case FieldAddress:
			v, msg = f.validateAddress(first)
		default:
			v = first(f.Code)
			msg = f.validate(v)
		}

		if msg != "" {
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
		if !numberPattern.MatchString(v) {
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

// validateMulti checks the ticked options of a multiple choice field and returns
// their keys joined by commas.
func (f Field) validateMulti(vs []string) (string, string) {
	var keys []string
	seen := map[string]bool{}
	for _, v := range vs {
		v = strings.TrimSpace(v)
		if v == "" || seen[v] {
			continue
		}
		if !f.hasOption(v) {
			return "", ErrChoice
		}
		seen[v] = true
		keys = append(keys, v)
	}

	if len(keys) == 0 && f.Required {
		return "", ErrRequired
	}

	return strings.Join(keys, ","), ""
}

var postcodePattern = regexp.MustCompile(`^[0-9]{5}$`)

// validateAddress checks street, number and postcode, or the free-text
// description of a place that has no address, and returns one line.
func (f Field) validateAddress(first func(string) string) (string, string) {
	part := func(p string) string { return first(f.Code + "_" + p) }
	street, number := part(AddressStreet), part(AddressNumber)
	postcode, text := part(AddressPostcode), part(AddressText)

	for _, v := range []string{street, number, postcode, text} {
		if utf8.RuneCountInString(v) > 200 {
			return "", ErrTooLong
		}
		if !CleanText(v, false) {
			return "", ErrControlCh
		}
	}

	if postcode != "" && !postcodePattern.MatchString(postcode) {
		return "", ErrPostcode
	}

	if street == "" {
		if text == "" && f.Required {
			return "", ErrRequired
		}
		return text, ""
	}

	line := strings.TrimSpace(street + " " + number)
	if postcode != "" {
		line += ", " + postcode
	}
	if text != "" {
		line += " (" + text + ")"
	}

	return line, ""
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

var phonePattern = regexp.MustCompile(`^(\+|\()?[0-9][0-9 ()/.-]{3,30}$`)

// numberPattern accepts a decimal number with a point or a German comma.
var numberPattern = regexp.MustCompile(`^-?[0-9]{1,15}([.,][0-9]{1,6})?$`)

// ValidPhone reports whether s looks like a telephone number.
func ValidPhone(s string) bool {
	return phonePattern.MatchString(s)
}
