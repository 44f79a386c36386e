package attachment

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
)

// jpegQuality keeps photos of a pothole or a form readable at about a third of
// the size of the highest quality.
const jpegQuality = 85

var errNoPixels = errors.New("image has no pixels")

// sanitiseJPEG re-encodes a JPEG so that only its pixels survive: EXIF and GPS
// data, XMP, ICC profiles, comments and anything appended after the image are gone.
func sanitiseJPEG(p Policy, data []byte) ([]byte, *Error) {
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, refuse(ErrDamaged, "", fmt.Errorf("read jpeg header: %w", err))
	}

	if err := p.checkPixels(cfg); err != nil {
		return nil, err
	}

	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, refuse(ErrDamaged, "", fmt.Errorf("decode jpeg: %w", err))
	}

	img = orient(img, exifOrientation(data))

	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: jpegQuality}); err != nil {
		return nil, refuse(ErrDamaged, "", fmt.Errorf("encode jpeg: %w", err))
	}

	return buf.Bytes(), nil
}

// sanitisePNG re-encodes a PNG so that only its pixels survive: text, EXIF and
// colour profile chunks, further animation frames and appended data are gone.
func sanitisePNG(p Policy, data []byte) ([]byte, *Error) {
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, refuse(ErrDamaged, "", fmt.Errorf("read png header: %w", err))
	}

	if err := p.checkPixels(cfg); err != nil {
		return nil, err
	}

	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, refuse(ErrDamaged, "", fmt.Errorf("decode png: %w", err))
	}

	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, refuse(ErrDamaged, "", fmt.Errorf("encode png: %w", err))
	}

	return buf.Bytes(), nil
}

// checkPixels refuses an image whose header promises more pixels than the policy
// allows, before any memory is spent on decoding it.
func (p Policy) checkPixels(cfg image.Config) *Error {
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return refuse(ErrDamaged, "", errNoPixels)
	}

	if int64(cfg.Width)*int64(cfg.Height) > int64(p.MaxPixels) {
		err := fmt.Errorf("image has %d×%d pixels", cfg.Width, cfg.Height)
		return refuse(ErrImageTooBig, "", err)
	}

	return nil
}
