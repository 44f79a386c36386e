package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// names are first and family names, by the language a citizen writes in. All
// people are made up; their addresses lie under example.org and example.com.
var names = map[string][2][]string{
	"de": {
		{"Anna", "Lukas", "Marie", "Jonas", "Sophie", "Felix", "Laura", "Paul", "Lena",
			"Maximilian", "Julia", "Thomas", "Sabine", "Jürgen", "Monika", "Stefan", "Petra",
			"Andreas", "Claudia", "Michael", "Gisela", "Horst", "Emma", "Ben", "Mia", "Leon",
			"Hannah", "Elias", "Katharina", "Uwe"},
		{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
			"Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
			"Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann",
			"Hartmann", "Lange", "Schmitt", "Werner", "Krause", "Meier", "Lehmann"},
	},
	"en": {
		{"James", "Emily", "Oliver", "Sarah", "Daniel", "Grace", "Liam", "Chloe"},
		{"Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Clarke"},
	},
	"uk": {
		{"Olena", "Andrii", "Iryna", "Oleksandr", "Nataliia", "Dmytro", "Yuliia", "Serhii"},
		{"Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko", "Melnyk", "Kravchenko"},
	},
	"ru": {
		{"Anastasia", "Dmitri", "Jekaterina", "Sergej", "Olga", "Alexej"},
		{"Iwanow", "Petrowa", "Smirnow", "Wolkowa", "Kusnezow", "Popowa"},
	},
	"ar": {
		{"Ahmad", "Fatima", "Omar", "Layla", "Yusuf", "Amina", "Khaled", "Rania"},
		{"Haddad", "Al-Masri", "Khalil", "Nasser", "Saleh", "Darwish"},
	},
	"tr": {
		{"Mehmet", "Ayşe", "Mustafa", "Elif", "Emre", "Zeynep", "Can", "Fatma"},
		{"Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk", "Aydın"},
	},
	"vi": {
		{"Lan", "Minh", "Hoa", "Tuan", "Linh", "Duc", "Mai", "Quang"},
		{"Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu"},
	},
}

// streets are street names as every German town has them.
var streets = []string{
	"Hauptstraße", "Bahnhofstraße", "Schillerstraße", "Goethestraße", "Lindenallee",
	"Kirchplatz", "Gartenstraße", "Bergstraße", "Mühlenweg", "Am Markt", "Rosenweg",
	"Schulstraße", "Friedhofstraße", "Parkstraße", "Wiesenweg", "Ringstraße",
	"Kastanienallee", "Uferweg", "Ahornweg", "Birkenstraße", "Industriestraße",
	"Am Stadtpark", "Heinrich-Heine-Straße", "Rathausplatz", "Lessingstraße",
	"Brunnengasse", "Feldstraße", "Waldweg", "Sophienstraße", "Kantstraße",
}

// offices are places in the city's own buildings, for internal services.
var offices = []string{
	"Rathaus, Zimmer 2.14", "Rathaus, Zimmer 0.08", "Bürgeramt Nord, Schalter 3",
	"Bauhof, Werkstattbüro", "Stadtbibliothek, Ausleihe", "Standesamt, Büro 1",
	"Rathaus, Sitzungssaal", "Ordnungsamt, Zimmer 115",
}

// asciiFold spells names for e-mail addresses.
var asciiFold = strings.NewReplacer(
	"ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "ş", "s", "ı", "i", "ç", "c", "ğ", "g",
	"Ä", "ae", "Ö", "oe", "Ü", "ue", "Ş", "s", "Ç", "c",
)

// streetPlace returns an address or a crossing.
func streetPlace(rng *rand.Rand) string {
	street := streets[rng.IntN(len(streets))]
	switch n := rng.IntN(100); {
	case n < 60:
		return fmt.Sprintf("%s %d", street, 1+rng.IntN(120))
	case n < 85:
		return street + ", Ecke " + streets[rng.IntN(len(streets))]
	default:
		return fmt.Sprintf("%s, vor Hausnummer %d", street, 1+rng.IntN(120))
	}
}

// address returns a street and house number.
func address(rng *rand.Rand) string {
	return fmt.Sprintf("%s %d", streets[rng.IntN(len(streets))], 1+rng.IntN(120))
}

// officePlace returns a room in a city building.
func officePlace(rng *rand.Rand) string {
	return offices[rng.IntN(len(offices))]
}

// person is a made-up citizen.
type person struct {
	name  string
	email string
	phone string
}

// newPerson makes up a citizen writing in lang. Some people using another
// language than German have German names, as in any German city.
func newPerson(rng *rand.Rand, lang string) person {
	list, ok := names[lang]
	if !ok || rng.IntN(100) < 25 {
		list = names["de"]
	}

	first := list[0][rng.IntN(len(list[0]))]
	last := list[1][rng.IntN(len(list[1]))]

	return person{name: first + " " + last, email: email(rng, first, last), phone: phone(rng)}
}

// email returns an address for the name under example.org or example.com.
func email(rng *rand.Rand, first, last string) string {
	f := strings.ToLower(asciiFold.Replace(first))
	l := strings.ToLower(asciiFold.Replace(last))
	domain := "example.org"
	if rng.IntN(3) == 0 {
		domain = "example.com"
	}

	switch rng.IntN(4) {
	case 0:
		return fmt.Sprintf("%s%s%d@%s", f, l[:1], 10+rng.IntN(90), domain)
	case 1:
		return fmt.Sprintf("%s.%s@%s", f[:1], l, domain)
	default:
		return fmt.Sprintf("%s.%s@%s", f, l, domain)
	}
}

// phonePrefixes are ranges the Federal Network Agency keeps free for films and
// examples.
var phonePrefixes = []string{"030 23125", "069 90009", "040 66969", "089 99998"}

// phone returns a number that rings nobody.
func phone(rng *rand.Rand) string {
	prefix := phonePrefixes[rng.IntN(len(phonePrefixes))]

	return fmt.Sprintf("%s %03d", prefix, rng.IntN(1000))
}
