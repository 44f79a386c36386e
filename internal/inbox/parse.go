package inbox

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"mime"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/charset"
	"github.com/emersion/go-message/mail"
	"golang.org/x/text/encoding/charmap"

	"github.com/anliegen/anliegen/internal/attachment"
)

// received is one mail as read from the mailbox, decoded.
type received struct {
	raw        []byte
	id         string      // Message-ID without angle brackets, or sha256:… of raw
	header     mail.Header // the top-level header
	from       string      // the sender's address, empty when there is none
	name       string      // the sender's display name
	subject    string
	references []string // In-Reply-To, then References from the newest
	text       string   // the plain text, or the HTML made plain
	html       string
	uploads    []attachment.Upload
	reportType string  // report-type of a multipart/report, such as delivery-status
	report     *report // the delivery report when the mail is one
	whole      bool    // false when only the header was fetched
	unreadable bool    // the header could not be parsed
}

// wordDecoder decodes RFC 2047 words in file names, in any charset that
// go-message knows.
var wordDecoder = mime.WordDecoder{CharsetReader: charset.Reader}

// parse decodes a mail in any common charset and transfer encoding. It always
// returns a mail: what cannot be read is left empty, and the original is kept.
func parse(raw []byte, whole bool) *received {
	r := &received{raw: raw, whole: whole}
	// An unknown charset or transfer encoding is an error that still gives an
	// entity to read; only a header that cannot be parsed gives none.
	e, _ := message.Read(bytes.NewReader(raw))
	if e == nil {
		r.unreadable = true
		r.id = hashID(raw)
		r.text = validText(raw)
		return r
	}

	r.header = mail.Header{Header: e.Header}
	r.readHeader()
	if whole {
		r.readBody(e)
	}

	return r
}

func (r *received) readHeader() {
	if id, err := r.header.MessageID(); err == nil && id != "" {
		r.id = id
	} else {
		r.id = hashID(r.raw)
	}

	if from, err := r.header.AddressList("From"); err == nil && len(from) > 0 {
		r.from, r.name = strings.TrimSpace(from[0].Address), clean(from[0].Name)
	}

	if subject, err := r.header.Subject(); err == nil {
		r.subject = clean(subject)
	} else {
		r.subject = clean(r.header.Get("Subject"))
	}

	r.references = references(r.header)
}

// references lists the Message-IDs a mail answers, the most direct first.
func references(h mail.Header) []string {
	ids, _ := h.MsgIDList("In-Reply-To")
	refs, _ := h.MsgIDList("References")
	for i := len(refs) - 1; i >= 0; i-- {
		ids = append(ids, refs[i])
	}

	return ids
}

func (r *received) readBody(e *message.Entity) {
	// A part that cannot be walked ends the walk; what was read so far is kept,
	// and the original too.
	_ = e.Walk(func(_ []int, part *message.Entity, _ error) error {
		if part == nil {
			return nil
		}

		r.readPart(part)
		return nil
	})

	if r.text == "" && r.html != "" {
		r.text = htmlText(r.html)
	}
}

func (r *received) readPart(part *message.Entity) {
	kind, params, _ := part.Header.ContentType()
	disp, _, _ := part.Header.ContentDisposition()
	ah := mail.AttachmentHeader{Header: part.Header}
	name, _ := ah.Filename()

	switch {
	case strings.HasPrefix(kind, "multipart/"):
		r.readContainer(kind, params)
	case r.report != nil && isReportPart(kind):
		r.report.read(kind, body(part))
	case disp != "attachment" && name == "" && kind == "text/plain":
		r.text = joinText(r.text, validText(body(part)))
	case disp != "attachment" && name == "" && kind == "text/html" && r.html == "":
		r.html = validText(body(part))
	default:
		upload := attachment.Upload{Name: fileName(name, kind), Data: body(part)}
		r.uploads = append(r.uploads, upload)
	}
}

func (r *received) readContainer(kind string, params map[string]string) {
	if kind != "multipart/report" || r.reportType != "" {
		return
	}

	r.reportType = strings.ToLower(params["report-type"])
	if r.reportType == "delivery-status" {
		r.report = &report{}
	}
}

func body(part *message.Entity) []byte {
	b, _ := io.ReadAll(part.Body)
	return b
}

func joinText(a, b string) string {
	if a == "" {
		return b
	}

	return a + "\n" + b
}

// fileName decodes the attachment's name, or gives it one from its type.
func fileName(name, kind string) string {
	if decoded, err := wordDecoder.DecodeHeader(name); err == nil {
		name = decoded
	}

	name = clean(path.Base(strings.ReplaceAll(name, `\`, "/")))
	if name == "" || name == "." || name == "/" {
		ext := ".bin"
		if exts, _ := mime.ExtensionsByType(kind); len(exts) > 0 {
			ext = exts[0]
		}
		name = "anhang" + ext
	}

	return name
}

// validText returns b as UTF-8 with plain line ends. Text that is not valid
// UTF-8 despite its label, or carried none, is most likely Windows-1252, the
// usual default of mail programs in Germany.
func validText(b []byte) string {
	if !utf8.Valid(b) {
		if d, err := charmap.Windows1252.NewDecoder().Bytes(b); err == nil {
			b = d
		}
	}

	s := strings.ToValidUTF8(string(b), "\uFFFD")
	s = strings.NewReplacer("\r\n", "\n", "\x00", "").Replace(s)
	return strings.Map(windows1252, s)
}

// windows1252 reads a C1 control character as the Windows-1252 character of
// the same byte: programs label Windows-1252 text as ISO-8859-1, whose C1
// controls no one writes, so "€" would otherwise arrive as U+0080.
func windows1252(r rune) rune {
	if r < 0x80 || r > 0x9f {
		return r
	}

	if d := charmap.Windows1252.DecodeByte(byte(r)); d != utf8.RuneError {
		return d
	}

	return r
}

// clean makes a header value safe to store: valid UTF-8, no control characters,
// trimmed.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)

	return strings.TrimSpace(s)
}

func hashID(raw []byte) string {
	sum := sha256.Sum256(raw)
	return "sha256:" + hex.EncodeToString(sum[:])
}
