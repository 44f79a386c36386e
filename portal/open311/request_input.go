package open311

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/anliegen/anliegen/internal/attachment"
	"github.com/anliegen/anliegen/internal/catalog"
)

// place is where a request is: coordinates, an address, or an address ID.
type place struct {
	lat, long *float64
	address   string
	addressID string
}

// given reports whether the client named a place at all.
func (pl place) given() bool {
	return pl.lat != nil || pl.address != "" || pl.addressID != ""
}

// line is the place as staff read it in the form's location field.
func (pl place) line() string {
	parts := []string{}
	if pl.address != "" {
		parts = append(parts, pl.address)
	}
	if pl.lat != nil {
		parts = append(parts, fmt.Sprintf("%.6f, %.6f", *pl.lat, *pl.long))
	}
	if pl.addressID != "" {
		parts = append(parts, pl.addressID)
	}

	return strings.Join(parts, " · ")
}

func readPlace(p params, bad *badRequest) place {
	var pl place
	lat, latOK := readCoordinate(p, "lat", 90, bad)
	long, longOK := readCoordinate(p, "long", 180, bad)
	switch {
	case latOK && longOK:
		pl.lat, pl.long = &lat, &long
	case latOK:
		bad.add("long is required with lat")
	case longOK:
		bad.add("lat is required with long")
	}

	pl.address = readPlaceText(p, "address_string", bad)
	pl.addressID = readPlaceText(p, "address_id", bad)

	return pl
}

func readPlaceText(p params, name string, bad *badRequest) string {
	v := p.get(name)
	if utf8.RuneCountInString(v) > 200 || !catalog.CleanText(v, false) {
		bad.add(name + " must have at most 200 characters and no control characters")
		return ""
	}

	return v
}

// readCoordinate reads lat or long; a comma as decimal mark is accepted.
func readCoordinate(p params, name string, limit float64, bad *badRequest) (float64, bool) {
	v := p.get(name)
	if v == "" {
		return 0, false
	}

	f, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
	if err != nil || f < -limit || f > limit {
		bad.add(fmt.Sprintf("%s must be a number from %g to %g", name, -limit, limit))
		return 0, false
	}

	return f, true
}

// contact is who to answer; never shown by the API.
type contact struct {
	name, email, phone string
}

// readContact checks the contact inputs. A service that does not take
// anonymous requests needs a name and an e-mail address, as on the portal.
func readContact(svc catalog.Service, p params, bad *badRequest) contact {
	var who contact
	who.name = strings.TrimSpace(p.get("first_name") + " " + p.get("last_name"))
	switch {
	case utf8.RuneCountInString(who.name) > 200:
		bad.add("first_name and last_name have more than 200 characters together")
	case !catalog.CleanText(who.name, false):
		bad.add("first_name or last_name contains control characters")
	case who.name == "" && !svc.AllowAnonymous:
		bad.add("first_name or last_name is required for service_code " + svc.Code)
	}

	who.email = p.get("email")
	switch {
	case who.email == "" && !svc.AllowAnonymous:
		bad.add("email is required for service_code " + svc.Code)
	case who.email != "" && !catalog.ValidEmail(who.email):
		bad.add("email is not an e-mail address such as name@example.org")
	}

	who.phone = p.get("phone")
	if who.phone != "" && !catalog.ValidPhone(who.phone) {
		bad.add("phone is not a telephone number")
	}

	return who
}

// locationField returns the form's field for the place: its address field, or
// a text field coded location.
func locationField(form []catalog.Field) (catalog.Field, bool) {
	for _, f := range form {
		if f.Type == catalog.FieldAddress {
			return f, true
		}
	}

	for _, f := range form {
		if f.Code == "location" && f.Type == catalog.FieldText {
			return f, true
		}
	}

	return catalog.Field{}, false
}

// readAnswers puts the attributes into the form's fields and checks them with
// the portal's validation. Unknown attribute codes are ignored. The standard's
// own inputs fill the fields no attribute did: the place the location field,
// the description the first long text.
func (a *API) readAnswers(
	svc catalog.Service,
	p params,
	pl place,
	description string,
	bad *badRequest,
) map[string]string {
	attrs := p.attributes()
	inputs := map[string][]string{}
	for _, f := range svc.Form {
		a.fieldInputs(f, attrs, inputs)
	}

	f, hasPlace := locationField(svc.Form)
	if hasPlace && pl.given() {
		key := f.Code
		if f.Type == catalog.FieldAddress {
			key += "_" + catalog.AddressText
		}
		if len(inputs[key]) == 0 && len(inputs[f.Code+"_"+catalog.AddressStreet]) == 0 {
			inputs[key] = []string{pl.line()}
		}
	} else if hasPlace && f.Required && len(attrs[f.Code]) == 0 &&
		len(attrs[f.Code+"_"+catalog.AddressStreet]) == 0 {
		bad.add("lat and long, address_string or address_id is required")
		hasPlace = false // one problem, one error: the field's own is left out
	} else {
		hasPlace = true
	}

	for _, field := range svc.Form {
		if field.Type == catalog.FieldTextarea && description != "" {
			if len(inputs[field.Code]) == 0 {
				inputs[field.Code] = []string{description}
			}
			break
		}
	}

	answers, errs := catalog.ValidateAll(svc.Form, func(key string) []string {
		return inputs[key]
	})
	for _, field := range svc.Form {
		if id, failed := errs[field.Code]; failed && (hasPlace || field.Code != f.Code) {
			bad.add(describe(field, id))
		}
	}

	return answers
}

// fieldInputs copies a field's attribute values into the inputs the form's
// validation reads, turning the standard's encodings into the form's.
func (a *API) fieldInputs(f catalog.Field, attrs map[string][]string, inputs map[string][]string) {
	vs := attrs[f.Code]
	switch f.Type {
	case catalog.FieldAddress:
		inputs[f.Code+"_"+catalog.AddressText] = vs
		for _, part := range []string{
			catalog.AddressStreet, catalog.AddressNumber, catalog.AddressPostcode,
		} {
			inputs[f.Code+"_"+part] = attrs[f.Code+"_"+part]
		}
		return
	case catalog.FieldDate:
		vs = a.dates(vs)
	case catalog.FieldYesNo:
		vs = yesNo(vs)
	case catalog.FieldMulti:
		// Keys have no commas, so a comma-separated value is a list too.
		var keys []string
		for _, v := range vs {
			keys = append(keys, splitList(v)...)
		}
		vs = keys
	}

	inputs[f.Code] = vs
}

// dates turns datetimes, the standard's only time type, into the form's dates
// in the city's time zone; anything else is left for the validation to refuse.
func (a *API) dates(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v
		if t, ok := parseDatetime(v, a.location); ok {
			out[i] = t.In(a.location).Format("2006-01-02")
		}
	}

	return out
}

func yesNo(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		switch strings.ToLower(v) {
		case "yes", "true", "1", "ja", "y":
			out[i] = "yes"
		case "no", "false", "0", "nein", "n":
			out[i] = "no"
		default:
			out[i] = v
		}
	}

	return out
}

// describe is the error of a field in the standard's words.
func describe(f catalog.Field, id string) string {
	name := "attribute[" + f.Code + "]"
	switch id {
	case catalog.ErrRequired:
		return name + " is required"
	case catalog.ErrTooLong:
		return fmt.Sprintf("%s is longer than %d characters", name, f.Limit())
	case catalog.ErrNumber:
		return name + " must be a number"
	case catalog.ErrDate:
		return name + " must be a datetime such as 2026-03-01T12:00:00Z"
	case catalog.ErrEmail:
		return name + " must be an e-mail address"
	case catalog.ErrPhone:
		return name + " must be a telephone number"
	case catalog.ErrChoice:
		return name + " must be one of the keys " + strings.Join(keys(f), ", ")
	case catalog.ErrControlCh:
		return name + " contains control characters"
	case catalog.ErrPostcode:
		return "attribute[" + f.Code + "_postcode] must be a postcode of five digits"
	}

	return name + " is not valid"
}

func keys(f catalog.Field) []string {
	if f.Type == catalog.FieldYesNo {
		return []string{"yes", "no"}
	}

	out := make([]string, len(f.Options))
	for i, o := range f.Options {
		out[i] = o.Key
	}

	return out
}

// photoPattern matches the file inputs clients name photo1 … photoN.
var photoPattern = regexp.MustCompile(`^photo[0-9]+$`)

// readMedia checks the uploaded files under the portal's attachment rules; each
// refusal names its input and file.
func (a *API) readMedia(svc catalog.Service, p params, bad *badRequest) []attachment.File {
	var names []string
	for name := range p.files {
		if name == "media" || name == "media[]" || photoPattern.MatchString(name) {
			names = append(names, name)
		}
	}
	sort.Strings(names)

	var uploads []attachment.Upload
	for _, name := range names {
		us, err := attachment.ReadUploads(p.files[name])
		if err != nil {
			bad.add("media could not be read")
			return nil
		}
		uploads = append(uploads, us...)
	}

	if len(uploads) == 0 {
		for _, f := range svc.Form {
			if f.Type == catalog.FieldFile && f.Required {
				bad.add("media is required for service_code " + svc.Code)
			}
		}
		return nil
	}

	files, err := a.files.CheckAll(uploads)
	if errs, ok := err.(attachment.Errors); ok {
		for _, e := range errs {
			bad.add(mediaProblem(e, a.files))
		}
		return nil
	}
	if err != nil {
		bad.add("media could not be read")
		return nil
	}

	return files
}

// mediaProblem says why a file was refused, naming it.
func mediaProblem(e *attachment.Error, pol attachment.Policy) string {
	file := "media"
	if e.File != "" {
		file = "media " + strconv.Quote(e.File)
	}

	switch e.ID {
	case attachment.ErrTooLarge:
		return fmt.Sprintf("%s is larger than %d MB", file, pol.MaxFileSize>>20)
	case attachment.ErrTooMany:
		return fmt.Sprintf("media has more than %d files", pol.MaxFiles)
	case attachment.ErrTotalTooLarge:
		return fmt.Sprintf("media has more than %d MB together", pol.MaxTotalSize>>20)
	case attachment.ErrType:
		return file + " is not one of the types " + strings.Join(pol.Types, ", ")
	case attachment.ErrEmpty:
		return file + " is empty"
	case attachment.ErrImageTooBig:
		return file + " has too many pixels"
	}

	return file + " is damaged or has active content"
}
