// Package attachment checks and sanitises the files that citizens attach to a
// request: it detects each file's type from its content, refuses what the policy
// does not allow, re-encodes images so that no metadata or appended data survives,
// and screens PDFs for active content.
package attachment

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
)

// Policy says which files a request may carry and how large they may be.
type Policy struct {
	Types        []string // allowed MIME types; see SupportedTypes
	MaxFileSize  int64    // bytes a single upload may have
	MaxFiles     int      // uploads a request may have
	MaxTotalSize int64    // bytes all uploads of a request may have together
	MaxPixels    int      // width × height an image may have; decoding costs 4 to 8 bytes a pixel
}

// DefaultPolicy returns the portal's standard limits: JPEG, PNG and PDF, 10 MB a
// file, 5 files and 25 MB a request, 40 megapixels an image.
func DefaultPolicy() Policy {
	return Policy{
		Types:        SupportedTypes(),
		MaxFileSize:  10 << 20,
		MaxFiles:     5,
		MaxTotalSize: 25 << 20,
		MaxPixels:    40_000_000,
	}
}

// Validate reports a policy that cannot work as meant: a type this package cannot
// check (SVG among them, since it can carry script) or a limit that is not positive.
func (p Policy) Validate() error {
	for _, t := range p.Types {
		if !slices.Contains(SupportedTypes(), t) {
			return fmt.Errorf("attachment type %q is not supported", t)
		}
	}

	if p.MaxFileSize <= 0 || p.MaxFiles <= 0 || p.MaxTotalSize <= 0 || p.MaxPixels <= 0 {
		return errors.New("attachment limits must be positive")
	}

	return nil
}

// File is an accepted upload, ready to be stored.
type File struct {
	Name        string   // cleaned display name ending in the extension of ContentType
	ContentType string   // type detected from the content, e.g. "image/jpeg"
	Data        []byte   // the sanitised bytes
	SHA256      [32]byte // checksum of Data
}

// Check inspects one upload and returns the sanitised file, or an *Error carrying
// a message ID and the cleaned file name. The name and the browser's content type
// play no part in deciding what the file is.
func (p Policy) Check(name string, data []byte) (File, error) {
	f, err := p.check(name, data)
	if err != nil {
		return File{}, err
	}

	return f, nil
}

func (p Policy) check(name string, data []byte) (File, *Error) {
	shown := cleanName(name)
	if err := p.checkSize(data); err != nil {
		err.File = shown
		return File{}, err
	}

	f, ok := p.detect(data)
	if !ok {
		return File{}, refuse(ErrType, shown, nil)
	}

	clean, err := f.sanitise(p, data)
	if err != nil {
		err.File = shown
		return File{}, err
	}

	return File{
		Name:        fileName(name, f.ext),
		ContentType: f.mime,
		Data:        clean,
		SHA256:      sha256.Sum256(clean),
	}, nil
}

func (p Policy) checkSize(data []byte) *Error {
	if len(data) == 0 {
		return refuse(ErrEmpty, "", nil)
	}

	if int64(len(data)) > p.MaxFileSize {
		return refuse(ErrTooLarge, "", nil)
	}

	return nil
}
