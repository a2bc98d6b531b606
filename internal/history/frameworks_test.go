package history

import (
	"encoding/json"
	"testing"

	"github.com/vigil-sec/vigil/internal/finding"
)

// TestAppendFrameworksJSON: the stored frameworks column (and the digest
// computed from it) is what json.Marshal wrote before, for hostile values too.
func TestAppendFrameworksJSON(t *testing.T) {
	for _, refs := range [][]finding.Reference{
		nil,
		{{Framework: "soc2", Control: "CC6.1"}},
		{{Framework: "cis-aws-7.0", Control: "3.1"}, {Framework: "pci-dss-4.0", Control: "10.4"}},
		{{Framework: `<script>"x"</script>&`, Control: "\u2028\x00\\\t\xff é"}},
	} {
		want := "[]"
		if len(refs) > 0 {
			b, err := json.Marshal(refs)
			if err != nil {
				t.Fatal(err)
			}
			want = string(b)
		}
		if got := string(appendFrameworksJSON(nil, refs)); got != want {
			t.Errorf("appendFrameworksJSON(%q) = %s, want %s", refs, got, want)
		}
	}
}
