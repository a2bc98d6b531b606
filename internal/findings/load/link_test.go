package load

import (
	"os"
	"slices"
	"testing"

	"github.com/vigil-sec/vigil/internal/findings"
)

// TestLinkAlerts: a GuardDuty finding links to the vigil alert on the same
// IAM user in the same hour, not to the same user's alert hours later nor
// to another user's; an SCC finding links by the principal's e-mail, a
// Defender for Cloud alert by its account entity's UPN or Entra object id.
func TestLinkAlerts(t *testing.T) {
	res := loadSamples(t)
	in, err := os.Open("testdata/alerts.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	alerts, err := findings.ReadAlerts(in, "alerts.jsonl")
	if err != nil || len(alerts) != 5 {
		t.Fatalf("%d alerts, %v", len(alerts), err)
	}
	if n := findings.LinkAlerts(res.Findings, alerts); n != 3 {
		t.Errorf("%d findings linked, want 3", n)
	}
	for _, f := range res.Findings {
		switch {
		case f.Product == findings.GuardDuty && f.Type == "Discovery:IAMUser/AnomalousBehavior":
			if !slices.Equal(f.LinkedAlerts, []string{"alert-recon-svc-backup"}) {
				t.Errorf("GuardDuty finding on svc-backup: linked %v, want [alert-recon-svc-backup]", f.LinkedAlerts)
			}
		case f.Product == findings.SCC && f.Title == "Persistence: IAM Anomalous Grant":
			if !slices.Equal(f.LinkedAlerts, []string{"alert-gcp-owner-grant"}) {
				t.Errorf("SCC finding: linked %v", f.LinkedAlerts)
			}
		case f.Product == findings.Defender && f.ID == "2516884199999999999_4c1e2d3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f":
			if !slices.Equal(f.LinkedAlerts, []string{"alert-azure-owner-assignment"}) {
				t.Errorf("Defender alert with j.doe's account: linked %v", f.LinkedAlerts)
			}
		case len(f.LinkedAlerts) > 0:
			t.Errorf("%s %s linked to %v", f.Product, f.ID, f.LinkedAlerts)
		}
	}
}
