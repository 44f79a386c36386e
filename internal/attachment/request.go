package attachment

// Upload is one file as the browser sent it; a file input left empty is no Upload.
type Upload struct {
	Name string // the name the browser gave, possibly with path parts
	Data []byte
}

// CheckAll applies the limits of a whole request and then Check to each upload.
// On failure the error is an Errors value with one entry for each refused upload,
// or a single entry without a file name for a limit of the whole request; the
// returned files are then those that passed, so that a page can say which did not.
func (p Policy) CheckAll(uploads []Upload) ([]File, error) {
	if len(uploads) > p.MaxFiles {
		return nil, Errors{refuse(ErrTooMany, "", nil)}
	}

	if p.totalTooLarge(uploads) {
		return nil, Errors{refuse(ErrTotalTooLarge, "", nil)}
	}

	files := make([]File, 0, len(uploads))
	var errs Errors
	for _, u := range uploads {
		f, err := p.check(u.Name, u.Data)
		if err != nil {
			errs = append(errs, err)
			continue
		}

		files = append(files, f)
	}

	if len(errs) > 0 {
		return files, errs
	}

	return files, nil
}

// totalTooLarge reports whether the uploads exceed the request's total while each
// is within its own limit; an oversized file is reported by itself first, since
// removing it is what the citizen has to do anyway.
func (p Policy) totalTooLarge(uploads []Upload) bool {
	var total int64
	for _, u := range uploads {
		if int64(len(u.Data)) > p.MaxFileSize {
			return false
		}

		total += int64(len(u.Data))
	}

	return total > p.MaxTotalSize
}
