package load

import (
	"os"
	"slices"
	"testing"

	"github.com/vigil-sec/vigil/internal/findings"
)

// TestMergeScan: Security Hub's S3.8 (in ASFF and in its OCSF form) and
// vigil's storage-public-access-not-blocked failing on the same bucket are
// one finding with both sources; S3.8 on a bucket where vigil's rule passed,
// or where only another vigil rule failed, stays Security Hub's alone.
func TestMergeScan(t *testing.T) {
	res := loadSamples(t)
	in, err := os.Open("testdata/scan.json")
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	results, err := findings.ReadScan(in, "scan.json")
	if err != nil || len(results) != 3 {
		t.Fatalf("%d FAIL results, %v", len(results), err)
	}
	if n := findings.MergeScan(res.Findings, results); n != 2 {
		t.Errorf("%d findings merged, want 2 (the ASFF and the OCSF S3.8 finding)", n)
	}
	for _, f := range res.Findings {
		switch {
		case f.Type == "S3.8" && f.Resource.ID == "arn:aws:s3:::nw-dev-partner-share":
			if !slices.Equal(f.Sources, []string{"Security Hub S3.8", "vigil storage-public-access-not-blocked"}) {
				t.Errorf("S3.8 on nw-dev-partner-share: sources %v", f.Sources)
			}
		case len(f.Sources) > 0:
			t.Errorf("%s on %s merged: %v", f.Type, f.Resource.ID, f.Sources)
		}
	}
}
