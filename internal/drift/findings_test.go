package drift

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/report"
	"github.com/vigil-sec/vigil/internal/testkit"
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
	testkit.ValidateSARIF(t, testkit.SARIFSchema(t), "drift SARIF", buf.Bytes())
}
