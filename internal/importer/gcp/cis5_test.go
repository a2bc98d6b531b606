package gcp

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// TestAPIKeysDNSLogging: project p has an API key restricted to one API
// and to server IPs, one without restrictions and a deleted one; its DNS
// policy logs the queries of network a, not b; project q has a managed
// zone but no policy (its network is not logged) and an API key whose
// restrictions have the wrong type (its keys are unknown); project r has
// no DNS asset (its network's DNS logging is unknown) and no API key.
func TestAPIKeysDNSLogging(t *testing.T) {
	lines := []string{
		`{"name":"//apikeys.googleapis.com/projects/111/locations/global/keys/k1","asset_type":"apikeys.googleapis.com/Key","resource":{"data":{"name":"projects/111/locations/global/keys/k1","displayName":"maps","createTime":"2026-01-02T03:04:05Z","restrictions":{"apiTargets":[{"service":"maps.googleapis.com"}],"serverKeyRestrictions":{"allowedIps":["203.0.113.7"]}}}},"ancestors":["projects/p"]}`,
		`{"name":"//apikeys.googleapis.com/projects/111/locations/global/keys/k2","asset_type":"apikeys.googleapis.com/Key","resource":{"data":{"name":"projects/111/locations/global/keys/k2","createTime":"2025-01-02T03:04:05Z"}},"ancestors":["projects/p"]}`,
		`{"name":"//apikeys.googleapis.com/projects/111/locations/global/keys/k3","asset_type":"apikeys.googleapis.com/Key","resource":{"data":{"name":"projects/111/locations/global/keys/k3","deleteTime":"2026-11-01T00:00:00Z"}},"ancestors":["projects/p"]}`,
		`{"name":"//dns.googleapis.com/projects/p/policies/1","asset_type":"dns.googleapis.com/Policy","resource":{"data":{"name":"log-a","enableLogging":true,"networks":[{"networkUrl":"https://www.googleapis.com/compute/v1/projects/p/global/networks/a"}]}},"ancestors":["projects/p"]}`,
		`{"name":"//compute.googleapis.com/projects/p/global/networks/a","asset_type":"compute.googleapis.com/Network","resource":{"data":{"name":"a"}},"ancestors":["projects/p"]}`,
		`{"name":"//compute.googleapis.com/projects/p/global/networks/b","asset_type":"compute.googleapis.com/Network","resource":{"data":{"name":"b"}},"ancestors":["projects/p"]}`,
		`{"name":"//dns.googleapis.com/projects/q/managedZones/z","asset_type":"dns.googleapis.com/ManagedZone","resource":{"data":{"name":"z","dnsName":"q.example."}},"ancestors":["projects/q"]}`,
		`{"name":"//compute.googleapis.com/projects/q/global/networks/c","asset_type":"compute.googleapis.com/Network","resource":{"data":{"name":"c"}},"ancestors":["projects/q"]}`,
		`{"name":"//apikeys.googleapis.com/projects/q/locations/global/keys/k4","asset_type":"apikeys.googleapis.com/Key","resource":{"data":{"name":"projects/q/locations/global/keys/k4","restrictions":"none"}},"ancestors":["projects/q"]}`,
		`{"name":"//compute.googleapis.com/projects/r/global/networks/d","asset_type":"compute.googleapis.com/Network","resource":{"data":{"name":"d"}},"ancestors":["projects/r"]}`,
	}
	res := ParseNDJSON(context.Background(), "cis5.ndjson", []byte(strings.Join(lines, "\n")))
	if len(res.Problems) != 1 {
		t.Errorf("problems: %+v", res.Problems)
	}
	added, _ := Finalize(res.Resources)
	keys := map[string]string{}
	dns := map[string]string{}
	for _, r := range append(res.Resources, added...) {
		switch {
		case r.Class == resource.ClassAccount && r.Facts.Account.CIS != nil:
			b, _ := json.Marshal(r.Facts.Account.CIS.APIKeys)
			keys[r.Account] = string(b)
		case r.Type == TypeNetwork:
			dns[r.Name] = show(r.Facts.Network.DNSLogging)
		}
	}
	if want := `[{"name":"k2","created":"2025-01-02T03:04:05Z","api_restricted":false,"app_restricted":false},` +
		`{"name":"maps","created":"2026-01-02T03:04:05Z","api_restricted":true,"app_restricted":true}]`; keys["p"] != want {
		t.Errorf("p API keys %s, want %s", keys["p"], want)
	}
	if k, found := keys["q"]; found && k != "null" {
		t.Errorf("q API keys %s, want unknown", k)
	}
	for n, want := range map[string]string{"a": "true", "b": "false", "c": "false", "d": "unknown"} {
		if dns[n] != want {
			t.Errorf("network %s DNS logging %s, want %s", n, dns[n], want)
		}
	}
}

// TestDataprocCMEK: a cluster with a KMS key for its disks is
// customer-managed, one without any is provider-managed, one whose
// encryption configuration has the wrong type is unknown.
func TestDataprocCMEK(t *testing.T) {
	lines := []string{
		`{"name":"//dataproc.googleapis.com/projects/p/regions/us-central1/clusters/a","asset_type":"dataproc.googleapis.com/Cluster","resource":{"data":{"clusterName":"a","config":{"encryptionConfig":{"gcePdKmsKeyName":"projects/p/locations/us-central1/keyRings/r/cryptoKeys/k"}}}},"ancestors":["projects/p"]}`,
		`{"name":"//dataproc.googleapis.com/projects/p/regions/us-central1/clusters/b","asset_type":"dataproc.googleapis.com/Cluster","resource":{"data":{"clusterName":"b","config":{"gceClusterConfig":{}}}},"ancestors":["projects/p"]}`,
		`{"name":"//dataproc.googleapis.com/projects/p/regions/us-central1/clusters/c","asset_type":"dataproc.googleapis.com/Cluster","resource":{"data":{"clusterName":"c","config":{"encryptionConfig":"cmek"}}},"ancestors":["projects/p"]}`,
	}
	res := ParseNDJSON(context.Background(), "dataproc.ndjson", []byte(strings.Join(lines, "\n")))
	if len(res.Problems) != 1 {
		t.Errorf("problems: %+v", res.Problems)
	}
	for _, r := range res.Resources {
		want := map[string]string{"a": "customer", "b": "provider", "c": ""}[r.Name]
		if r.Class != resource.ClassDataWarehouse || r.Facts.Database.KeyManager != want {
			t.Errorf("%s: class %s, key manager %q, want %q", r.Name, r.Class, r.Facts.Database.KeyManager, want)
		}
	}
}

// TestOrgEssentialContacts: organization 1's contacts cover every
// category CIS asks for between them, organization 2's only SECURITY; with
// no contact in the input at all, it is unknown.
func TestOrgEssentialContacts(t *testing.T) {
	org := func(n string) string {
		return `{"name":"//cloudresourcemanager.googleapis.com/organizations/` + n + `","asset_type":"cloudresourcemanager.googleapis.com/Organization","resource":{"data":{"name":"organizations/` + n + `"}},"ancestors":["organizations/` + n + `"]}`
	}
	contact := func(n, id, cats string) string {
		return `{"name":"//essentialcontacts.googleapis.com/organizations/` + n + `/contacts/` + id + `","asset_type":"essentialcontacts.googleapis.com/Contact","resource":{"data":{"email":"a@example.com","notificationCategorySubscriptions":` + cats + `}},"ancestors":["organizations/` + n + `"]}`
	}
	got := func(lines ...string) map[string]string {
		res := ParseNDJSON(context.Background(), "org.ndjson", []byte(strings.Join(lines, "\n")))
		Finalize(res.Resources)
		out := map[string]string{}
		for _, r := range res.Resources {
			if r.Type == TypeOrganization {
				out[strings.TrimPrefix(r.ID, "//cloudresourcemanager.googleapis.com/organizations/")] = show(r.Facts.OrgUnit.EssentialContacts)
			}
		}
		return out
	}
	m := got(org("1"), org("2"), contact("1", "a", `["SECURITY","TECHNICAL"]`), contact("1", "b", `["LEGAL","SUSPENSION","TECHNICAL_INCIDENTS"]`),
		contact("2", "c", `["SECURITY"]`))
	if m["1"] != "true" || m["2"] != "false" {
		t.Errorf("essential contacts %v, want 1 true, 2 false", m)
	}
	if m := got(org("3")); m["3"] != "unknown" {
		t.Errorf("without contacts: %v, want unknown", m)
	}
}
