package iac

import (
	"context"
	"testing"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/scan"
)

// TestAccountScope: each CloudFormation template is an account scope of
// its own, as each Terraform root module is (TestProjects/multiroot): the
// trail logging S3 data events excuses the other trail of its template,
// not the trail of another template. The findings and the inventory keep
// the unknown account they were read with.
func TestAccountScope(t *testing.T) {
	dir := t.TempDir()
	trail := func(name string, s3 bool) string {
		sel := ""
		if s3 {
			sel = `
      EventSelectors:
        - ReadWriteType: All
          IncludeManagementEvents: true
          DataResources:
            - Type: AWS::S3::Object
              Values: ["arn:aws:s3"]`
		}
		return `
  ` + name + `:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      IsMultiRegionTrail: true
      S3BucketName: acme-trails` + sel
	}
	writeFiles(t, dir, map[string]string{
		"logging.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nResources:" + trail("Main", true) + trail("Audit", false) + "\n",
		"app.yaml":     "AWSTemplateFormatVersion: '2010-09-09'\nResources:" + trail("AppTrail", false) + "\n",
	})
	res, err := Scan(context.Background(), builtinEngine(t), Options{
		Paths: []string{dir},
		Scan:  scan.Options{Now: testNow, Filter: finding.Filter{Rules: []string{"aws-cloudtrail-s3-read-events-not-logged"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]finding.Status{}
	for _, f := range res.Report.Findings {
		got[f.Resource.ID] = f.Status
		if f.Resource.Account != "" {
			t.Errorf("%s: account %q in the report, want the unknown account", f.Resource.ID, f.Resource.Account)
		}
	}
	want := map[string]finding.Status{"logging.yaml:Main": finding.Pass, "logging.yaml:Audit": finding.Pass, "app.yaml:AppTrail": finding.Fail}
	for id, st := range want {
		if got[id] != st {
			t.Errorf("%s: %s, want %s (all: %v)", id, got[id], st, got)
		}
	}
	for _, r := range res.Inventory.Resources {
		if r.Account != "" {
			t.Errorf("%s: account %q in the inventory", r.ID, r.Account)
		}
	}
}
