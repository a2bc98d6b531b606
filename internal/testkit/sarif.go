package testkit

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// SARIFSchema compiles ../shared/corpus/sarif/sarif-schema-2.1.0.json,
// found walking up from the package directory; the test skips without it.
func SARIFSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		p := filepath.Join(dir, "shared", "corpus", "sarif", "sarif-schema-2.1.0.json")
		if f, err := os.Open(p); err == nil {
			defer f.Close()
			doc, err := jsonschema.UnmarshalJSON(f)
			if err != nil {
				t.Fatal(err)
			}
			c := jsonschema.NewCompiler()
			if err := c.AddResource("sarif-schema-2.1.0.json", doc); err != nil {
				t.Fatal(err)
			}
			sch, err := c.Compile("sarif-schema-2.1.0.json")
			if err != nil {
				t.Fatal(err)
			}
			return sch
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("../shared/corpus/sarif/sarif-schema-2.1.0.json not found (the shared corpus is absent): SARIF not validated")
		}
		dir = parent
	}
}

// ValidateSARIF reports an error when data (named name in the message)
// does not validate against sch.
func ValidateSARIF(t testing.TB, sch *jsonschema.Schema, name string, data []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("%s does not validate against the SARIF 2.1.0 schema: %v", name, err)
	}
}
