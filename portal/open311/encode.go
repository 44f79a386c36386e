package open311

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strconv"
	"time"
)

// The two formats of every method, chosen by the path's suffix.
const (
	formatXML  = "xml"
	formatJSON = "json"
)

// Content types of the answers; several clients compare them literally.
const (
	contentJSON = "application/json; charset=utf-8"
	contentXML  = "text/xml; charset=utf-8"
)

// datetimeLayout is the one form of every datetime answered: W3C, whole
// seconds, with Z or an offset.
const datetimeLayout = "2006-01-02T15:04:05Z07:00"

// sizeHint is what an answer's buffer starts with: about a kilobyte an item,
// so that the buffer of a page is not copied over and over as it grows.
func sizeHint(doc document) int {
	if l, ok := doc.body.(list); ok {
		return 512 + 1024*len(l.items)
	}

	return 1024
}

// object is an answer's record with its keys in the order the standard lists
// them; one value of it serves both formats. A nil value is JSON null and an
// empty XML element, so that every key is present in both.
type object []field

type field struct {
	key   string
	value any
}

// list is a sequence of values; in XML each is an element named elem.
type list struct {
	elem  string
	items []any
}

// document is a whole answer: the XML root element and what it holds. A list
// is a JSON root array.
type document struct {
	root string
	body any
}

// encodeJSON writes doc as JSON.
func encodeJSON(doc document) []byte {
	var b bytes.Buffer
	b.Grow(sizeHint(doc))
	writeJSON(&b, doc.body)

	return b.Bytes()
}

func writeJSON(b *bytes.Buffer, v any) {
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case object:
		b.WriteByte('{')
		for i, f := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, f.key)
			b.WriteByte(':')
			writeJSON(b, f.value)
		}
		b.WriteByte('}')
	case list:
		b.WriteByte('[')
		for i, item := range v.items {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, item)
		}
		b.WriteByte(']')
	case string:
		writeJSONString(b, v)
	default:
		b.WriteString(scalar(v))
	}
}

// writeJSONString quotes s; a string with nothing to escape, as almost every
// one is, is copied as it is.
func writeJSONString(b *bytes.Buffer, s string) {
	plain := true
	for i := 0; plain && i < len(s); i++ {
		c := s[i]
		plain = c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' &&
			!lineSeparator(s, i)
	}

	if !plain {
		out, _ := json.Marshal(s) // a string always marshals
		b.Write(out)
		return
	}

	b.WriteByte('"')
	b.WriteString(s)
	b.WriteByte('"')
}

// scalar formats the values that are not strings, objects or lists.
func scalar(v any) string {
	switch v := v.(type) {
	case bool:
		return strconv.FormatBool(v)
	case int:
		return strconv.Itoa(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case time.Time:
		return strconv.Quote(v.Format(datetimeLayout))
	}

	panic(fmt.Sprintf("open311: cannot encode a %T", v))
}

// lineSeparator reports whether U+2028 or U+2029 starts at s[i]: JSON allows
// them, JavaScript before ES2019 did not, so they are escaped.
func lineSeparator(s string, i int) bool {
	return s[i] == 0xE2 && i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9)
}

// encodeXML writes doc as XML with a UTF-8 declaration.
func encodeXML(doc document) []byte {
	var b bytes.Buffer
	b.Grow(sizeHint(doc))
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	writeXML(&b, doc.root, doc.body)

	return b.Bytes()
}

func writeXML(b *bytes.Buffer, name string, v any) {
	if v == nil {
		b.WriteString("<" + name + "/>")
		return
	}

	b.WriteString("<" + name + ">")
	switch v := v.(type) {
	case object:
		for _, f := range v {
			writeXML(b, f.key, f.value)
		}
	case list:
		for _, item := range v.items {
			writeXML(b, v.elem, item)
		}
	case string:
		_ = xml.EscapeText(b, []byte(v)) // a bytes.Buffer never fails
	case time.Time:
		b.WriteString(v.Format(datetimeLayout))
	default:
		b.WriteString(scalar(v))
	}
	b.WriteString("</" + name + ">")
}

// text returns s, or nil for an empty s: the standard has no empty strings.
func text(s string) any {
	if s == "" {
		return nil
	}

	return s
}

// datetime returns t in the city's time zone without fractions, or nil.
func datetime(t *time.Time, loc *time.Location) any {
	if t == nil || t.IsZero() {
		return nil
	}

	return t.In(loc).Truncate(time.Second)
}
