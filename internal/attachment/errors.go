package attachment

import "strings"

// Validation message IDs; the page translates them in the reader's language.
const (
	ErrTooLarge      = "attachment_too_large"
	ErrTooMany       = "attachment_too_many"
	ErrTotalTooLarge = "attachment_total_too_large"
	ErrType          = "attachment_type"
	ErrDamaged       = "attachment_damaged"
	ErrEmpty         = "attachment_empty"
	ErrImageTooBig   = "attachment_image_too_big"
)

// Error is a refused upload: ID is the message ID to show at the field and File
// the cleaned name of the file it concerns, empty for limits on the whole request.
type Error struct {
	ID   string
	File string
	Err  error // the decoder's or scanner's reason, for the log; may be nil
}

// Error returns the message ID and the cause; it leaves out the file name, which
// may carry personal data and would otherwise end up in logs.
func (e *Error) Error() string {
	if e.Err == nil {
		return e.ID
	}

	return e.ID + ": " + e.Err.Error()
}

// Unwrap returns the cause of the refusal.
func (e *Error) Unwrap() error {
	return e.Err
}

// Errors lists every refusal found among one request's uploads, in upload order.
type Errors []*Error

// Error joins the message IDs and causes of all refusals.
func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}

	return strings.Join(parts, "; ")
}

// Unwrap returns the refusals, so that errors.As finds the first *Error.
func (es Errors) Unwrap() []error {
	errs := make([]error, len(es))
	for i, e := range es {
		errs[i] = e
	}

	return errs
}

func refuse(id, file string, cause error) *Error {
	return &Error{ID: id, File: file, Err: cause}
}
