package demo

import "math/rand/v2"

// flat is the seasonal factor of a service that is as busy all year.
var flat = [12]float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}

// profiles are the services of the demo catalogue, by code.
var profiles = map[string]*profile{
	"schlagloch": {
		weight: 28, workDays: 4, place: streetPlace,
		// Frost breaks the roads: potholes peak in late winter.
		months: [12]float64{1.6, 2.4, 2.6, 1.9, 1.2, 0.8, 0.7, 0.7, 0.8, 0.9, 1.0, 1.3},
		stories: []story{
			{"Schlagloch, {ort}", "Pothole, {ort}",
				"Mitten auf der Fahrbahn ist ein etwa 30 Zentimeter breites Schlagloch. " +
					"Autos weichen schon auf die Gegenspur aus.",
				"There is a pothole about 30 cm wide in the middle of the road. " +
					"Cars swerve into the other lane to avoid it.", ""},
			{"Lose Gehwegplatten, {ort}", "Loose paving stones, {ort}",
				"Mehrere Gehwegplatten wackeln und stehen an den Kanten hoch. " +
					"Hier ist schon jemand gestolpert.",
				"Several paving stones are loose and stick up at the edges. " +
					"Somebody has already tripped here.", ""},
			{"Abgesackter Gullydeckel, {ort}", "Sunken drain cover, {ort}",
				"Der Gullydeckel ist abgesackt und klappert laut, sobald ein Auto darüberfährt.",
				"The drain cover has sunk and rattles loudly whenever a car drives over it.", ""},
			{"Radweg aufgebrochen, {ort}", "Broken cycle path, {ort}",
				"Auf dem Radweg ist der Asphalt auf mehreren Metern aufgebrochen. " +
					"Im Dunkeln sieht man die Kante kaum.",
				"The asphalt of the cycle path has broken up over several metres. " +
					"The edge is hard to see in the dark.", ""},
			{"Frostschaden, {ort}", "Frost damage, {ort}",
				"Seit dem letzten Frost ist die Straße voller Risse, und das Loch vor der " +
					"Einfahrt wird jede Woche größer.",
				"Since the last frost the road is full of cracks, and the hole in front of " +
					"the driveway grows every week.", ""},
		},
		resolved: []string{
			"Das Schlagloch wurde provisorisch verfüllt.",
			"Der Straßenschaden wurde behoben.",
			"Die Gehwegplatten wurden neu verlegt.",
			"Der Gullydeckel wurde neu eingesetzt.",
		},
	},
	"illegale-ablagerung": {
		weight: 24, workDays: 2, place: streetPlace,
		// Spring cleaning and moving house fill the pavements in spring and summer.
		months: [12]float64{0.9, 0.7, 0.9, 1.2, 1.3, 1.3, 1.3, 1.2, 1.1, 1.0, 0.9, 1.1},
		stories: []story{
			{"Sperrmüll, {ort}", "Bulky waste, {ort}",
				"Ein altes Sofa, zwei Matratzen und ein Schrank stehen seit einer Woche " +
					"auf dem Gehweg.",
				"An old sofa, two mattresses and a wardrobe have been on the pavement " +
					"for a week.", "sperrmuell"},
			{"Bauschutt am Straßenrand, {ort}", "Rubble by the road, {ort}",
				"Jemand hat mehrere Eimer mit Bauschutt und Fliesenresten am Straßenrand " +
					"abgekippt.",
				"Someone has dumped several buckets of rubble and broken tiles by the " +
					"roadside.", "bauschutt"},
			{"Müllsäcke abgestellt, {ort}", "Rubbish bags left, {ort}",
				"Neben den Altglascontainern liegen etwa zehn Müllsäcke, einige sind " +
					"aufgerissen.",
				"About ten rubbish bags lie next to the bottle banks, some of them torn " +
					"open.", "saecke"},
			{"Farbeimer und Altöl, {ort}", "Paint tins and old oil, {ort}",
				"Am Waldrand stehen alte Farbeimer und ein Kanister, aus dem Öl ausläuft.",
				"Old paint tins and a leaking oil canister have been left at the edge of " +
					"the wood.", "gefaehrlich"},
			{"Alte Autoreifen, {ort}", "Old tyres, {ort}",
				"Auf dem Parkplatz liegt ein Stapel alter Autoreifen.",
				"There is a pile of old car tyres in the car park.", "sonstiges"},
		},
		resolved: []string{
			"Die Ablagerung wurde beseitigt.",
			"Der Müll wurde abgeholt.",
			"Die Stoffe wurden fachgerecht entsorgt.",
		},
	},
	"strassenbeleuchtung": {
		weight: 14, workDays: 5, place: streetPlace,
		// Broken lights are noticed when the evenings are dark.
		months: [12]float64{1.4, 1.2, 1.0, 0.8, 0.6, 0.5, 0.5, 0.6, 0.9, 1.3, 1.6, 1.6},
		stories: []story{
			{"Laterne defekt, {ort}", "Street light out, {ort}",
				"Die Straßenlaterne vor dem Haus leuchtet seit Tagen nicht mehr. " +
					"Abends ist der Gehweg stockdunkel.",
				"The street light in front of the house has been out for days. " +
					"The pavement is pitch dark in the evening.", "aus"},
			{"Laterne flackert, {ort}", "Flickering street light, {ort}",
				"Die Laterne flackert die ganze Nacht und geht immer wieder aus.",
				"The street light flickers all night and keeps going out.", "flackert"},
			{"Laterne brennt tagsüber, {ort}", "Street light on by day, {ort}",
				"Die Laterne brennt seit letzter Woche auch tagsüber.",
				"The street light has been on during the day since last week.", "tagsueber"},
			{"Lichtmast beschädigt, {ort}", "Damaged lamp post, {ort}",
				"Der Mast steht nach einem Unfall schief, und die Abdeckung der Leuchte " +
					"hängt herunter.",
				"The post leans after an accident, and the cover of the lamp is hanging " +
					"down.", "beschaedigt"},
		},
		resolved: []string{
			"Das Leuchtmittel wurde ersetzt.",
			"Die Laterne wurde repariert.",
			"Der Lichtmast wurde gesichert und wird erneuert.",
		},
	},
	"frage-buergerservice": {
		weight: 28, workDays: 0.5, place: address,
		// Passports before the summer holidays.
		months: [12]float64{1.0, 1.0, 1.1, 1.2, 1.4, 1.3, 0.9, 0.8, 1.0, 1.0, 1.0, 0.8},
		stories: []story{
			{"Personalausweis verlängern", "Renewing my identity card",
				"Mein Personalausweis läuft nächsten Monat ab. Welche Unterlagen brauche " +
					"ich, und muss ich einen Termin machen?",
				"My identity card expires next month. Which documents do I need, and do I " +
					"need an appointment?", ""},
			{"Wohnsitz ummelden", "Registering my new address",
				"Ich bin innerhalb der Stadt umgezogen, meine neue Adresse ist {ort}. Kann " +
					"ich die Ummeldung online erledigen?",
				"I have moved within the city; my new address is {ort}. Can I register it " +
					"online?", ""},
			{"Reisepass für mein Kind", "Passport for my child",
				"Wir fahren im Sommer in den Urlaub. Wie lange dauert ein Reisepass für ein " +
					"Kind?",
				"We are going on holiday in the summer. How long does a passport for a " +
					"child take?", ""},
			{"Führungszeugnis beantragen", "Certificate of good conduct",
				"Mein Arbeitgeber verlangt ein Führungszeugnis. Wo kann ich es beantragen?",
				"My employer asks for a certificate of good conduct. Where can I apply " +
					"for it?", ""},
			{"Anwohnerparkausweis", "Resident parking permit",
				"Ich wohne seit Kurzem hier ({ort}). Wie bekomme ich einen " +
					"Anwohnerparkausweis?",
				"I have just moved here ({ort}). How do I get a resident parking permit?", ""},
			{"Hund anmelden", "Registering a dog",
				"Wir haben einen Hund aus dem Tierheim. Wie melde ich ihn zur Hundesteuer an?",
				"We have adopted a dog from the shelter. How do I register it for the dog " +
					"tax?", ""},
		},
		resolved: []string{
			"Ihre Frage wurde beantwortet.",
			"Die Auskunft wurde Ihnen per E-Mail geschickt.",
		},
	},
	"it-stoerung": {
		weight: 6, workDays: 0.25, place: officePlace, months: flat, officeOnly: true,
		stories: []story{
			{"Drucker druckt nicht", "Printer does not print",
				"Der Etagendrucker meldet einen Papierstau, obwohl kein Papier feststeckt.",
				"The floor printer reports a paper jam, but no paper is stuck.", "drucker"},
			{"PC startet nicht", "PC does not start",
				"Mein Rechner bleibt beim Hochfahren mit schwarzem Bildschirm hängen.",
				"My computer hangs with a black screen while starting.", "pc"},
			{"Telefon ohne Freizeichen", "No dial tone",
				"Das Telefon an meinem Platz hat seit heute Morgen kein Freizeichen.",
				"The phone at my desk has had no dial tone since this morning.", "telefon"},
			{"Fachverfahren meldet Fehler", "Case software shows an error",
				"Beim Speichern eines Vorgangs erscheint die Meldung „Verbindung " +
					"unterbrochen“.",
				"Saving a case shows the message \"connection lost\".", "software"},
			{"Kein Zugriff auf das Gruppenlaufwerk", "No access to the shared drive",
				"Ich komme seit dem Update nicht mehr auf das Laufwerk der Abteilung.",
				"Since the update I cannot open the department's shared drive.", "software"},
		},
		resolved: []string{"Die Störung ist behoben.", "Das Gerät wurde ausgetauscht."},
	},
	"barrierefreiheit": accessibility,
}

// accessibility is the profile of reports about barriers on the portal itself.
var accessibility = &profile{
	weight: 3, workDays: 5, place: portalPage, months: flat,
	stories: []story{
		{"Formular nicht mit der Tastatur bedienbar", "Form not usable with the keyboard",
			"Ich kann die Auswahlliste nicht mit der Tastatur öffnen und komme nicht weiter.",
			"I cannot open the drop-down list with the keyboard and cannot go on.", ""},
		{"Vorleseprogramm liest Schaltflächen nicht vor", "Screen reader skips buttons",
			"Mein Bildschirmleser sagt bei den Schaltflächen nur „Schaltfläche“ ohne Namen.",
			"My screen reader announces the buttons only as \"button\", without a name.", ""},
		{"Schrift zu kontrastarm", "Text contrast too low",
			"Die graue Schrift auf hellem Grund kann ich kaum lesen.",
			"I can hardly read the grey text on the light background.", ""},
		{"PDF nicht barrierefrei", "PDF not accessible",
			"Das Merkblatt als PDF lässt sich nicht vorlesen, es ist nur ein Bild.",
			"The leaflet PDF cannot be read aloud; it is only an image.", ""},
	},
	resolved: []string{"Die Seite wurde angepasst.", "Der Fehler ist behoben."},
}

// portalPages are pages of the portal citizens may find barriers on.
var portalPages = []string{
	"Startseite", "Anliegen melden", "Schlagloch melden", "Status abfragen",
	"Termin buchen", "Merkblatt Sperrmüll (PDF)",
}

func portalPage(rng *rand.Rand) string {
	return portalPages[rng.IntN(len(portalPages))]
}

// defaultProfile serves the services the demo does not know.
var defaultProfile = &profile{
	weight: 10, place: streetPlace, months: flat,
	stories: []story{
		{"{dienst}: {ort}", "{dienst}: {ort}",
			"Bitte kümmern Sie sich um mein Anliegen. Die Einzelheiten stehen im Formular.",
			"Please look into my request. The details are in the form.", ""},
		{"Anliegen zu {dienst}", "Request about {dienst}",
			"Ich bitte um Rückmeldung zu meinem Anliegen, Angaben siehe oben.",
			"I would like an answer to my request; see the details above.", ""},
	},
	resolved: []string{"Ihr Anliegen wurde erledigt."},
}
