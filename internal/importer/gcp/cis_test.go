package gcp

import (
	"context"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// TestProjectCIS: project p has a sink of every entry, metrics for
// ownership changes (alerted by an enabled policy), firewall changes
// (alerted by a disabled policy only) and routes (no alert); project q has
// only the default sinks and no metric; project r is below an organization
// whose aggregated sink exports every entry; project s has no logging
// asset at all.
func TestProjectCIS(t *testing.T) {
	lines := []string{
		`{"name":"//cloudresourcemanager.googleapis.com/projects/111","asset_type":"cloudresourcemanager.googleapis.com/Project","resource":{"data":{"projectId":"p","projectNumber":"111"}},"ancestors":["projects/111","organizations/9"]}`,
		`{"name":"//logging.googleapis.com/projects/111/sinks/_Required","asset_type":"logging.googleapis.com/LogSink","resource":{"data":{"name":"_Required","destination":"logging.googleapis.com/projects/111/locations/global/buckets/_Required","filter":"LOG_ID(\"cloudaudit.googleapis.com/activity\")"}},"ancestors":["projects/111","organizations/9"]}`,
		`{"name":"//logging.googleapis.com/projects/111/sinks/all","asset_type":"logging.googleapis.com/LogSink","resource":{"data":{"name":"all","destination":"storage.googleapis.com/p-logs"}},"ancestors":["projects/111","organizations/9"]}`,
		`{"name":"//logging.googleapis.com/projects/111/metrics/owner-changes","asset_type":"logging.googleapis.com/LogMetric","resource":{"data":{"name":"owner-changes","filter":"(protoPayload.serviceName=\"cloudresourcemanager.googleapis.com\") AND (ProjectOwnership OR projectOwnerInvitee)"}},"ancestors":["projects/111","organizations/9"]}`,
		`{"name":"//logging.googleapis.com/projects/111/metrics/fw","asset_type":"logging.googleapis.com/LogMetric","resource":{"data":{"name":"fw","filter":"resource.type=\"gce_firewall_rule\" AND protoPayload.methodName:\"compute.firewalls.patch\""}},"ancestors":["projects/111","organizations/9"]}`,
		`{"name":"//logging.googleapis.com/projects/111/metrics/routes","asset_type":"logging.googleapis.com/LogMetric","resource":{"data":{"name":"routes","filter":"resource.type=\"gce_route\""}},"ancestors":["projects/111","organizations/9"]}`,
		`{"name":"//monitoring.googleapis.com/projects/111/alertPolicies/1","asset_type":"monitoring.googleapis.com/AlertPolicy","resource":{"data":{"enabled":true,"conditions":[{"conditionThreshold":{"filter":"metric.type=\"logging.googleapis.com/user/owner-changes\" AND resource.type=\"global\""}}]}},"ancestors":["projects/111","organizations/9"]}`,
		`{"name":"//monitoring.googleapis.com/projects/111/alertPolicies/2","asset_type":"monitoring.googleapis.com/AlertPolicy","resource":{"data":{"enabled":false,"conditions":[{"conditionThreshold":{"filter":"metric.type=\"logging.googleapis.com/user/fw\""}}]}},"ancestors":["projects/111","organizations/9"]}`,
		`{"name":"//monitoring.googleapis.com/projects/111/alertPolicies/3","asset_type":"monitoring.googleapis.com/AlertPolicy","resource":{"data":{"enabled":true,"conditions":[{"conditionThreshold":{"filter":"metric.type=\"logging.googleapis.com/user/routes-old\""}}]}},"ancestors":["projects/111","organizations/9"]}`,
		`{"name":"//logging.googleapis.com/projects/q/sinks/_Default","asset_type":"logging.googleapis.com/LogSink","resource":{"data":{"name":"_Default","destination":"logging.googleapis.com/projects/q/locations/global/buckets/_Default","filter":"NOT LOG_ID(\"cloudaudit.googleapis.com/activity\")"}}}`,
		`{"name":"//cloudresourcemanager.googleapis.com/projects/333","asset_type":"cloudresourcemanager.googleapis.com/Project","resource":{"data":{"projectId":"r","projectNumber":"333"}},"ancestors":["projects/333","folders/5","organizations/8"]}`,
		`{"name":"//logging.googleapis.com/projects/333/sinks/_Default","asset_type":"logging.googleapis.com/LogSink","resource":{"data":{"name":"_Default","destination":"logging.googleapis.com/projects/333/locations/global/buckets/_Default","filter":"NOT LOG_ID(\"x\")"}},"ancestors":["projects/333","folders/5","organizations/8"]}`,
		`{"name":"//logging.googleapis.com/organizations/8/sinks/org-all","asset_type":"logging.googleapis.com/LogSink","resource":{"data":{"name":"org-all","destination":"bigquery.googleapis.com/projects/sec/datasets/logs","includeChildren":true}},"ancestors":["organizations/8"]}`,
		`{"name":"//compute.googleapis.com/projects/s/global/networks/default","asset_type":"compute.googleapis.com/Network","resource":{"data":{"name":"default"}}}`,
	}
	res := ParseNDJSON(context.Background(), "cis.ndjson", []byte(strings.Join(lines, "\n")))
	added, _ := Finalize(res.Resources)
	cis := map[string]*resource.AccountCIS{}
	for _, r := range append(res.Resources, added...) {
		if r.Class == resource.ClassAccount {
			cis[r.Account] = r.Facts.Account.CIS
		}
	}
	p, q, r := cis["p"], cis["q"], cis["r"]
	if p == nil || q == nil || r == nil {
		t.Fatalf("CIS facts: %+v", cis)
	}
	if s, ok := cis["s"]; !ok || s != nil {
		t.Errorf("s: %+v (present %v), want a project without CIS facts", s, ok)
	}
	got := func(b *bool) string { return show(b) }
	for _, c := range []struct {
		name string
		b    *bool
		want string
	}{
		{"p sink", p.LogSinkAllEntries, "true"},
		{"q sink", q.LogSinkAllEntries, "false"},
		{"r sink (organization's)", r.LogSinkAllEntries, "true"},
		{"p ownership", p.LogMetricAlerts.ProjectOwnership, "true"},
		{"p firewall (alert disabled)", p.LogMetricAlerts.FirewallRule, "false"},
		{"p route (no alert on it)", p.LogMetricAlerts.Route, "false"},
		{"p network (no metric)", p.LogMetricAlerts.Network, "false"},
		{"q ownership (no metric)", q.LogMetricAlerts.ProjectOwnership, "false"},
	} {
		if g := got(c.b); g != c.want {
			t.Errorf("%s: %s, want %s", c.name, g, c.want)
		}
	}
}

// TestProjectCISAlertsUnknown: a matching metric without the project's
// alert policies in the export leaves the change unknown.
func TestProjectCISAlertsUnknown(t *testing.T) {
	line := `{"name":"//logging.googleapis.com/projects/p/metrics/routes","asset_type":"logging.googleapis.com/LogMetric","resource":{"data":{"name":"routes","filter":"resource.type=gce_route"}}}`
	res := ParseNDJSON(context.Background(), "cis.ndjson", []byte(line))
	added, _ := Finalize(res.Resources)
	if len(added) != 1 || added[0].Facts.Account.CIS == nil {
		t.Fatalf("added %+v", added)
	}
	l := added[0].Facts.Account.CIS.LogMetricAlerts
	if show(l.Route) != "unknown" || show(l.Network) != "false" {
		t.Errorf("route %s network %s, want nil false", show(l.Route), show(l.Network))
	}
}

// TestProjectOSLoginAndMachineType: the compute project's metadata sets
// OS Login for the project and for its instances that do not set it; an
// instance's machine type is its last path segment.
func TestProjectOSLoginAndMachineType(t *testing.T) {
	lines := []string{
		`{"name":"//compute.googleapis.com/projects/p","asset_type":"compute.googleapis.com/Project","resource":{"data":{"name":"p","commonInstanceMetadata":{"items":[{"key":"enable-oslogin","value":"TRUE"}]}}}}`,
		`{"name":"//compute.googleapis.com/projects/q","asset_type":"compute.googleapis.com/Project","resource":{"data":{"name":"q","commonInstanceMetadata":{"fingerprint":"x"}}}}`,
		`{"name":"//compute.googleapis.com/projects/p/zones/z/instances/inherits","asset_type":"compute.googleapis.com/Instance","resource":{"data":{"name":"inherits","machineType":"https://www.googleapis.com/compute/v1/projects/p/zones/z/machineTypes/n2d-standard-2","metadata":{"fingerprint":"x"}}}}`,
		`{"name":"//compute.googleapis.com/projects/q/zones/z/instances/off","asset_type":"compute.googleapis.com/Instance","resource":{"data":{"name":"off","metadata":{"fingerprint":"x"}}}}`,
		`{"name":"//compute.googleapis.com/projects/q/zones/z/instances/own","asset_type":"compute.googleapis.com/Instance","resource":{"data":{"name":"own","metadata":{"items":[{"key":"enable-oslogin","value":"true"}]}}}}`,
	}
	res := ParseNDJSON(context.Background(), "cis.ndjson", []byte(strings.Join(lines, "\n")))
	added, _ := Finalize(res.Resources)
	for _, r := range append(res.Resources, added...) {
		switch {
		case r.Class == resource.ClassAccount:
			want := map[string]string{"p": "true", "q": "false"}[r.Account]
			if r.Facts.Account.CIS == nil || show(r.Facts.Account.CIS.OSLogin) != want {
				t.Errorf("project %s: CIS %+v, want os login %s", r.Account, r.Facts.Account.CIS, want)
			}
		case r.Class == resource.ClassCompute:
			want := map[string]string{"inherits": "true", "off": "false", "own": "true"}[r.Name]
			if g := show(r.Facts.Compute.OSLogin); g != want {
				t.Errorf("%s: os login %s, want %s", r.Name, g, want)
			}
			if r.Name == "inherits" && r.Facts.Compute.MachineType != "n2d-standard-2" {
				t.Errorf("machine type %q", r.Facts.Compute.MachineType)
			}
		}
	}
}
