package main

import (
	"encoding/json"
	"os"
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

// TestGovernanceCompliance: with a governance policy, the governance rules
// evidence their GDPR controls: Art.44 (transfers) fails on the sample's
// residency breaches, naming the rules and the failing resources; without
// a policy the same controls have no governance rule.
func TestGovernanceCompliance(t *testing.T) {
	report := func(args ...string) map[string]any {
		t.Helper()
		out := filepath.Join(t.TempDir(), "gdpr.json")
		code, _, stderr := runCLI2(t, append([]string{"compliance", "gdpr", sampleOrg, "--format", "json", "-o", out, "--now", "2026-11-24T06:00:00Z"}, args...)...)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var doc struct {
			Controls []map[string]any `json:"controls"`
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		for _, c := range doc.Controls {
			if c["id"] == "Art.44" {
				return c
			}
		}
		t.Fatal("no Art.44 control")
		return nil
	}
	with := report("--governance", filepath.Join(sampleOrg, "governance.yaml"))
	b, _ := json.Marshal(with)
	for _, want := range []string{`"status":"FAILED"`, "governance-residency-breach-object-storage", "arn:aws:s3:::nw-prod-eu-crm-exports"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("Art.44 with the policy lacks %s: %.600s", want, b)
		}
	}
	without, _ := json.Marshal(report())
	if strings.Contains(string(without), "governance-residency-breach") {
		t.Errorf("Art.44 without a policy names a governance rule: %.400s", without)
	}
}
