package gcp

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/inventory"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
)

const sampleDir = "../../../examples/org/gcp"

// loadSample imports the sample organization's GCP exports as the importer
// does: every file parsed, resources with the same name merged (unknown
// facts filled from the other file), then finalized.
func loadSample(t *testing.T) map[string]*resource.Resource {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(sampleDir, "*", "*.json"))
	sort.Strings(files)
	if len(files) < 4 {
		t.Fatalf("sample files: %v", files)
	}
	src := sampleSource{source.Func{SourceName: "gcp sample", ReadFunc: func(ctx context.Context, emit func(source.Batch) error) error {
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return err
			}
			res := ParseNDJSON(ctx, f, data)
			switch filepath.Base(f) {
			case "accessapproval.json", dlpDiscoveryFile: // gcloud access-approval settings get; the DLP API's discoveryConfigs
				var doc any
				if err := attr.Decode(data, &doc); err != nil {
					return err
				}
				if res = ParseByName(ctx, f, filepath.Base(f), doc); res == nil {
					res = ParseAccessApproval(ctx, f, doc)
				}
			}
			if err := emit(source.Batch{Input: f, Format: "gcp", Resources: res.Resources, Problems: res.Problems}); err != nil {
				return err
			}
		}
		return nil
	}}}
	inv, err := inventory.CollectWith(context.Background(), inventory.Options{KeepRaw: true}, src)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range inv.Errors {
		t.Errorf("%+v", p)
	}
	m := map[string]*resource.Resource{}
	for _, r := range inv.Resources {
		m[r.ID] = r
	}
	return m
}

// sampleSource reads the sample files and finalizes them as the file source does.
type sampleSource struct{ source.Func }

func (sampleSource) Finish(_ context.Context, all []*resource.Resource) ([]*resource.Resource, []source.Problem) {
	return Finalize(all)
}

type sampleExpected struct {
	Clean []struct {
		ResourceID string `json:"resource_id"`
		Class      string `json:"class"`
	} `json:"clean"`
	Pending []struct {
		ResourceID string   `json:"resource_id"`
		Class      string   `json:"class"`
		Bad        []string `json:"bad"`
	} `json:"planted_facts"`
}

// Every resource expected-gcp.json lists is imported with its class; the
// planted ones have their bad facts and the clean ones none of them.
func TestSampleOrganizationFacts(t *testing.T) {
	m := loadSample(t)
	data, err := os.ReadFile("../../../examples/org/expected-gcp.json")
	if err != nil {
		t.Fatal(err)
	}
	var exp sampleExpected
	if err := json.Unmarshal(data, &exp); err != nil {
		t.Fatal(err)
	}
	for _, c := range exp.Clean {
		if r := m[c.ResourceID]; r == nil || string(r.Class) != c.Class {
			t.Errorf("clean %s: %v", c.ResourceID, r)
		}
	}
	for _, p := range exp.Pending {
		if r := m[p.ResourceID]; r == nil || string(r.Class) != p.Class {
			t.Errorf("planted %s: %v", p.ResourceID, r)
		}
	}

	const pj = "nw-analytics-prod"
	comp := "//compute.googleapis.com/projects/" + pj
	get := func(id string) *resource.Resource {
		t.Helper()
		r := m[id]
		if r == nil {
			t.Fatalf("missing %s", id)
		}
		return r
	}
	// disks and instances
	w1 := get(comp + "/zones/us-central1-a/disks/nw-etl-worker-1").Facts.Disk
	if w1.KeyManager != "customer" || !isTrue(w1.Attached) || len(w1.AttachedTo) != 1 {
		t.Errorf("worker disk: %+v", w1)
	}
	scratch := get(comp + "/zones/us-central1-a/disks/nw-legacy-scratch")
	if d := scratch.Facts.Disk; d.KeyManager != "provider" || d.Attached == nil || *d.Attached {
		t.Errorf("scratch disk: %+v", d)
	}
	inst := get(comp + "/zones/us-central1-a/instances/nw-etl-worker-1")
	disk := get(comp + "/zones/us-central1-a/disks/nw-etl-worker-1")
	found := false
	for _, rel := range inst.Relationships {
		if rel.Type == resource.RelUsesDisk {
			for _, a := range disk.Aliases {
				found = found || a == rel.TargetID
			}
		}
	}
	if !found {
		t.Errorf("instance %v does not reach its disk by an alias %v", inst.Relationships, disk.Aliases)
	}
	// snapshots and images
	for id, want := range map[string][2]any{
		comp + "/global/snapshots/nw-etl-worker-1-20261120": {false, "customer"},
		comp + "/global/snapshots/nw-jupyter-legacy-export": {true, "provider"},
		comp + "/global/images/nw-etl-base-2026-10":         {false, "customer"},
		comp + "/global/images/nw-jupyter-base-2024":        {true, "provider"},
	} {
		s := get(id).Facts.Snapshot
		if s.Public == nil || *s.Public != want[0] || s.KeyManager != want[1] {
			t.Errorf("%s: %+v", id, s)
		}
	}
	x := get(comp + "/global/snapshots/nw-warehouse-partner-share").Facts.Snapshot
	if !isTrue(x.CrossAccount) || len(x.SharedWith) != 1 || x.SharedWith[0] != "partner-bi-prod" || isTrue(x.Public) {
		t.Errorf("partner snapshot: %+v", x)
	}
	if s := get(comp + "/global/snapshots/nw-etl-worker-1-20261120").Facts.Snapshot; s.CrossAccount == nil || *s.CrossAccount {
		t.Errorf("own-project snapshot: %+v", s)
	}
	// functions
	fn := "//cloudfunctions.googleapis.com/projects/" + pj + "/locations/us-central1/functions/"
	bad := get(fn + "nw-legacy-webhook").Facts.Function
	if bad.RuntimeEndOfSupport != "2024-01-30T00:00:00Z" || !isTrue(bad.PublicInvocation) || !isTrue(bad.PublicNetwork) || isTrue(bad.HTTPSOnly) ||
		bad.HTTPSOnly == nil || !isTrue(bad.EnvironmentSecrets) || len(bad.SecretVariables) != 2 || bad.InVPC == nil || *bad.InVPC {
		t.Errorf("legacy function: %+v", bad)
	}
	good := get(fn + "nw-etl-trigger").Facts.Function
	if good.RuntimeEndOfSupport != "2027-04-30T00:00:00Z" || good.PublicInvocation == nil || *good.PublicInvocation ||
		good.PublicNetwork == nil || *good.PublicNetwork || !isTrue(good.HTTPSOnly) || good.EnvironmentSecrets == nil ||
		*good.EnvironmentSecrets || !isTrue(good.InVPC) || good.Identity == "" {
		t.Errorf("etl function: %+v", good)
	}
	// GKE
	gke := "//container.googleapis.com/projects/" + pj + "/locations/us-central1/clusters/"
	kb := get(gke + "nw-legacy-gke").Facts.Kubernetes
	if !isTrue(kb.PublicEndpoint) || len(kb.EndpointAllowedCIDRs) != 1 || kb.EndpointAllowedCIDRs[0] != "0.0.0.0/0" ||
		isTrue(kb.ControlPlaneLogging) || isTrue(kb.NetworkPolicy) || !isTrue(kb.LegacyAuth) || isTrue(kb.NodeAutoUpgrade) ||
		isTrue(kb.SecretsEncrypted) || isTrue(kb.PrivateNodes) {
		t.Errorf("legacy cluster: %+v", kb)
	}
	kg := get(gke + "nw-analytics-gke").Facts.Kubernetes
	if isTrue(kg.PublicEndpoint) || !isTrue(kg.ControlPlaneLogging) || !isTrue(kg.NetworkPolicy) || isTrue(kg.LegacyAuth) ||
		!isTrue(kg.NodeAutoUpgrade) || !isTrue(kg.SecretsEncrypted) || !isTrue(kg.PrivateNodes) || !isTrue(kg.RBAC) {
		t.Errorf("analytics cluster: %+v", kg)
	}
	// load balancers and CDN
	fr := comp + "/global/forwardingRules/"
	https := get(fr + "nw-web-https").Facts.LoadBalancer
	if !isTrue(https.Public) || isTrue(https.WeakTLS) || isTrue(https.HTTPListener) || !isTrue(https.AccessLogs) || !isTrue(https.WAF) ||
		len(https.Listeners) != 1 || https.Listeners[0].MinTLSVersion != "1.2" || https.Listeners[0].Port != 443 {
		t.Errorf("nw-web-https: %+v", https)
	}
	redirect := get(fr + "nw-web-http").Facts.LoadBalancer
	if isTrue(redirect.HTTPListener) || redirect.HTTPListener == nil || !isTrue(redirect.Listeners[0].RedirectsToHTTPS) {
		t.Errorf("nw-web-http: %+v", redirect)
	}
	lh := get(fr + "nw-legacy-http").Facts.LoadBalancer
	if !isTrue(lh.HTTPListener) || isTrue(lh.AccessLogs) || lh.AccessLogs == nil || isTrue(lh.WAF) || lh.WAF == nil {
		t.Errorf("nw-legacy-http: %+v", lh)
	}
	ls := get(fr + "nw-legacy-https").Facts.LoadBalancer
	if !isTrue(ls.WeakTLS) || ls.Listeners[0].MinTLSVersion != "1.0" {
		t.Errorf("nw-legacy-https: %+v", ls)
	}
	cdnBad := get(comp + "/global/backendServices/nw-legacy-cdn-backend")
	if c := cdnBad.Facts.CDN; cdnBad.Class != resource.ClassCDN || c.ViewerHTTPSOnly == nil || *c.ViewerHTTPSOnly ||
		isTrue(c.OriginHTTPSOnly) || c.OriginHTTPSOnly == nil || isTrue(c.WAF) || c.MinTLSVersion != "1.0" {
		t.Errorf("legacy CDN: %+v", cdnBad.Facts.CDN)
	}
	cdnOK := get(comp + "/global/backendBuckets/nw-static-assets").Facts.CDN
	if !isTrue(cdnOK.ViewerHTTPSOnly) || !isTrue(cdnOK.WAF) || cdnOK.MinTLSVersion != "1.2" || !isTrue(cdnOK.OriginHTTPSOnly) {
		t.Errorf("static CDN: %+v", cdnOK)
	}
	// topics, secrets, registries, DNS
	tp := get("//pubsub.googleapis.com/projects/" + pj + "/topics/nw-partner-feed").Facts.Queue
	if !isTrue(tp.PublicPolicy) || tp.KeyManager != "provider" {
		t.Errorf("partner topic: %+v", tp)
	}
	sec := get("//secretmanager.googleapis.com/projects/418273645091/secrets/legacy-partner-api-key").Facts.Secret
	if !isTrue(sec.PublicAccess) || sec.RotationEnabled == nil || *sec.RotationEnabled || sec.KeyManager != "provider" {
		t.Errorf("legacy secret: %+v", sec)
	}
	secOK := get("//secretmanager.googleapis.com/projects/418273645091/secrets/etl-db-password").Facts.Secret
	if !isTrue(secOK.RotationEnabled) || secOK.RotationPeriodDays == nil || *secOK.RotationPeriodDays != 30 || secOK.KeyManager != "customer" ||
		secOK.PublicAccess == nil || *secOK.PublicAccess {
		t.Errorf("etl secret: %+v", secOK)
	}
	ar := "//artifactregistry.googleapis.com/projects/" + pj + "/locations/us-central1/repositories/"
	if r := get(ar + "nw-public-images").Facts.Registry; !isTrue(r.Public) || isTrue(r.ImageScanning) || r.ImageScanning == nil || isTrue(r.TagImmutable) {
		t.Errorf("public registry: %+v", r)
	}
	if r := get(ar + "nw-containers").Facts.Registry; isTrue(r.Public) || !isTrue(r.ImageScanning) || !isTrue(r.TagImmutable) || r.KeyManager != "customer" {
		t.Errorf("registry: %+v", r)
	}
	dns := "//dns.googleapis.com/projects/" + pj + "/managedZones/"
	if z := get(dns + "nw-legacy-zone").Facts.DNS; !isTrue(z.DNSSEC) || z.DNSSECAlgorithm != "rsasha1" || isTrue(z.QueryLogging) {
		t.Errorf("legacy zone: %+v", z)
	}
	if z := get(dns + "northwind-analytics-com").Facts.DNS; !isTrue(z.DNSSEC) || z.DNSSECAlgorithm != "rsasha256" || !isTrue(z.QueryLogging) {
		t.Errorf("zone: %+v", z)
	}
	if z := get(dns + "nw-internal").Facts.DNS; isTrue(z.Public) || z.DNSSEC != nil {
		t.Errorf("private zone: %+v", z)
	}
	// hierarchy, roles, bindings
	proj := get("//cloudresourcemanager.googleapis.com/projects/418273645091")
	if proj.Facts.Account.Parent != "//cloudresourcemanager.googleapis.com/folders/771245098310" {
		t.Errorf("project parent: %+v", proj.Facts.Account)
	}
	folder := get("//cloudresourcemanager.googleapis.com/folders/771245098310")
	if folder.Class != resource.ClassOrgUnit || folder.Facts.OrgUnit.Kind != "folder" ||
		folder.Facts.OrgUnit.Parent != "//cloudresourcemanager.googleapis.com/organizations/583920174615" {
		t.Errorf("folder: %+v %+v", folder, folder.Facts.OrgUnit)
	}
	org := get("//cloudresourcemanager.googleapis.com/organizations/583920174615")
	if org.Class != resource.ClassOrgUnit || org.Facts.OrgUnit.Kind != "organization" || org.Facts.OrgUnit.Parent != "" {
		t.Errorf("organization: %+v", org.Facts.OrgUnit)
	}
	owner := get("//cloudresourcemanager.googleapis.com/organizations/583920174615#iam/roles/owner/user:maria.lopez@northwind-analytics.com")
	if b := owner.Facts.Binding; b.ScopeLevel != "organization" || !isTrue(b.Privileged) {
		t.Errorf("org owner: %+v", b)
	}
	cond := get("//cloudresourcemanager.googleapis.com/folders/771245098310#iam/roles/compute.networkAdmin/group:sre@northwind-analytics.com#condition/business-hours")
	if b := cond.Facts.Binding; b.ScopeLevel != "folder" || b.Condition == nil || b.Condition.Title != "business-hours" || b.Condition.Expression == "" {
		t.Errorf("conditional binding: %+v", b)
	}
	bg := get("//iam.googleapis.com/organizations/583920174615/roles/breakGlassAdmin").Facts.Role
	if !isTrue(bg.Custom) || !isTrue(bg.FullAdmin) || bg.Stage != "GA" || len(bg.IncludedPermissions) != 4 {
		t.Errorf("break-glass role: %+v", bg)
	}
	if rd := get("//iam.googleapis.com/projects/" + pj + "/roles/etlDeployer").Facts.Role; isTrue(rd.FullAdmin) || rd.FullAdmin == nil {
		t.Errorf("etl role: %+v", rd)
	}
	sa := get("//iam.googleapis.com/projects/" + pj + "/serviceAccounts/594896556845197899488")
	if len(sa.Aliases) == 0 || sa.Aliases[0] != "sa-etl@nw-analytics-prod.iam.gserviceaccount.com" {
		t.Errorf("service account aliases: %v", sa.Aliases)
	}
}
