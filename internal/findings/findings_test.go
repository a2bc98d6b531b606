package findings

import (
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

func TestSeverityScales(t *testing.T) {
	// GuardDuty's documented bands (and CVSS v3's): 1-3.9 low, 4-6.9
	// medium, 7-8.9 high, 9-10 critical.
	for score, want := range map[float64]finding.Severity{0: finding.Info, 1: finding.Low, 3.9: finding.Low, 4: finding.Medium, 6.9: finding.Medium, 7: finding.High, 8.9: finding.High, 9: finding.Critical, 10: finding.Critical} {
		if got := SeverityFromScore(score); got != want {
			t.Errorf("score %v: %s, want %s", score, got, want)
		}
	}
	for name, want := range map[string]finding.Severity{"CRITICAL": finding.Critical, "High": finding.High, "Medium": finding.Medium, "LOW": finding.Low, "Informational": finding.Info, "MINIMAL": finding.Info} {
		if got, ok := SeverityFromName(name); got != want || !ok {
			t.Errorf("%s: %s %v, want %s", name, got, ok, want)
		}
	}
	for _, name := range []string{"UNTRIAGED", "SEVERITY_UNSPECIFIED", ""} {
		if _, ok := SeverityFromName(name); ok {
			t.Errorf("%q is not a severity", name)
		}
	}
	if got := FormatScore(8); got != "8" {
		t.Errorf("FormatScore(8) = %q", got)
	}
	if got := ParseTime("Mon Nov 23 22:46:15.155 UTC 2026"); !got.Equal(time.Date(2026, 11, 23, 22, 46, 15, 155e6, time.UTC)) {
		t.Errorf("Inspector event time: %v", got)
	}
}

func TestJoin(t *testing.T) {
	vm := &resource.Resource{Provider: resource.Azure, Account: "sub", Region: "eastus", Type: "Microsoft.Compute/virtualMachines",
		ID: "/subscriptions/SUB/resourceGroups/RG/providers/Microsoft.Compute/virtualMachines/vm1", Name: "vm1"}
	ec2 := &resource.Resource{Provider: resource.AWS, Account: "111122223333", Region: "us-east-1", Type: "AWS::EC2::Instance",
		ID: "arn:aws:ec2:us-east-1:111122223333:instance/i-1", Aliases: []string{"i-1"}}
	fs := []Finding{
		{Resource: Resource{Provider: resource.Azure, ID: "/subscriptions/sub/resourcegroups/rg/providers/microsoft.compute/virtualmachines/VM1"}},
		{Resource: Resource{Provider: resource.AWS, ID: "i-1"}},
		{Resource: Resource{Provider: resource.GCP, ID: "i-1"}}, // same id on another cloud: not joined
		{Resource: Resource{Provider: resource.AWS, ID: "arn:aws:s3:::elsewhere", Account: "999"}},
	}
	if n := Join(fs, []*resource.Resource{vm, ec2}); n != 2 {
		t.Errorf("joined %d, want 2", n)
	}
	if fs[0].Resource.ID != vm.ID || fs[0].Resource.Region != "eastus" || fs[0].Resource.Name != "vm1" || !fs[0].Resource.InInventory {
		t.Errorf("Azure id compared without case: %+v", fs[0].Resource)
	}
	if fs[1].Resource.ID != ec2.ID || !fs[1].Resource.InInventory {
		t.Errorf("joined by alias: %+v", fs[1].Resource)
	}
	if fs[2].Resource.InInventory || fs[3].Resource.InInventory || fs[3].Resource.ID != "arn:aws:s3:::elsewhere" || fs[3].Resource.Account != "999" {
		t.Errorf("not in the inventory: kept as they were: %+v %+v", fs[2].Resource, fs[3].Resource)
	}
}

func TestFilter(t *testing.T) {
	fs := []Finding{
		{Product: GuardDuty, Severity: finding.High, Status: Active, Resource: Resource{Provider: resource.AWS, Account: "1"}},
		{Product: Defender, Severity: finding.Low, Status: Active, Resource: Resource{Provider: resource.Azure, Account: "s"}},
		{Product: SCC, Severity: finding.Critical, Status: Suppressed, Resource: Resource{Provider: resource.GCP, Account: "p"}},
	}
	p, err := ParseProduct("Security-Command Center")
	if err != nil || p != SCC {
		t.Fatalf("ParseProduct: %v %v", p, err)
	}
	if _, err := ParseProduct("cloudtrail"); err == nil {
		t.Error("ParseProduct accepts an unknown product")
	}
	for name, tc := range map[string]struct {
		flt  Filter
		want int
	}{
		"all":      {Filter{}, 3},
		"severity": {Filter{MinSeverity: finding.High}, 2},
		"product":  {Filter{Products: []Product{Defender, SCC}}, 2},
		"provider": {Filter{Providers: []resource.Provider{resource.AWS}}, 1},
		"account":  {Filter{Accounts: []string{"p", "s"}}, 2},
		"status":   {Filter{Statuses: []Status{Active}, MinSeverity: finding.Medium}, 1},
	} {
		if got := tc.flt.Apply(append([]Finding(nil), fs...)); len(got) != tc.want {
			t.Errorf("%s: %d findings, want %d", name, len(got), tc.want)
		}
	}
}
