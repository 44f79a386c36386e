package attachment

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
)

// ReadUploads reads the files of one input of a multipart form, leaving out
// an input sent with no file chosen. A file is read up to 64 MB, so that an
// oversize one is still refused by its size rather than cut.
func ReadUploads(headers []*multipart.FileHeader) ([]Upload, error) {
	var out []Upload
	for _, h := range headers {
		if h.Size == 0 && h.Filename == "" {
			continue
		}

		f, err := h.Open()
		if err != nil {
			return nil, fmt.Errorf("open upload: %w", err)
		}
		data, err := io.ReadAll(io.LimitReader(f, 64<<20))
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("read upload: %w", err)
		}
		out = append(out, Upload{Name: h.Filename, Data: data})
	}

	return out, nil
}

// CheckUploads checks the uploads of one input by the policy and returns the
// accepted files, or the message ID of the first refusal.
func (p Policy) CheckUploads(uploads []Upload) ([]File, string) {
	files, err := p.CheckAll(uploads)
	var list Errors
	if errors.As(err, &list) && len(list) > 0 {
		return nil, list[0].ID
	}
	if err != nil {
		return nil, ErrDamaged
	}

	return files, ""
}

// Limit returns the message ID of a limit on all files of one form, or "".
func (p Policy) Limit(count int, total int64) string {
	switch {
	case count > p.MaxFiles:
		return ErrTooMany
	case total > p.MaxTotalSize:
		return ErrTotalTooLarge
	}

	return ""
}
