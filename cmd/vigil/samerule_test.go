package main

import (
	"encoding/json"
	"testing"
)

// TestSameRuleEverySource: one built-in rule, firewall-ssh-open-to-internet,
// flags SSH open to the internet in Terraform, CloudFormation and ARM
// (testdata/same-rule) and in the live-inventory export of examples/org,
// each finding located as its source allows.
func TestSameRuleEverySource(t *testing.T) {
	const rule = "firewall-ssh-open-to-internet"
	type result struct {
		Findings []struct {
			RuleID   string `json:"rule_id"`
			Status   string `json:"status"`
			Resource struct {
				ID       string `json:"id"`
				Type     string `json:"type"`
				Provider string `json:"provider"`
				Location *struct {
					File      string `json:"file"`
					StartLine int    `json:"start_line"`
					Address   string `json:"address"`
				} `json:"location"`
			} `json:"resource"`
		} `json:"findings"`
	}
	fails := func(args ...string) map[string]string {
		code, out := runCLI(t, append(args, "--rule", rule, "--format", "json", "--now", "2026-11-24")...)
		if code != exitOK {
			t.Fatalf("%v: exit %d", args, code)
		}
		var r result
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, f := range r.Findings {
			if f.RuleID != rule || f.Status != "FAIL" {
				continue
			}
			where := f.Resource.Provider + " " + f.Resource.Type
			if l := f.Resource.Location; l != nil {
				where += " " + l.File + " " + l.Address
				if l.StartLine < 1 {
					t.Errorf("%s: no line", f.Resource.ID)
				}
			}
			got[f.Resource.ID] = where
		}
		return got
	}
	iacFails := fails("iac", "testdata/same-rule")
	for id, want := range map[string]string{
		// A Terraform resource's ID is its root module's directory and address.
		".:aws_security_group.bastion": "aws AWS::EC2::SecurityGroup sg.tf aws_security_group.bastion",
		"sg.yaml:Bastion":              "aws AWS::EC2::SecurityGroup sg.yaml Bastion",
		"nsg.json:Microsoft.Network/networkSecurityGroups/nsg-bastion": "azure Microsoft.Network/networkSecurityGroups nsg.json Microsoft.Network/networkSecurityGroups/nsg-bastion",
	} {
		if got := iacFails[id]; got != want {
			t.Errorf("vigil iac: %s: got %q, want a FAIL at %q (all: %v)", id, got, want, iacFails)
		}
	}
	exportFails := fails("scan", sampleOrg)
	const sg = "arn:aws:ec2:us-east-1:444455556666:security-group/sg-0fa3e959c02019db6"
	if got := exportFails[sg]; got != "aws AWS::EC2::SecurityGroup" {
		t.Errorf("vigil scan: %s: got %q, want a FAIL", sg, got)
	}
}
