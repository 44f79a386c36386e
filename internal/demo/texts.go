package demo

import (
	"math/rand/v2"
	"time"

	"github.com/anliegen/anliegen/internal/ticket"
)

// notes are public notes staff leave with a change of status, and noteShare
// says in how many of a hundred changes to that status they leave one.
var (
	notes = map[ticket.Status][]string{
		ticket.InReview:          {"Ihre Meldung wird geprüft."},
		ticket.InProgress:        {"Die Bearbeitung hat begonnen.", "Der Auftrag ist erteilt."},
		ticket.WaitingForCitizen: {"Wir haben Ihnen eine Rückfrage geschickt."},
		ticket.Forwarded:         {"An die zuständige Stelle weitergeleitet."},
		ticket.Closed:            {"Der Vorgang ist abgeschlossen."},
		ticket.Rejected: {"Nicht in städtischer Zuständigkeit.",
			"Dazu liegt bereits eine Meldung vor."},
	}
	noteShare = map[ticket.Status]int{
		ticket.InReview: 10, ticket.InProgress: 25, ticket.WaitingForCitizen: 50,
		ticket.Forwarded: 70, ticket.Resolved: 60, ticket.Closed: 10, ticket.Rejected: 90,
	}
)

// Letters staff write to citizens, by occasion.
var (
	acknowledgements = []string{
		"Guten Tag,\n\nvielen Dank für Ihre Nachricht. Wir haben Ihr Anliegen erhalten und " +
			"kümmern uns darum.\n\nMit freundlichen Grüßen\nIhre Stadtverwaltung",
		"Vielen Dank für Ihren Hinweis. Wir prüfen die Angelegenheit und melden uns bei Ihnen.",
		"Guten Tag, Ihre Meldung liegt uns vor. Eine Kollegin sieht sich die Sache in den " +
			"nächsten Tagen an.",
	}
	questions = []string{
		"Guten Tag, können Sie uns die Stelle bitte genauer beschreiben? Ein Foto würde uns " +
			"ebenfalls helfen.",
		"Für die weitere Bearbeitung benötigen wir eine Telefonnummer, unter der wir Sie " +
			"tagsüber erreichen.",
		"Bitte teilen Sie uns mit, seit wann das Problem besteht.",
	}
	forwardings = []string{
		"Ihr Anliegen fällt nicht in unsere Zuständigkeit. Wir haben es an die zuständige " +
			"Stelle weitergeleitet, die sich direkt bei Ihnen meldet.",
		"Wir haben Ihre Meldung an die Stadtwerke weitergegeben, die für diese Anlage " +
			"zuständig sind.",
	}
	rejections = []string{
		"Leider können wir Ihrem Anliegen nicht nachkommen: Die betroffene Fläche ist in " +
			"Privatbesitz. Bitte wenden Sie sich an die Eigentümer.",
		"Zu dieser Stelle liegt bereits eine Meldung vor, die wir bearbeiten. Vielen Dank " +
			"für Ihre Mithilfe.",
	}
	internalNotes = []string{
		"Vor Ort geprüft, Auftrag an den Bauhof erteilt.",
		"Rückruf erledigt, Sachverhalt geklärt.",
		"Bitte mit der Fachabteilung abstimmen.",
		"Ähnliche Meldung in der Nachbarstraße, zusammen bearbeiten.",
	}
)

// answers are what citizens reply to a question, in German and in English.
var answers = [][2]string{
	{"Die Stelle liegt direkt gegenüber der Bushaltestelle.",
		"It is right opposite the bus stop."},
	{"Das Problem besteht seit etwa zwei Wochen.", "It has been like this for about two weeks."},
	{"Sie erreichen mich werktags ab 16 Uhr unter der angegebenen Nummer.",
		"You can reach me on weekdays after 4 pm on the number I gave."},
}

func oneOf(rng *rand.Rand, texts []string) string {
	return texts[rng.IntN(len(texts))]
}

// publicNote returns the note staff leave with a move to status to, often none.
func (g *generator) publicNote(l *life, to ticket.Status, byStaff bool) string {
	if !byStaff {
		if l.status == ticket.WaitingForCitizen {
			return "Ohne Rückmeldung abgeschlossen."
		}
		return ""
	}

	if g.rng.IntN(100) >= noteShare[to] {
		return ""
	}

	if to == ticket.Resolved {
		return oneOf(g.rng, l.svc.profile.resolved)
	}

	return oneOf(g.rng, notes[to])
}

// write records what staff write when they move the ticket to status to: a
// letter to the citizen where the move calls for one, now and then a note
// for colleagues.
func (l *life) write(to ticket.Status, author int64, at time.Time) {
	rng := l.g.rng
	var letter string
	switch {
	case to == ticket.WaitingForCitizen:
		letter = oneOf(rng, questions)
	case to == ticket.Rejected:
		letter = oneOf(rng, rejections)
	case to == ticket.Forwarded && rng.IntN(100) < 60:
		letter = oneOf(rng, forwardings)
	case to == ticket.Resolved && rng.IntN(100) < 55:
		letter = "Guten Tag,\n\n" + oneOf(rng, l.svc.profile.resolved) +
			" Vielen Dank für Ihre Meldung.\n\nMit freundlichen Grüßen\nIhre Stadtverwaltung"
	case l.t.firstAnswerAt.IsZero() && rng.IntN(100) < 45:
		letter = oneOf(rng, acknowledgements)
	}

	if letter != "" {
		l.message("to_citizen", author, letter, at)
	}

	if rng.IntN(100) < 6 {
		l.message("note", author, oneOf(rng, internalNotes), at)
	}
}

// citizenAnswer returns a citizen's reply to a question.
func (g *generator) citizenAnswer(lang string) string {
	a := answers[g.rng.IntN(len(answers))]
	if lang == "de" {
		return a[0]
	}

	return a[1]
}
