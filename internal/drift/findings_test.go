package drift

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/vigil-sec/vigil/internal/report"
)

// TestSARIF writes the state test's drift as SARIF: it validates against
// the SARIF 2.1.0 schema (../shared/corpus; skipped without it), one
// result per changed attribute, missing and unmanaged resource (not the
// unmatched ones), each IaC one located at its file and lines, with a
// fingerprint of its own.
func TestSARIF(t *testing.T) {
	rep := compare(t, []string{"testdata/state"}, []string{"testdata/inventory"}, Options{})
	r := AsReport(rep, time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC), func(f string) string { return "infra/" + f })
	var buf bytes.Buffer
	if err := report.Write(context.Background(), &buf, "sarif", r); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation *struct {
						ArtifactLocation struct{ URI string }    `json:"artifactLocation"`
						Region           struct{ StartLine int } `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
				Fingerprints map[string]string `json:"partialFingerprints"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	res := doc.Runs[0].Results
	if len(res) != rep.Summary.Changed+rep.Summary.Missing+rep.Summary.Unmanaged {
		t.Errorf("%d results for %+v", len(res), rep.Summary)
	}
	fps := map[string]bool{}
	for _, x := range res {
		fp := x.Fingerprints["vigilFindingId/v1"]
		if fps[fp] {
			t.Errorf("%s: fingerprint %s repeated", x.RuleID, fp)
		}
		fps[fp] = true
		if x.RuleID == RuleUnmanaged {
			continue
		}
		pl := x.Locations[0].PhysicalLocation
		if pl == nil || !strings.HasPrefix(pl.ArtifactLocation.URI, "infra/") || !strings.HasSuffix(pl.ArtifactLocation.URI, "main.tf") || pl.Region.StartLine == 0 {
			t.Errorf("%s: location %+v", x.RuleID, pl)
		}
	}
	validateSARIF(t, buf.Bytes())
}

// validateSARIF validates data against ../shared/corpus/sarif/sarif-schema-2.1.0.json,
// found walking up from the package directory; it skips without it.
func validateSARIF(t *testing.T, data []byte) {
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
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(inst); err != nil {
				t.Errorf("SARIF does not validate: %v", err)
			}
			return
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("../shared/corpus/sarif/sarif-schema-2.1.0.json not found (the shared corpus is absent): SARIF not validated")
		}
		dir = parent
	}
}
