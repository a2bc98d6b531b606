package load

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/findings"
)

// TestMergeScan: Security Hub's S3.8 (in ASFF and in its OCSF form) and
// vigil's storage-public-access-not-blocked failing on the same bucket are
// one finding with both sources, and so are Defender for Cloud's network
// recommendation and SCC's PUBLIC_BUCKET_ACL with vigil's rules of the same
// control on the same storage account (id case aside) and bucket; S3.8 on a bucket where vigil's rule passed,
// or where only another vigil rule failed, stays Security Hub's alone.
func TestMergeScan(t *testing.T) {
	res := loadSamples(t)
	in, err := os.Open("testdata/scan.json")
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	results, err := findings.ReadScan(in, "scan.json")
	if err != nil || len(results) != 6 {
		t.Fatalf("%d FAIL results, %v", len(results), err)
	}
	if n := findings.MergeScan(res.Findings, results); n != 4 {
		t.Errorf("%d findings merged, want 4 (the ASFF and the OCSF S3.8 finding, Defender's and SCC's)", n)
	}
	for _, f := range res.Findings {
		switch {
		case f.Type == "S3.8" && f.Resource.ID == "arn:aws:s3:::nw-dev-partner-share":
			if !slices.Equal(f.Sources, []string{"Security Hub S3.8", "vigil storage-public-access-not-blocked"}) {
				t.Errorf("S3.8 on nw-dev-partner-share: sources %v", f.Sources)
			}
		case f.Product == findings.Defender && strings.HasSuffix(f.Resource.ID, "/nwdatalakeprod"):
			if !slices.Equal(f.Sources, []string{"Defender for Cloud Storage accounts should restrict network access using virtual network rules", "vigil azure-storage-network-not-restricted"}) {
				t.Errorf("Defender recommendation on nwdatalakeprod: sources %v", f.Sources)
			}
		case f.Product == findings.SCC && f.Resource.ID == "//storage.googleapis.com/nw-analytics-legacy-staging":
			if !slices.Equal(f.Sources, []string{"Security Command Center MISCONFIGURATION/PUBLIC_BUCKET_ACL", "vigil storage-public-access"}) {
				t.Errorf("SCC PUBLIC_BUCKET_ACL: sources %v", f.Sources)
			}
		case len(f.Sources) > 0:
			t.Errorf("%s on %s merged: %v", f.Type, f.Resource.ID, f.Sources)
		}
	}
}
