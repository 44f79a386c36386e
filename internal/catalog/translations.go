package catalog

// Translated texts of a service that the portal shows and the administration
// checks for each language.
const (
	TextName    = "name"
	TextHelp    = "help"
	TextPromise = "promise"
)

// Missing returns, for each of langs, which of the service's name, help text
// and promise the portal shows in German because that language lacks it. A
// text German leaves empty is missing nowhere.
func (svc Service) Missing(langs []string) map[string][]string {
	texts := []struct {
		name  string
		texts Texts
	}{{TextName, svc.Name}, {TextHelp, svc.Help}, {TextPromise, svc.Promise}}

	missing := map[string][]string{}
	for _, lang := range langs {
		for _, t := range texts {
			if t.texts["de"] != "" && t.texts[lang] == "" {
				missing[lang] = append(missing[lang], t.name)
			}
		}
	}

	return missing
}
