package scan

import (
	"testing"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

func TestLowerUnexposed(t *testing.T) {
	rs := []*resource.Resource{
		{ID: "sg-unattached", Facts: resource.Facts{Exposure: &resource.Exposure{Internet: resource.Bool(false)}}},
		{ID: "sg-used", Facts: resource.Facts{Exposure: &resource.Exposure{Internet: resource.Bool(true), Exposes: []string{"i-1"}}}},
		{ID: "sg-undecided", Facts: resource.Facts{Exposure: &resource.Exposure{Undecided: []string{"no route table"}}}},
	}
	fs := []finding.Finding{
		{RuleID: "firewall-ssh-open-to-internet", Category: "exposure", Severity: finding.High, Status: finding.Fail, Resource: resource.Ref{ID: "sg-unattached"}},
		{RuleID: "firewall-ssh-open-to-internet", Category: "exposure", Severity: finding.High, Status: finding.Fail, Resource: resource.Ref{ID: "sg-used"}},
		{RuleID: "firewall-ssh-open-to-internet", Category: "exposure", Severity: finding.High, Status: finding.Fail, Resource: resource.Ref{ID: "sg-undecided"}},
		{RuleID: "firewall-ssh-open-to-internet", Category: "exposure", Severity: finding.High, Status: finding.Pass, Resource: resource.Ref{ID: "sg-unattached"}},
		{RuleID: "logging", Category: "logging", Severity: finding.High, Status: finding.Fail, Resource: resource.Ref{ID: "sg-unattached"}},
		{RuleID: "compute-public-ip", Category: "exposure", Severity: finding.Info, Status: finding.Fail, Resource: resource.Ref{ID: "sg-unattached"}},
	}
	lowerUnexposed(fs, rs)
	want := []struct {
		sev, base finding.Severity
	}{
		{finding.Medium, finding.High}, // provably not reachable: one step down, the rule's kept
		{finding.High, ""},             // reachable
		{finding.High, ""},             // undecided: the rule's severity stands
		{finding.High, ""},             // not failing
		{finding.High, ""},             // not an exposure finding
		{finding.Info, ""},             // nothing below INFO
	}
	for i, w := range want {
		if fs[i].Severity != w.sev || fs[i].BaseSeverity != w.base {
			t.Errorf("finding %d (%s on %s): severity %s base %q, want %s base %q", i, fs[i].RuleID, fs[i].Resource.ID, fs[i].Severity, fs[i].BaseSeverity, w.sev, w.base)
		}
	}
}
