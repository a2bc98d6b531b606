package azurecollect

import (
	"path/filepath"
	"testing"

	"github.com/vigil-sec/vigil/internal/findings"
	"github.com/vigil-sec/vigil/internal/findings/load"
)

// TestCollectedDefenderFindings: Defender for Cloud's alerts and unhealthy
// assessments with their sub-assessments, which the security resources
// query brings with the Defender plans, are written apart, where and as
// vigil findings import reads them; the plans stay in securityresources.json.
func TestCollectedDefenderFindings(t *testing.T) {
	f := newFakeAzure(t, filepath.Join("testdata", "server"), loadRoutes(t))
	mem, _, err := run(t, f, f.options())
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	name := "azure/" + subA + "/findings/defender-securityresources.json"
	data := mem.File(name)
	if data == nil {
		t.Fatalf("%s not written; files: %v", name, mem.Names())
	}
	res := load.Data(name, data)
	if len(res.Problems) != 0 || len(res.Findings) != 3 {
		t.Fatalf("%d findings, problems %v; want the alert, the assessment and the sub-assessment", len(res.Findings), res.Problems)
	}
	kinds := map[findings.Kind]int{}
	for _, fd := range res.Findings {
		if fd.Product != findings.Defender || fd.Resource.Account != subA {
			t.Errorf("%s: product %s, account %s", fd.ID, fd.Product, fd.Resource.Account)
		}
		kinds[fd.Kind]++
	}
	if kinds[findings.Vulnerability] != 1 || kinds[findings.Threat] != 2 {
		t.Errorf("kinds %v, want one vulnerability (the sub-assessment) and two threats", kinds)
	}
	// The posture's table keeps only the plans and contacts.
	posture := load.Data("securityresources.json", mem.File("azure/"+subA+"/securityresources.json"))
	if len(posture.Findings) != 0 {
		t.Errorf("securityresources.json still holds %d findings", len(posture.Findings))
	}
	if mem.File("azure/"+subB+"/findings/defender-securityresources.json") != nil {
		t.Errorf("a findings file written for a subscription without findings")
	}
}
