package catalog

import (
	"mime/multipart"

	"github.com/anliegen/anliegen/internal/attachment"
)

// CheckFiles reads the files of svc's file fields from form and checks them by
// policy. A refusal becomes the message ID at its field in errs, and a limit of
// all files of the form the message at the first file field. Without a
// multipart form (nil) every required file field is missing.
func CheckFiles(
	policy attachment.Policy,
	svc Service,
	form *multipart.Form,
	errs map[string]string,
) []attachment.File {
	var all []attachment.File
	var count int
	var total int64
	firstField := ""
	for _, f := range svc.Form {
		if f.Type != FieldFile {
			continue
		}

		name := "field_" + f.Code
		if firstField == "" {
			firstField = name
		}
		var headers []*multipart.FileHeader
		if form != nil {
			headers = form.File[name]
		}
		files, n, size, id := CheckFileInput(policy, headers, f.Required)
		count, total = count+n, total+size
		if id != "" {
			errs[name] = id
			continue
		}
		all = append(all, files...)
	}

	if id := policy.Limit(count, total); id != "" && firstField != "" {
		errs[firstField] = id
	}

	return all
}

// CheckFileInput checks the uploads of one file input by policy and returns the
// accepted files, how many uploads there were and their size, and the message
// ID of the first refusal: ErrRequired for a required input without a file.
func CheckFileInput(
	policy attachment.Policy,
	headers []*multipart.FileHeader,
	required bool,
) ([]attachment.File, int, int64, string) {
	uploads, err := attachment.ReadUploads(headers)
	if err != nil {
		return nil, 0, 0, attachment.ErrDamaged
	}

	var size int64
	for _, u := range uploads {
		size += int64(len(u.Data))
	}

	if required && len(uploads) == 0 {
		return nil, 0, 0, ErrRequired
	}

	files, problem := policy.CheckUploads(uploads)

	return files, len(uploads), size, problem
}
