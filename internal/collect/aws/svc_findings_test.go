package awscollect

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/findings"
	"github.com/vigil-sec/vigil/internal/findings/load"
)

// TestCollectedFindingsImport: the GuardDuty, Security Hub and Inspector findings the
// collector fetched (the fake endpoint's wire-format answers, through the
// SDK) are written where and as vigil findings import reads them, with the
// mapping the import applies to the CLI's own output.
func TestCollectedFindingsImport(t *testing.T) {
	dir, fails, _ := collectMore(t, nil)
	for _, f := range fails {
		t.Errorf("unexpected failure: %s", f)
	}
	res, err := load.Files(context.Background(), []string{filepath.Join(dir, "aws", moreAcct, "cli", "findings")})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) != 0 || len(res.Unrecognised) != 0 || res.Files != 3 {
		t.Fatalf("%d files, problems %v, unrecognised %v", res.Files, res.Problems, res.Unrecognised)
	}
	byID := map[string]findings.Finding{}
	for _, f := range res.Findings {
		byID[f.ID] = f
	}
	if len(byID) != 4 {
		t.Errorf("%d findings read, want 4 (two GuardDuty, one Security Hub, one Inspector)", len(byID))
	}
	in := byID["arn:aws:inspector2:us-east-1:111122223333:finding/0a1b2c3d4e5f60718293a4b5c6d7e8f9"]
	if in.Product != findings.Inspector || in.Kind != findings.Vulnerability || in.Vuln == nil || in.Vuln.ID != "CVE-2024-6387" ||
		len(in.Vuln.Packages) != 1 || in.Vuln.Packages[0].Version != "8.7p1-8.amzn2023.0.10" || in.Vuln.Packages[0].FixedVersion != "0:8.7p1-8.amzn2023.0.11" ||
		in.Resource.ID != "arn:aws:ec2:us-east-1:111122223333:instance/i-0d7f37aae9b62e1a8" || in.FirstSeen.IsZero() {
		t.Errorf("Inspector finding: %+v %+v", in, in.Vuln)
	}
	gd := byID["arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/c2c7a3f1e5b84f6d9a0b1c2d3e4f5a6b"]
	if gd.Product != findings.GuardDuty || gd.Severity != finding.High || gd.Status != findings.Active || gd.FirstSeen.IsZero() ||
		gd.Resource.ID != "arn:aws:ec2:us-east-1:111122223333:instance/i-0b7fe5cdbceacc2bb" {
		t.Errorf("GuardDuty finding: %+v", gd)
	}
	key := byID["arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/a4e1b2c3d4e5f60718293a4b5c6d7e8f"]
	if key.Severity != finding.Medium || len(key.Principals) == 0 {
		t.Errorf("GuardDuty access-key finding: severity %s, principals %v", key.Severity, key.Principals)
	}
	sh := byID["arn:aws:securityhub:us-east-1:111122223333:security-control/S3.8/finding/5b1e7c2a-9d3f-4e6a-8b0c-1d2e3f4a5b6c"]
	if sh.Product != findings.SecurityHub || sh.Type != "S3.8" || sh.VigilRule != "storage-public-access-not-blocked" ||
		sh.Resource.ID != "arn:aws:s3:::prod-reports" || sh.Status != findings.Active || len(sh.Requirements) != 1 {
		t.Errorf("Security Hub finding: %+v", sh)
	}
}
