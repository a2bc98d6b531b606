package findings

import (
	"reflect"
	"testing"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

func TestControlRefs(t *testing.T) {
	f := Finding{Resource: Resource{Provider: resource.AWS}, Requirements: []string{
		"NIST.800-53.r5 AC-3", "NIST.800-53.r5 ac-2(1)", "PCI DSS v4.0.1/1.4.4", "PCI DSS v3.2.1/7.2.1",
		"CIS AWS Foundations Benchmark v3.0.0/2.1.4", "CIS AWS Foundations Benchmark v7.0.0/2.1.4", "NIST.800-53.r5 AC-3",
		"cis 5.0/3.6", // an SCC form on an AWS finding: not GCP's benchmark
	}}
	want := []finding.Reference{
		{Framework: "nist-800-53-r5", Control: "AC-3"}, {Framework: "nist-800-53-r5", Control: "AC-2(1)"},
		{Framework: "pci-dss-4.0", Control: "1.4.4"}, {Framework: "cis-aws-7.0", Control: "2.1.4"},
	}
	if got := ControlRefs(&f); !reflect.DeepEqual(got, want) {
		t.Errorf("ControlRefs = %v, want %v", got, want)
	}
	scc := Finding{Resource: Resource{Provider: resource.GCP}, Requirements: []string{"cis 5.0/3.6", "cis 1.3/3.6", "pci 4.0/1.2.1", "nist 800-53 R5/SC-7", "nist 800-53 R4/SC-7"}}
	want = []finding.Reference{{Framework: "cis-gcp-5.0", Control: "3.6"}, {Framework: "pci-dss-4.0", Control: "1.2.1"}, {Framework: "nist-800-53-r5", Control: "SC-7"}}
	if got := ControlRefs(&scc); !reflect.DeepEqual(got, want) {
		t.Errorf("SCC ControlRefs = %v, want %v", got, want)
	}
}

func TestComplianceFindings(t *testing.T) {
	res := Resource{Provider: resource.AWS, ID: "arn:aws:s3:::b", Account: "1"}
	fs := []Finding{
		{Product: SecurityHub, Type: "S3.8", Title: "block public access", Severity: finding.High, Status: Active, Resource: res, Requirements: []string{"NIST.800-53.r5 AC-3"}},
		{Product: SecurityHub, Type: "S3.8", Title: "block public access", Severity: finding.Info, Status: Resolved, OriginalStatus: "Compliance PASSED, Workflow RESOLVED", Resource: res, Requirements: []string{"NIST.800-53.r5 SC-7"}},
		{Product: SecurityHub, Type: "S3.8", Severity: finding.High, Status: Suppressed, OriginalStatus: "Compliance FAILED, Workflow SUPPRESSED", Resource: res, Requirements: []string{"NIST.800-53.r5 AC-3"}},
		{Product: SecurityHub, Type: "S3.8", Severity: finding.High, Status: Resolved, OriginalStatus: "RecordState ARCHIVED", Resource: res, Requirements: []string{"NIST.800-53.r5 AC-3"}},
		{Product: GuardDuty, Type: "Recon:EC2/PortProbeUnprotectedPort", Severity: finding.Low, Status: Active, Resource: res},
	}
	out, rules := ComplianceFindings(fs)
	if len(out) != 3 || len(rules) != 1 {
		t.Fatalf("%d findings, %d rules; want 3 and 1", len(out), len(rules))
	}
	if out[0].Status != finding.Fail || out[1].Status != finding.Pass || out[2].Status != finding.Fail || out[2].Suppressed == nil {
		t.Errorf("statuses %s %s %s (suppressed %v)", out[0].Status, out[1].Status, out[2].Status, out[2].Suppressed)
	}
	r := rules[0]
	if r.ID != "securityhub:S3.8" || r.Severity != finding.High || !reflect.DeepEqual(r.Frameworks, map[string][]string{"nist-800-53-r5": {"AC-3", "SC-7"}}) {
		t.Errorf("rule %+v", r)
	}
}
