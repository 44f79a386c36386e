package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/ticket"
)

// weighted is a value and how often it occurs, relative to the others.
type weighted[T any] struct {
	value  T
	weight int
}

// pick draws one of choices by weight.
func pick[T any](rng *rand.Rand, choices []weighted[T]) T {
	total := 0
	for _, c := range choices {
		total += c.weight
	}

	x := rng.IntN(total)
	for _, c := range choices {
		x -= c.weight
		if x < 0 {
			return c.value
		}
	}

	return choices[len(choices)-1].value
}

// officeChannels is how tickets come in while the offices are open; outside
// office hours nobody answers the phone or stands at the counter.
var officeChannels = []weighted[string]{
	{ticket.ChannelWeb, 50}, {ticket.ChannelEmail, 14}, {ticket.ChannelPhone, 16},
	{ticket.ChannelLetter, 6}, {ticket.ChannelCounter, 9}, {ticket.ChannelAPI, 5},
}

var afterHoursChannels = []weighted[string]{
	{ticket.ChannelWeb, 82}, {ticket.ChannelEmail, 13}, {ticket.ChannelAPI, 5},
}

// languages is the mix of languages citizens use, per thousand.
var languages = []weighted[string]{
	{"de", 860}, {"en", 50}, {"uk", 30}, {"tr", 20}, {"ru", 15}, {"ar", 15}, {"vi", 10},
}

// greetings open the English text of citizens who chose another language.
var greetings = map[string]string{
	"uk": "Доброго дня!", "ru": "Здравствуйте!", "ar": "مرحبًا،", "tr": "Merhaba,",
	"vi": "Xin chào,",
}

// maxSubject is the longest subject the portal makes.
const maxSubject = 160

// request is what a citizen submits.
type request struct {
	story  story
	place  string
	text   string // the concern in the citizen's words
	person person
	danger bool
}

// newRequest makes up the concern of a citizen writing in lang.
func newRequest(rng *rand.Rand, svc *service, lang string) request {
	p := svc.profile
	r := request{story: p.stories[rng.IntN(len(p.stories))], place: p.place(rng)}
	r.person = newPerson(rng, lang)

	text := r.story.bodyEN
	if lang == "de" {
		text = r.story.body
	}
	r.text = r.fill(text, svc)

	return r
}

// fill puts the place and the service's name into a story's text.
func (r *request) fill(text string, svc *service) string {
	text = strings.ReplaceAll(text, "{ort}", r.place)

	return strings.ReplaceAll(text, "{dienst}", svc.Name["de"])
}

// title returns the story's subject in lang.
func (r *request) title(svc *service, lang string) string {
	if lang == "de" {
		return r.fill(r.story.subject, svc)
	}

	return r.fill(r.story.subjectEN, svc)
}

// subject returns the ticket's subject. The portal and the API make it of the
// service and the first short answer, as live submissions do; an e-mail brings
// the citizen's own subject, and staff taking a call, a letter or a visit sum
// the concern up in German.
func (r *request) subject(svc *service, lang, channel string, fields map[string]string) string {
	switch channel {
	case ticket.ChannelWeb, ticket.ChannelAPI:
		return formSubject(svc, fields)
	case ticket.ChannelEmail:
		return r.title(svc, lang)
	}

	return r.title(svc, "de")
}

// formSubject is the subject the portal gives a submission.
func formSubject(svc *service, fields map[string]string) string {
	s := svc.Name["de"]
	for _, f := range svc.Form {
		a := fields[f.Code]
		if a != "" && (f.Type == catalog.FieldText || f.Type == catalog.FieldAddress) {
			s += ": " + a
			break
		}
	}

	if utf8.RuneCountInString(s) > maxSubject {
		s = clip(s, maxSubject-1) + "…"
	}

	return s
}

// message returns the citizen's first message; anonymous ones are unsigned.
func (r *request) message(rng *rand.Rand, lang string, signed bool) string {
	var b strings.Builder
	switch {
	case lang == "de" && rng.IntN(2) == 0:
		b.WriteString("Guten Tag,\n\n")
	case lang == "en":
		b.WriteString("Hello,\n\n")
	case greetings[lang] != "":
		b.WriteString(greetings[lang] + "\n\n")
	}

	b.WriteString(r.text)
	if signed && rng.IntN(3) > 0 {
		closing := "Mit freundlichen Grüßen"
		if lang != "de" {
			closing = "Kind regards"
		}
		b.WriteString("\n\n" + closing + "\n" + r.person.name)
	}

	return b.String()
}

// fields returns the answers to the service's form: every required field and
// about two in three optional ones. Files are left out: the demo attaches none.
func (r *request) fields(rng *rand.Rand, svc *service, created time.Time) map[string]string {
	fields := make(map[string]string, len(svc.Form))
	for _, f := range svc.Form {
		if f.Type == catalog.FieldInfo || f.Type == catalog.FieldFile ||
			(!f.Required && rng.IntN(3) == 0) {
			continue
		}

		if v := r.answer(rng, f, svc, created); v != "" {
			fields[f.Code] = clip(v, f.Limit())
		}
	}

	return fields
}

// answer returns a plausible answer to one field.
func (r *request) answer(rng *rand.Rand, f catalog.Field, svc *service, created time.Time) string {
	switch f.Code {
	case "topic":
		return r.title(svc, "de")
	case "pole_number":
		return fmt.Sprintf("L-%04d", rng.IntN(10000))
	case "danger":
		r.danger = rng.IntN(5) == 0
		return yesNo(r.danger)
	}

	switch f.Type {
	case catalog.FieldText, catalog.FieldAddress:
		return r.place
	case catalog.FieldTextarea:
		return r.text
	case catalog.FieldNumber:
		return strconv.Itoa(1 + rng.IntN(20))
	case catalog.FieldDate:
		return created.AddDate(0, 0, -rng.IntN(14)).Format(time.DateOnly)
	case catalog.FieldEmail:
		return r.person.email
	case catalog.FieldPhone:
		return r.person.phone
	case catalog.FieldChoice:
		return option(rng, f, r.story.choice)
	case catalog.FieldMulti:
		return options(rng, f, r.story.choice)
	case catalog.FieldYesNo:
		return yesNo(rng.IntN(4) == 0)
	}

	return ""
}

// option returns the key wanted when the field offers it, else a random key.
func option(rng *rand.Rand, f catalog.Field, wanted string) string {
	for _, o := range f.Options {
		if o.Key == wanted {
			return wanted
		}
	}

	if len(f.Options) == 0 {
		return ""
	}

	return f.Options[rng.IntN(len(f.Options))].Key
}

// options returns the ticked keys of a multiple choice field, in the form's
// order as a browser sends them and joined by commas as the portal stores
// them: the wanted one, and now and then another.
func options(rng *rand.Rand, f catalog.Field, wanted string) string {
	ticked := map[string]bool{option(rng, f, wanted): true}
	if rng.IntN(4) == 0 {
		ticked[option(rng, f, "")] = true
	}

	keys := make([]string, 0, len(ticked))
	for _, o := range f.Options {
		if ticked[o.Key] {
			keys = append(keys, o.Key)
		}
	}

	return strings.Join(keys, ",")
}

func yesNo(yes bool) string {
	if yes {
		return "yes"
	}

	return "no"
}

// clip cuts s to at most n characters.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}

	return string([]rune(s)[:n])
}
