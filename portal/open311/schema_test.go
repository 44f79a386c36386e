package open311_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

var (
	schemasOnce sync.Once
	schemas     map[string]*jsonschema.Schema
	schemasErr  error
)

// schemaNames are the files in testdata/schema: the standard's own schemas and
// those written from its text for the answers it has none for.
var schemaNames = []string{
	"request", "requests", "service", "services", "service-definition", "post-response",
	"tokens", "errors", "discovery",
}

func compileSchemas() {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	schemas = map[string]*jsonschema.Schema{}
	for _, name := range schemaNames {
		s, err := c.Compile("testdata/schema/" + name + ".json")
		if err != nil {
			schemasErr = err
			return
		}
		schemas[name] = s
	}
}

// wantSchema validates a JSON answer against the named schema.
func wantSchema(t testing.TB, a answer, name string) {
	t.Helper()
	schemasOnce.Do(compileSchemas)
	if schemasErr != nil {
		t.Fatalf("compile schemas: %v", schemasErr)
	}

	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(a.body))
	if err != nil {
		t.Fatalf("answer is not JSON: %v\n%s", err, a.body)
	}

	if err := schemas[name].Validate(doc); err != nil {
		t.Errorf("answer does not validate against %s.json: %v\n%s", name, err, a.body)
	}
}
