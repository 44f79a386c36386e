package attachment

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/draw"
)

// exifOrientation returns the EXIF orientation of a JPEG, 1 to 8, or 1 when the
// file has none or it cannot be read.
func exifOrientation(data []byte) int {
	tiff := exifSegment(data)
	if tiff == nil {
		return 1
	}

	return tiffOrientation(tiff)
}

// exifSegment returns the TIFF data of the first APP1 Exif segment among the
// marker segments that precede the image data.
func exifSegment(data []byte) []byte {
	if !bytes.HasPrefix(data, []byte{0xFF, 0xD8}) {
		return nil
	}

	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			return nil
		}

		marker := data[i+1]
		switch {
		case marker == 0xFF:
			i++ // fill byte before a marker
			continue
		case marker == 0xDA || marker == 0xD9:
			return nil
		}

		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return nil
		}

		seg := data[i+4 : i+2+n]
		if marker == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return seg[6:]
		}

		i += 2 + n
	}

	return nil
}

// tiffOrientation reads the Orientation tag (0x0112) from the first IFD of
// EXIF's TIFF structure.
func tiffOrientation(t []byte) int {
	order := tiffByteOrder(t)
	if order == nil {
		return 1
	}

	off := uint64(order.Uint32(t[4:]))
	if off < 8 || off+2 > uint64(len(t)) {
		return 1
	}

	ifd := t[off:]
	count := int(order.Uint16(ifd))
	for i := range count {
		e := 2 + 12*i
		if e+12 > len(ifd) {
			return 1
		}

		// A SHORT with count 1 sits in the first two bytes of the value field.
		if order.Uint16(ifd[e:]) == 0x0112 && order.Uint16(ifd[e+2:]) == 3 {
			if v := int(order.Uint16(ifd[e+8:])); v >= 1 && v <= 8 {
				return v
			}
			return 1
		}
	}

	return 1
}

func tiffByteOrder(t []byte) binary.ByteOrder {
	switch {
	case bytes.HasPrefix(t, []byte("II*\x00")) && len(t) >= 8:
		return binary.LittleEndian
	case bytes.HasPrefix(t, []byte("MM\x00*")) && len(t) >= 8:
		return binary.BigEndian
	}

	return nil
}

// orient turns img upright according to its EXIF orientation, since the tag that
// told viewers how to turn it is dropped with the rest of the metadata.
func orient(img image.Image, orientation int) image.Image {
	if orientation <= 1 || orientation > 8 {
		return img
	}

	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	src := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(src, src.Bounds(), img, b.Min, draw.Src)

	dw, dh := w, h
	if orientation >= 5 {
		dw, dh = h, w
	}

	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	turnPixels(dst, src, orientation)

	return dst
}

// turnPixels copies src into dst turned for the orientation. Where a pixel lands
// is linear in x and y, so three points give the offset and both steps.
func turnPixels(dst, src *image.RGBA, orientation int) {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	at := func(x, y int) int {
		dx, dy := orientedPoint(orientation, x, y, w, h)
		return dst.PixOffset(dx, dy)
	}

	origin := at(0, 0)
	stepX, stepY := at(1, 0)-origin, at(0, 1)-origin
	for y := range h {
		s, d := src.PixOffset(0, y), origin+y*stepY
		for range w {
			copy(dst.Pix[d:d+4], src.Pix[s:s+4])
			s, d = s+4, d+stepX
		}
	}
}

// orientedPoint returns where pixel (x, y) of a w×h image lands once the image
// is turned upright for the given EXIF orientation.
func orientedPoint(orientation, x, y, w, h int) (int, int) {
	switch orientation {
	case 2:
		return w - 1 - x, y
	case 3:
		return w - 1 - x, h - 1 - y
	case 4:
		return x, h - 1 - y
	case 5:
		return y, x
	case 6:
		return h - 1 - y, x
	case 7:
		return h - 1 - y, w - 1 - x
	case 8:
		return y, w - 1 - x
	}

	return x, y
}
