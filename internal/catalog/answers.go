package catalog

import (
	"slices"
	"strings"
)

// Answer is one form answer as a person reads it.
type Answer struct {
	Label string
	Value string
}

// Reader turns stored texts and message IDs into the reader's language.
type Reader interface {
	Pick(texts map[string]string) string
	T(id string, args ...any) string
}

// Answers lists a ticket's stored form answers in the order of the service's
// form, with labels and chosen options in the reader's language. Answers to
// fields the form no longer has follow, named by their field codes, so that a
// field removed later does not hide what the citizen wrote.
func (svc Service) Answers(fields map[string]string, r Reader) []Answer {
	var out []Answer
	known := map[string]bool{}
	for _, f := range svc.Form {
		known[f.Code] = true
		v, ok := fields[f.Code]
		if !ok {
			continue
		}

		switch f.Type {
		case FieldYesNo:
			v = r.T("answer_" + v)
		case FieldChoice, FieldMulti:
			v = f.optionLabels(v, r)
		}
		out = append(out, Answer{Label: r.Pick(f.Label), Value: v})
	}

	var former []string
	for code := range fields {
		if !known[code] {
			former = append(former, code)
		}
	}
	slices.Sort(former)
	for _, code := range former {
		out = append(out, Answer{Label: code, Value: fields[code]})
	}

	return out
}

// optionLabels turns the stored keys of a choice (comma-separated for multiple
// choice) into their labels.
func (f Field) optionLabels(keys string, r Reader) string {
	var labels []string
	for _, key := range strings.Split(keys, ",") {
		label := key
		for _, o := range f.Options {
			if o.Key == key {
				label = r.Pick(o.Label)
			}
		}
		labels = append(labels, label)
	}

	return strings.Join(labels, ", ")
}
