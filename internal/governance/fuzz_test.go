package governance

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// FuzzParse: a policy file is untrusted input. Parse never panics; a refusal
// names the file (and, for a problem in the document, a line); an accepted
// policy applies to resources without panicking.
func FuzzParse(f *testing.F) {
	f.Add([]byte(good))
	if b, err := os.ReadFile(filepath.Join("..", "..", "examples", "org", "governance.yaml")); err == nil {
		f.Add(b)
	}
	for _, s := range []string{"", "version: 2\n", "classification:\n  - key: a\n    regex: '['\n", "tagging:\n  - required: [\"\"]\n",
		"residency:\n  - classes: [restricted]\n    regions: [\"gcp:eu\"]\n", "classes: [a, a]\n", "owner_tag: \"\"\n", "- a\n- b\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		pol, err := Parse("p.yaml", data)
		if err != nil {
			if !strings.Contains(err.Error(), "p.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			var pe *Error
			if errors.As(err, &pe) && pe.Line < 1 {
				t.Fatalf("error at line %d: %v", pe.Line, err)
			}
			return
		}
		rs := []*resource.Resource{
			{Provider: "aws", Class: resource.ClassObjectStorage, ID: "b", Tags: map[string]string{"a": "b", "data-classification": "restricted", "owner": ""},
				Facts: resource.Facts{Data: &resource.Data{Locations: []resource.DataLocation{{Region: "eu-west-1", Path: "primary", Country: "IE", Jurisdiction: "EU"}, {Path: "x"}}}}},
			{Provider: "gcp", Class: resource.ClassCompute, ID: "vm", Tags: map[string]string{"owner": "x"}},
		}
		if err := Apply(context.Background(), pol, rs); err != nil {
			t.Fatal(err)
		}
		_ = Coverage(pol, rs)
	})
}
