package open311_test

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// strictDatetime is the one form of datetimes answered: whole seconds, Z or an
// offset.
var strictDatetime = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$`)

func TestDiscoveryListsAProductionAndATestEndpoint(t *testing.T) {
	r := newRig(t)

	a := r.get("/open311/v2/discovery.json")
	wantStatus(t, a, 200)
	wantSchema(t, a, "discovery")

	var d struct {
		Changeset string `json:"changeset"`
		Contact   string `json:"contact"`
		Endpoints []struct {
			Specification, URL, Type string
			Formats                  []string
		} `json:"endpoints"`
	}
	decodeJSON(t, a, &d)

	changed, err := time.Parse(time.RFC3339, d.Changeset)
	if err != nil || !strictDatetime.MatchString(d.Changeset) || changed.After(time.Now()) {
		t.Errorf("changeset %q is not a past W3C datetime (%v)", d.Changeset, err)
	}
	if !strings.Contains(d.Contact, "https://stadt.example.org") {
		t.Errorf("contact %q does not say where to ask", d.Contact)
	}

	types := map[string]bool{}
	for _, e := range d.Endpoints {
		types[e.Type] = true
		if e.URL != "https://stadt.example.org/open311/v2/" ||
			e.Specification != "http://wiki.open311.org/GeoReport_v2" ||
			strings.Join(e.Formats, " ") != "text/xml application/json" {
			t.Errorf("endpoint %+v", e)
		}
	}
	if !types["production"] || !types["test"] {
		t.Errorf("endpoint types %v, want production and test", types)
	}

	x := r.get("/open311/v2/discovery.xml")
	wantStatus(t, x, 200)
	wantXML(t, x)
	wantText(t, x, "<discovery><changeset>", "<endpoints><endpoint><specification>",
		"<formats><format>text/xml</format><format>application/json</format></formats>",
		"<type>test</type>")
}

func TestServicesListsOnlyPublicServices(t *testing.T) {
	r := newRig(t)

	a := r.get("/open311/v2/services.json")
	wantStatus(t, a, 200)
	wantSchema(t, a, "services")

	var list []map[string]any
	decodeJSON(t, a, &list)
	codes := []string{}
	for _, s := range list {
		codes = append(codes, s["service_code"].(string))
		if s["metadata"] != true || s["type"] != "realtime" {
			t.Errorf("service %v: metadata %v, type %v; want true, realtime", s["service_code"],
				s["metadata"], s["type"])
		}
	}
	want := "schlagloch illegale-ablagerung strassenbeleuchtung frage-buergerservice"
	if strings.Join(codes, " ") != want {
		t.Errorf("services %q, want the public ones %q", codes, want)
	}
	wantText(t, a, `"keywords":"Straße, Loch, Gehweg, Radweg, pothole, road"`,
		`"group":"Straße und Verkehr"`)
	wantNoText(t, a, "it-stoerung", "barrierefreiheit", "email-eingang")

	x := r.get("/open311/v2/services.xml")
	wantXML(t, x)
	wantText(t, x, "<services><service><service_code>schlagloch</service_code>",
		"<metadata>true</metadata><type>realtime</type>")
	wantNoText(t, x, "it-stoerung")
}

func TestServiceNamesFollowLocaleAndAcceptLanguage(t *testing.T) {
	r := newRig(t)

	const english = `"service_name":"Pothole or road damage"`
	wantText(t, r.get("/open311/v2/services.json?locale=en"), english)
	wantText(t, r.get("/open311/v2/services.json?locale=en_GB"), english)

	req := httptestGet("/open311/v2/services/illegale-ablagerung.json")
	req.Header.Set("Accept-Language", "uk, en;q=0.5")
	a := r.send(req)
	wantStatus(t, a, 200)
	if !strings.Contains(a.body, `"description":"Що там лежить?"`) {
		t.Errorf("definition with Accept-Language uk is not in Ukrainian:\n%s", a.body)
	}
}

func TestServiceDefinitionIsThePortalsForm(t *testing.T) {
	r := newRig(t)

	a := r.get("/open311/v2/services/illegale-ablagerung.json")
	wantStatus(t, a, 200)
	wantSchema(t, a, "service-definition")

	var d struct {
		ServiceCode string `json:"service_code"`
		Attributes  []struct {
			Variable bool   `json:"variable"`
			Code     string `json:"code"`
			Datatype string `json:"datatype"`
			Required bool   `json:"required"`
			Order    int    `json:"order"`
			Values   []struct {
				Key  string `json:"key"`
				Name string `json:"name"`
			} `json:"values"`
		} `json:"attributes"`
	}
	decodeJSON(t, a, &d)

	var got []string
	for i, at := range d.Attributes {
		if at.Order != i+1 {
			t.Errorf("attribute %s has order %d, want %d", at.Code, at.Order, i+1)
		}
		got = append(got, at.Code+":"+at.Datatype+":"+boolWord(at.Required)+":"+
			kindWord(at.Variable))
	}
	want := "location:string:required:variable hint:string:optional:fixed " +
		"kind:singlevaluelist:required:variable description:text:optional:variable"
	if strings.Join(got, " ") != want {
		t.Errorf("attributes %q,\nwant %q", got, want)
	}
	if len(d.Attributes) > 2 && (len(d.Attributes[2].Values) != 5 ||
		d.Attributes[2].Values[0].Key != "sperrmuell" || d.Attributes[2].Values[0].Name == "") {
		t.Errorf("values of kind: %+v, want the five options with names", d.Attributes[2].Values)
	}

	pothole := r.get("/open311/v2/services/schlagloch.json")
	wantText(t, pothole, `"code":"danger","datatype":"singlevaluelist"`,
		`"values":[{"key":"yes","name":"Ja"},{"key":"no","name":"Nein"}]`)
	wantNoText(t, pothole, `"code":"photo"`)

	x := r.get("/open311/v2/services/schlagloch.xml")
	wantXML(t, x)
	wantText(t, x, "<service_definition><service_code>schlagloch</service_code><attributes>"+
		"<attribute><variable>true</variable><code>location</code>",
		"<values><value><key>yes</key><name>Ja</name></value>")

	for _, code := range []string{"it-stoerung", "gibt-es-nicht"} {
		wantErrors(t, r.get("/open311/v2/services/"+code+".json"), 404, "service_code "+code)
	}
}

func kindWord(variable bool) string {
	if variable {
		return "variable"
	}
	return "fixed"
}

func boolWord(b bool) string {
	if b {
		return "required"
	}
	return "optional"
}
