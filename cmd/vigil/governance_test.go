package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestGovernanceIacAndLive: with the sample organization's governance
// policy, the same governance rules judge Terraform and CloudFormation
// before deploy (tags compared the same way: DataClassification, Owner and
// cost_center are the policy's keys) and the live inventory export.
func TestGovernanceIacAndLive(t *testing.T) {
	policy := filepath.Join(sampleOrg, "governance.yaml")
	fails := func(args ...string) map[string]string {
		t.Helper()
		code, out := runCLI(t, append(args, "--governance", policy, "--rule", "governance-*", "--format", "json", "--now", "2026-11-24T06:00:00Z")...)
		if code != exitOK {
			t.Fatalf("%v: exit %d", args, code)
		}
		var r struct {
			Findings []struct {
				RuleID   string `json:"rule_id"`
				Status   string `json:"status"`
				Message  string `json:"message"`
				Resource struct {
					ID string `json:"id"`
				} `json:"resource"`
			} `json:"findings"`
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, f := range r.Findings {
			if f.Status == "FAIL" {
				got[f.RuleID+" "+f.Resource.ID] = f.Message
			}
		}
		return got
	}
	iac := fails("iac", "testdata/governance/iac")
	want := map[string]string{
		"governance-required-tags-object-storage .:aws_s3_bucket.scratch":        "missing required tags: owner, cost-center",
		"governance-unclassified-data-store-database .:aws_dynamodb_table.flags": "no tag or label of the data store matches",
		"governance-required-tags-database .:aws_dynamodb_table.flags":           "missing required tags: owner, cost-center, data-classification",
		"governance-unclassified-data-store-object-storage bucket.yaml:Exports":  "no tag or label",
		"governance-required-tags-object-storage bucket.yaml:Exports":            "invalid required tags: data-classification",
	}
	for k, msg := range want {
		if got, ok := iac[k]; !ok || !strings.Contains(got, msg) {
			t.Errorf("vigil iac: %s: got %q, want a FAIL saying %q", k, got, msg)
		}
	}
	if len(iac) != len(want) {
		t.Errorf("vigil iac: %d governance FAILs, want %d: %v", len(iac), len(want), iac)
	}
	live := fails("scan", sampleOrg)
	if got := live["governance-required-tags-object-storage arn:aws:s3:::nw-prod-eu-scratch"]; !strings.Contains(got, "missing required tags: owner, cost-center") {
		t.Errorf("vigil scan: the live nw-prod-eu-scratch bucket: got %q, want missing owner and cost-center", got)
	}
}

// TestGovernanceBadPolicy: a policy naming an unknown jurisdiction is
// refused with the file and line, before anything is scanned.
func TestGovernanceBadPolicy(t *testing.T) {
	code, _, stderr := runCLI2(t, "scan", sampleOrg, "--governance", "testdata/governance/bad.yaml")
	if code != exitUsage || !strings.Contains(stderr, "testdata/governance/bad.yaml:8: unknown jurisdiction \"Atlantis\"") {
		t.Errorf("exit %d, stderr %q; want 2 and the file:line of the unknown jurisdiction", code, stderr)
	}
}
