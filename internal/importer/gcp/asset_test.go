package gcp

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

const (
	proj = "acme-prod"
	num  = "487615239784"
)

// load parses the files, merges resources with the same name the simple
// way the importer does (first wins, unknown facts filled) and finalizes.
func load(t *testing.T, names ...string) (map[string]*resource.Resource, []*resource.Resource, []*attr.Result) {
	t.Helper()
	var results []*attr.Result
	var all []*resource.Resource
	seen := map[string]*resource.Resource{}
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			t.Fatal(err)
		}
		var res *attr.Result
		if strings.HasSuffix(n, ".ndjson") {
			res = ParseNDJSON(context.Background(), n, data)
		} else {
			var doc any
			if err := attr.Decode(data, &doc); err != nil {
				t.Fatal(err)
			}
			if Detect(doc) != Format {
				t.Fatalf("%s not detected", n)
			}
			res = Parse(context.Background(), n, doc)
		}
		results = append(results, res)
		for _, r := range res.Resources {
			if old := seen[r.ID]; old != nil {
				mergeForTest(old, r)
				continue
			}
			seen[r.ID] = r
			all = append(all, r)
		}
	}
	added, _ := Finalize(all)
	all = append(all, added...)
	m := map[string]*resource.Resource{}
	for _, r := range all {
		m[r.ID] = r
	}
	return m, all, results
}

// mergeForTest fills what the importer's merge fills for the cases here.
func mergeForTest(dst, src *resource.Resource) {
	for k, v := range src.Raw {
		if _, ok := dst.Raw[k]; !ok {
			dst.Raw[k] = v
		}
	}
	switch {
	case dst.Facts.Storage != nil && src.Facts.Storage != nil && dst.Facts.Storage.PublicAccess == nil:
		dst.Facts.Storage.PublicAccess = src.Facts.Storage.PublicAccess
	case dst.Facts.Key != nil && src.Facts.Key != nil && dst.Facts.Key.PublicAccess == nil:
		dst.Facts.Key.PublicAccess = src.Facts.Key.PublicAccess
	case dst.Facts.Account != nil && src.Facts.Account != nil && dst.Facts.Account.AuditLogging == nil:
		dst.Facts.Account.AuditLogging = src.Facts.Account.AuditLogging
	}
}

func b(v bool) *bool { return &v }

func eqBool(t *testing.T, what string, got, want *bool) {
	t.Helper()
	if (got == nil) != (want == nil) || (got != nil && *got != *want) {
		t.Errorf("%s = %s, want %s", what, fb(got), fb(want))
	}
}

func fb(p *bool) string {
	if p == nil {
		return "nil"
	}
	if *p {
		return "true"
	}
	return "false"
}

func must(t *testing.T, m map[string]*resource.Resource, id string) *resource.Resource {
	t.Helper()
	r := m[id]
	if r == nil {
		t.Fatalf("missing %s", id)
	}
	return r
}

func TestBucketsAndKeys(t *testing.T) {
	m, _, results := load(t, "assets.ndjson")
	if len(results[0].Problems) != 0 {
		t.Fatalf("problems: %+v", results[0].Problems)
	}
	pub := must(t, m, "//storage.googleapis.com/acme-public-web")
	if pub.Account != proj || pub.Region != "us" || pub.Class != resource.ClassObjectStorage || pub.Tags["team"] != "web" || pub.CapturedAt == nil {
		t.Errorf("bucket identity: %+v", pub)
	}
	s := pub.Facts.Storage
	eqBool(t, "public.public_access", s.PublicAccess, b(true))
	eqBool(t, "public.blocked", s.PublicAccessBlocked, b(false))
	eqBool(t, "public.uniform", s.UniformAccess, b(false))
	eqBool(t, "public.versioning", s.Versioning, b(false))
	eqBool(t, "public.logging", s.AccessLogging, b(false))
	eqBool(t, "public.encrypted", s.Encrypted, b(true))
	logs := must(t, m, "//storage.googleapis.com/acme-logs").Facts.Storage
	eqBool(t, "logs.public_access", logs.PublicAccess, b(false))
	eqBool(t, "logs.blocked", logs.PublicAccessBlocked, b(true))
	eqBool(t, "logs.uniform", logs.UniformAccess, b(true))
	eqBool(t, "logs.versioning", logs.Versioning, b(true))
	eqBool(t, "logs.logging", logs.AccessLogging, b(true))
	eqBool(t, "logs.delete_protection", logs.DeleteProtection, b(true))
	if logs.KeyManager != "customer" {
		t.Errorf("logs key manager %q", logs.KeyManager)
	}

	lk := must(t, m, "//cloudkms.googleapis.com/projects/acme-prod/locations/eu/keyRings/kr/cryptoKeys/logs").Facts.Key
	eqBool(t, "logs key rotation", lk.RotationEnabled, b(true))
	if lk.RotationPeriodDays == nil || *lk.RotationPeriodDays != 365 {
		t.Errorf("rotation days %v", lk.RotationPeriodDays)
	}
	eqBool(t, "logs key public (no policy)", lk.PublicAccess, nil)
	ak := must(t, m, "//cloudkms.googleapis.com/projects/acme-prod/locations/eu/keyRings/kr/cryptoKeys/app").Facts.Key
	eqBool(t, "app key rotation", ak.RotationEnabled, b(false))
	eqBool(t, "app key public", ak.PublicAccess, b(true))
	eqBool(t, "app key symmetric", ak.Symmetric, b(true))
}

func TestComputeNetworkDatabase(t *testing.T) {
	m, _, results := load(t, "assets.ndjson")
	fw := must(t, m, "//compute.googleapis.com/projects/acme-prod/global/firewalls/allow-ssh-anywhere").Facts.Firewall
	if len(fw.Rules) != 3 {
		t.Fatalf("rules: %+v", fw.Rules)
	}
	if r := fw.Rules[0]; r.Direction != "ingress" || r.Protocol != "tcp" || r.FromPort != 22 || r.ToPort != 22 || r.Sources[0] != "0.0.0.0/0" || r.Priority != 1000 {
		t.Errorf("ssh rule: %+v", r)
	}
	if r := fw.Rules[1]; r.FromPort != 8000 || r.ToPort != 8100 {
		t.Errorf("range rule: %+v", r)
	}
	if r := fw.Rules[2]; r.Protocol != "icmp" || r.FromPort != 0 || r.ToPort != 65535 {
		t.Errorf("icmp rule: %+v", r)
	}
	eqBool(t, "ssh.default", fw.Default, b(false))
	def := must(t, m, "//compute.googleapis.com/projects/acme-prod/global/firewalls/default-allow-internal").Facts.Firewall
	eqBool(t, "default-allow-internal.default", def.Default, b(true))
	if !def.Rules[0].Disabled || def.Rules[0].Protocol != "all" {
		t.Errorf("default rule: %+v", def.Rules[0])
	}
	eg := must(t, m, "//compute.googleapis.com/projects/acme-prod/global/firewalls/deny-egress").Facts.Firewall
	if r := eg.Rules[0]; r.Direction != "egress" || r.Action != "deny" {
		t.Errorf("egress: %+v", r)
	}

	web := must(t, m, "//compute.googleapis.com/projects/acme-prod/zones/europe-west1-b/instances/web-1")
	if web.Region != "europe-west1-b" {
		t.Errorf("region %q", web.Region)
	}
	c := web.Facts.Compute
	eqBool(t, "web.public_ip", c.PublicIP, b(true))
	eqBool(t, "web.default_sa", c.DefaultServiceAccount, b(true))
	eqBool(t, "web.default_sa_full", c.DefaultServiceAccountFullAccess, b(true))
	eqBool(t, "web.serial", c.SerialPortEnabled, b(true))
	eqBool(t, "web.ip_forwarding", c.IPForwarding, b(true))
	eqBool(t, "web.secure_boot", c.SecureBoot, b(false))
	eqBool(t, "web.disk_encrypted", c.DiskEncrypted, b(true))
	w := must(t, m, "//compute.googleapis.com/projects/acme-prod/zones/europe-west1-b/instances/worker-1").Facts.Compute
	eqBool(t, "worker.public_ip", w.PublicIP, b(false))
	eqBool(t, "worker.default_sa", w.DefaultServiceAccount, b(false))
	eqBool(t, "worker.default_sa_full", w.DefaultServiceAccountFullAccess, b(false))
	eqBool(t, "worker.serial", w.SerialPortEnabled, b(false))
	eqBool(t, "worker.secure_boot", w.SecureBoot, b(true))
	if w.Identity != "worker@acme-prod.iam.gserviceaccount.com" || w.State != "terminated" {
		t.Errorf("worker: %+v", w)
	}

	eqBool(t, "default network", must(t, m, "//compute.googleapis.com/projects/acme-prod/global/networks/default").Facts.Network.Default, b(true))
	eqBool(t, "prod-eu flow logs", must(t, m, "//compute.googleapis.com/projects/acme-prod/regions/europe-west1/subnetworks/prod-eu").Facts.Network.FlowLogs, b(true))
	ds := must(t, m, "//compute.googleapis.com/projects/acme-prod/regions/europe-west1/subnetworks/default").Facts.Network
	eqBool(t, "default subnet flow logs", ds.FlowLogs, b(false))
	eqBool(t, "default subnet default", ds.Default, b(true))

	o := must(t, m, "//cloudsql.googleapis.com/projects/acme-prod/instances/orders").Facts.Database
	eqBool(t, "orders.public", o.PublicEndpoint, b(true))
	eqBool(t, "orders.ssl", o.SSLRequired, b(false))
	eqBool(t, "orders.backup", o.BackupEnabled, b(false))
	if len(o.AuthorizedNetworks) != 1 || o.AuthorizedNetworks[0] != "0.0.0.0/0" || o.Engine != "postgres_16" {
		t.Errorf("orders: %+v", o)
	}
	bl := must(t, m, "//cloudsql.googleapis.com/projects/acme-prod/instances/billing").Facts.Database
	eqBool(t, "billing.public", bl.PublicEndpoint, b(false))
	eqBool(t, "billing.ssl", bl.SSLRequired, b(true))
	eqBool(t, "billing.backup", bl.BackupEnabled, b(true))
	if bl.BackupRetentionDays == nil || *bl.BackupRetentionDays != 14 || bl.KeyManager != "customer" {
		t.Errorf("billing: %+v", bl)
	}
	// Service-account keys are kept for derivation (they become the keys of
	// their account) and listed as unsupported; topics are classed now.
	for id, typ := range results[0].Unsupported {
		if typ != TypeServiceAccountKey {
			t.Errorf("unsupported %s %s", id, typ)
		}
	}
	if len(results[0].Unsupported) != 2 {
		t.Errorf("unsupported: %v", results[0].Unsupported)
	}
	if tp := must(t, m, "//pubsub.googleapis.com/projects/acme-prod/topics/events"); tp.Class != resource.ClassQueue {
		t.Errorf("topic: %+v", tp)
	}
}

func TestIdentityAndProject(t *testing.T) {
	m, all, _ := load(t, "assets.ndjson")
	ci := must(t, m, "//iam.googleapis.com/projects/acme-prod/serviceAccounts/104200000000000000001")
	id := ci.Facts.Identity
	if ci.Name != "ci@acme-prod.iam.gserviceaccount.com" || id.Kind != "service_account" || len(id.AccessKeys) != 2 {
		t.Fatalf("ci: %+v %+v", ci, id)
	}
	um := id.AccessKeys[0]
	if um.ID != "0123abcd" || !um.Active || um.Created != "2024-01-01T00:00:00Z" || um.UserManaged == nil || !*um.UserManaged {
		t.Errorf("user-managed key: %+v", um)
	}
	if sm := id.AccessKeys[1]; sm.UserManaged == nil || *sm.UserManaged {
		t.Errorf("system-managed key: %+v", sm)
	}
	eqBool(t, "ci.keys_known", id.AccessKeysKnown, b(true))
	eqBool(t, "backup.disabled", must(t, m, "//iam.googleapis.com/projects/acme-prod/serviceAccounts/104200000000000000002").Facts.Identity.Disabled, b(true))

	p := must(t, m, "//cloudresourcemanager.googleapis.com/projects/"+num)
	if p.Class != resource.ClassAccount || p.Account != proj || p.Name != proj || p.Region != "global" {
		t.Fatalf("project: %+v", p)
	}
	eqBool(t, "project.audit_logging", p.Facts.Account.AuditLogging, b(true))
	ac := must(t, m, "//cloudresourcemanager.googleapis.com/projects/"+num+"#auditConfigs")
	if ac.Class != resource.ClassAuditLog || ac.Account != proj {
		t.Errorf("audit config: %+v", ac)
	}
	eqBool(t, "audit.all_services (no DATA_READ)", ac.Facts.AuditLog.AllServices, b(false))

	owner := must(t, m, "//cloudresourcemanager.googleapis.com/projects/"+num+"#iam/roles/owner/user:alice@acme.example")
	bd := owner.Facts.Binding
	if owner.Class != resource.ClassIAMBinding || owner.Account != proj || bd.PrincipalType != "user" || bd.ScopeLevel != "account" {
		t.Fatalf("owner binding: %+v %+v", owner, bd)
	}
	eqBool(t, "owner.primitive", bd.Primitive, b(true))
	eqBool(t, "owner.privileged", bd.Privileged, b(true))
	eqBool(t, "owner.public", bd.Public, b(false))
	sa := must(t, m, "//cloudresourcemanager.googleapis.com/projects/"+num+"#iam/roles/storage.admin/serviceAccount:backup@acme-prod.iam.gserviceaccount.com").Facts.Binding
	eqBool(t, "storage.admin primitive", sa.Primitive, b(false))
	pb := must(t, m, "//storage.googleapis.com/acme-public-web#iam/roles/storage.objectViewer/allUsers").Facts.Binding
	if pb.ScopeLevel != "resource" || pb.PrincipalType != "allUsers" {
		t.Errorf("public binding: %+v", pb)
	}
	eqBool(t, "allUsers.public", pb.Public, b(true))
	accounts := 0
	for _, r := range all {
		if r.Class == resource.ClassAccount {
			accounts++
		}
	}
	if accounts != 1 {
		t.Errorf("%d account resources, want 1 (the Project asset)", accounts)
	}
}

func TestAPIFormAndSynthesizedProject(t *testing.T) {
	m, _, _ := load(t, "assets-api.json")
	bk := must(t, m, "//storage.googleapis.com/other-bucket")
	if bk.Account != "555" || bk.Region != "us-central1" {
		t.Errorf("bucket: %+v", bk)
	}
	eqBool(t, "other.public_access", bk.Facts.Storage.PublicAccess, b(false))
	eqBool(t, "other.uniform", bk.Facts.Storage.UniformAccess, b(true))
	eqBool(t, "other.blocked (no publicAccessPrevention)", bk.Facts.Storage.PublicAccessBlocked, nil)
	p := must(t, m, "//cloudresourcemanager.googleapis.com/projects/555")
	if p.Class != resource.ClassAccount {
		t.Fatalf("project: %+v", p)
	}
	eqBool(t, "555.audit_logging", p.Facts.Account.AuditLogging, b(true))
	ac := must(t, m, "//cloudresourcemanager.googleapis.com/projects/555#auditConfigs").Facts.AuditLog
	eqBool(t, "555.all_services", ac.AllServices, b(true))
	ed := must(t, m, "//cloudresourcemanager.googleapis.com/projects/555#iam/roles/editor/user:bob@acme.example").Facts.Binding
	eqBool(t, "editor primitive", ed.Primitive, b(true))
}

func TestNDJSONBadLines(t *testing.T) {
	data := []byte(`{"name":"//storage.googleapis.com/a","asset_type":"storage.googleapis.com/Bucket","resource":{"data":{"name":"a"}},"ancestors":["projects/1"]}
{"name":"//storage.googleapis.com/b","asset_type":"storage.googleapis.com/Bucket",
not json at all

{"name":"//storage.googleapis.com/c","asset_type":"storage.googleapis.com/Bucket","resource":{"data":null}}
{"asset_type":"storage.googleapis.com/Bucket"}
[1,2]
{"name":"//compute.googleapis.com/projects/p/zones/z/instances/i","asset_type":"compute.googleapis.com/Instance","resource":{"data":{"networkInterfaces":"x","serviceAccounts":[null,{"email":5}],"metadata":{"items":{}}}}}
`)
	res := ParseNDJSON(context.Background(), "x.ndjson", data)
	lines := []int{}
	fields := []string{}
	for _, p := range res.Problems {
		lines = append(lines, p.Line)
		if p.Line == 8 {
			if p.Resource != "//compute.googleapis.com/projects/p/zones/z/instances/i" {
				t.Errorf("problem without its resource: %+v", p)
			}
			fields = append(fields, p.Field)
		}
	}
	if fmt.Sprint(lines) != "[2 3 6 7 8 8 8]" {
		t.Errorf("problem lines %v: %+v", lines, res.Problems)
	}
	if fmt.Sprint(fields) != "[resource.data.networkInterfaces resource.data.serviceAccounts[1].email resource.data.metadata.items]" {
		t.Errorf("fields %v", fields)
	}
	// A line that is not a JSON object, or an asset without a name that is
	// not a key, leaves no resource.
	var ids []string
	byID := map[string]*resource.Resource{}
	for _, r := range res.Resources {
		ids = append(ids, r.ID)
		byID[r.ID] = r
	}
	if fmt.Sprint(ids) != "[//storage.googleapis.com/a //storage.googleapis.com/c //compute.googleapis.com/projects/p/zones/z/instances/i]" {
		t.Fatalf("resources: %q", ids)
	}
	// The facts those fields decide are unknown, never a value.
	inst := byID["//compute.googleapis.com/projects/p/zones/z/instances/i"].Facts.Compute
	if inst.PublicIP != nil || inst.SerialPortEnabled != nil || inst.DefaultServiceAccount != nil {
		t.Errorf("instance facts from wrong-typed fields: %+v", inst)
	}
	c := byID["//storage.googleapis.com/c"]
	if *c.Facts.Storage != (resource.ObjectStorage{}) {
		t.Errorf("bucket without data must have unknown facts: %+v", c.Facts.Storage)
	}
	added, _ := Finalize(res.Resources)
	if len(added) != 2 { // projects "1" and "p"
		t.Errorf("added: %d", len(added))
	}
}

// TestSQLSSLMode: Cloud SQL's sslMode decides whether connections must be
// encrypted (ENCRYPTED_ONLY, TRUSTED_CLIENT_CERTIFICATE_REQUIRED: yes;
// ALLOW_UNENCRYPTED_AND_ENCRYPTED: no); without it, or SSL_MODE_UNSPECIFIED,
// the older requireSsl does (absent: false); a mode of a later API is
// unknown, never read as not required.
func TestSQLSSLMode(t *testing.T) {
	var lines []string
	for _, c := range [][2]string{
		{"only", `"sslMode":"ENCRYPTED_ONLY"`}, {"cert", `"sslMode":"TRUSTED_CLIENT_CERTIFICATE_REQUIRED","requireSsl":true`},
		{"allow", `"sslMode":"ALLOW_UNENCRYPTED_AND_ENCRYPTED"`}, {"legacy", `"requireSsl":true`}, {"none", `"ipv4Enabled":false`},
		{"unspecified", `"sslMode":"SSL_MODE_UNSPECIFIED","requireSsl":true`}, {"later", `"sslMode":"ENCRYPTED_WITH_PQC_ONLY"`},
	} {
		lines = append(lines, `{"name":"//cloudsql.googleapis.com/projects/p/instances/`+c[0]+`","asset_type":"sqladmin.googleapis.com/Instance",`+
			`"resource":{"data":{"name":"`+c[0]+`","databaseVersion":"POSTGRES_16","settings":{"ipConfiguration":{`+c[1]+`}}}}}`)
	}
	res := ParseNDJSON(context.Background(), "sql.json", []byte(strings.Join(lines, "\n")))
	want := map[string]string{"only": "true", "cert": "true", "allow": "false", "legacy": "true", "none": "false",
		"unspecified": "true", "later": "unknown"}
	for _, r := range res.Resources {
		if got := show(r.Facts.Database.SSLRequired); got != want[r.Name] {
			t.Errorf("%s: ssl_required %s, want %s", r.Name, got, want[r.Name])
		}
	}
	if len(res.Resources) != len(want) || len(res.Problems) > 0 {
		t.Errorf("%d resources, problems %v", len(res.Resources), res.Problems)
	}
}
