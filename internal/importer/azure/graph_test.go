package azure

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/inventory"
	"github.com/vigil-sec/vigil/internal/resource"
)

const sub = "00000000-1111-2222-3333-444444444444"

func load(t *testing.T, names ...string) (map[string]*resource.Resource, *attr.Result) {
	t.Helper()
	var all []*resource.Resource
	var last *attr.Result
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := attr.Decode(data, &doc); err != nil {
			t.Fatal(err)
		}
		if Detect(doc) != Format {
			t.Fatalf("%s not detected", n)
		}
		last = Parse(context.Background(), n, doc)
		if len(last.Problems) > 0 {
			t.Fatalf("%s: %+v", n, last.Problems)
		}
		all = append(all, last.Resources...)
	}
	added, _ := Finalize(all)
	all = append(all, added...)
	inventory.Derive(all) // the cross-resource facts, as the importer's inventory does
	m := map[string]*resource.Resource{}
	for _, r := range all {
		m[strings.ToLower(r.ID)] = r
	}
	return m, last
}

func get(t *testing.T, m map[string]*resource.Resource, suffix string) *resource.Resource {
	t.Helper()
	id := "/subscriptions/" + sub + suffix
	r := m[strings.ToLower(id)]
	if r == nil {
		t.Fatalf("missing %s", id)
	}
	return r
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

const rg = "/resourceGroups/rg-prod/providers"

func TestStorageAndNetwork(t *testing.T) {
	m, res := load(t, "resources.json")
	st := get(t, m, rg+"/Microsoft.Storage/storageAccounts/stpublicdata")
	if st.Type != TypeStorageAccount || st.Class != resource.ClassObjectStorage || st.Account != sub || st.Region != "westeurope" || st.Tags["env"] != "prod" {
		t.Errorf("storage identity: %+v", st)
	}
	s := st.Facts.Storage
	eqBool(t, "public.blocked", s.PublicAccessBlocked, b(false))
	eqBool(t, "public.public_access (a container has Blob access)", s.PublicAccess, b(true))
	eqBool(t, "public.https", s.SecureTransportOnly, b(false))
	eqBool(t, "public.network_default_deny", s.NetworkDefaultDeny, b(false))
	eqBool(t, "public.encrypted", s.Encrypted, b(true))
	if s.MinTLSVersion != "1.0" || s.KeyManager != "provider" {
		t.Errorf("public: tls %q key %q", s.MinTLSVersion, s.KeyManager)
	}
	eqBool(t, "public.versioning (no blob service row)", s.Versioning, nil)
	sec := get(t, m, rg+"/Microsoft.Storage/storageAccounts/stsecure").Facts.Storage
	eqBool(t, "secure.public_access", sec.PublicAccess, b(false))
	eqBool(t, "secure.blocked", sec.PublicAccessBlocked, b(true))
	eqBool(t, "secure.versioning", sec.Versioning, b(true))
	eqBool(t, "secure.delete_protection", sec.DeleteProtection, b(true))
	if sec.MinTLSVersion != "1.2" || sec.KeyManager != "customer" {
		t.Errorf("secure: %+v", sec)
	}

	fw := get(t, m, rg+"/Microsoft.Network/networkSecurityGroups/nsg-web").Facts.Firewall
	eqBool(t, "nsg.in_use", fw.InUse, b(true))
	type want struct {
		proto    string
		from, to int
		action   string
		anySrc   bool
	}
	// A rule of any protocol over some ports admits TCP and UDP on those
	// ports only: two rules (protocol "all" would mean every port).
	wants := []want{{"tcp", 22, 22, "allow", true}, {"tcp", 3389, 3390, "allow", true}, {"udp", 3389, 3390, "allow", true},
		{"tcp", 8080, 8080, "allow", true}, {"udp", 8080, 8080, "allow", true},
		{"tcp", 443, 443, "allow", false}, {"all", 0, 65535, "allow", false}, {"all", 0, 65535, "deny", true}}
	if len(fw.Rules) != len(wants) {
		t.Fatalf("rules: %+v", fw.Rules)
	}
	for i, w := range wants {
		r := fw.Rules[i]
		anySrc := false
		for _, s := range r.Sources {
			if s == "0.0.0.0/0" {
				anySrc = true
			}
		}
		if r.Direction != "ingress" || r.Protocol != w.proto || r.FromPort != w.from || r.ToPort != w.to || r.Action != w.action || anySrc != w.anySrc {
			t.Errorf("rule %d = %+v, want %+v", i, r, w)
		}
	}
	if fw.Rules[0].Priority != 100 || len(fw.Rules[0].Sources) != 2 {
		t.Errorf("rule 0: %+v", fw.Rules[0])
	}

	eqBool(t, "vnet-prod.flow_logs (via subnet NSG)", get(t, m, rg+"/Microsoft.Network/virtualNetworks/vnet-prod").Facts.Network.FlowLogs, b(true))
	eqBool(t, "vnet-dev.flow_logs", get(t, m, rg+"/Microsoft.Network/virtualNetworks/vnet-dev").Facts.Network.FlowLogs, b(false))

	if res.Unsupported["/subscriptions/"+sub+rg+"/Microsoft.Web/sites/app-orders"] != "microsoft.web/sites" {
		t.Errorf("unsupported: %v", res.Unsupported)
	}
	// Rows kept as class other for derivation are listed too: no rule judges them.
	for id, typ := range res.Unsupported {
		if r := m[strings.ToLower(id)]; r == nil || r.Class != resource.ClassOther {
			t.Errorf("unsupported %s (%s) is not class other", id, typ)
		}
	}
	for _, r := range m {
		if r.Class == resource.ClassOther && r.Source != "synthesized" && res.Unsupported[r.ID] == "" {
			t.Errorf("%s is class other but not listed as unsupported", r.ID)
		}
	}
	if res.Unsupported["/subscriptions/"+sub+rg+"/Microsoft.Network/networkInterfaces/nic-web"] != TypeNIC {
		t.Errorf("NIC not listed: %v", res.Unsupported)
	}
}

func TestComputeDatabasesKeys(t *testing.T) {
	m, _ := load(t, "resources.json")
	web := get(t, m, rg+"/Microsoft.Compute/virtualMachines/vm-web").Facts.Compute
	eqBool(t, "vm-web.public_ip", web.PublicIP, b(true))
	eqBool(t, "vm-web.disk_encrypted", web.DiskEncrypted, b(true))
	eqBool(t, "vm-web.secure_boot", web.SecureBoot, b(false))
	if web.Identity != "" || web.State != "running" {
		t.Errorf("vm-web: %+v", web)
	}
	batch := get(t, m, rg+"/Microsoft.Compute/virtualMachines/vm-batch").Facts.Compute
	eqBool(t, "vm-batch.public_ip", batch.PublicIP, b(false))
	if batch.Identity != "SystemAssigned" {
		t.Errorf("vm-batch identity %q", batch.Identity)
	}

	sql := get(t, m, rg+"/Microsoft.Sql/servers/sql-orders").Facts.Database
	eqBool(t, "sql.public", sql.PublicEndpoint, b(true))
	eqBool(t, "sql.auditing", sql.AuditingEnabled, b(false))
	if len(sql.AuthorizedNetworks) != 1 || sql.AuthorizedNetworks[0] != "0.0.0.0/0" {
		t.Errorf("sql networks: %v", sql.AuthorizedNetworks)
	}
	pg := get(t, m, rg+"/Microsoft.DBforPostgreSQL/flexibleServers/pg-app").Facts.Database
	eqBool(t, "pg.public", pg.PublicEndpoint, b(false))
	eqBool(t, "pg.backup", pg.BackupEnabled, b(true))
	if pg.BackupRetentionDays == nil || *pg.BackupRetentionDays != 3 || pg.Engine != "postgres" {
		t.Errorf("pg: %+v", pg)
	}

	kv := get(t, m, rg+"/Microsoft.KeyVault/vaults/kv-prod").Facts.KeyVault
	eqBool(t, "kv.purge_protection", kv.PurgeProtection, b(false))
	eqBool(t, "kv.rbac", kv.RBACAuthorization, b(true))
	eqBool(t, "kv.public", kv.PublicNetwork, b(true))
	eqBool(t, "kv.soft_delete", kv.SoftDelete, b(true))
	k := get(t, m, rg+"/Microsoft.KeyVault/vaults/kv-prod/keys/cmk").Facts.Key
	eqBool(t, "key.rotation", k.RotationEnabled, b(true))
	eqBool(t, "key.enabled", k.Enabled, b(true))
	eqBool(t, "key.expiry_set", k.ExpirySet, b(false))
	if k.Expires != "" || k.RotationPeriodDays == nil || *k.RotationPeriodDays != 90 {
		t.Errorf("key: %+v", k)
	}
}

func TestAuthorizationAndSubscription(t *testing.T) {
	m, _ := load(t, "resources.json", "authorization.json", "security.json", "diagnostic-settings.json")
	owner := get(t, m, "/providers/Microsoft.Authorization/roleAssignments/11111111-aaaa-bbbb-cccc-000000000001")
	bd := owner.Facts.Binding
	if owner.Class != resource.ClassIAMBinding || bd.RoleName != "Owner" || bd.ScopeLevel != "account" || bd.PrincipalType != "User" {
		t.Fatalf("owner binding: %+v", bd)
	}
	eqBool(t, "owner.primitive", bd.Primitive, b(true))
	eqBool(t, "owner.privileged", bd.Privileged, b(true))
	eqBool(t, "owner.public", bd.Public, b(false))
	reader := get(t, m, rg+"/Microsoft.Authorization/roleAssignments/11111111-aaaa-bbbb-cccc-000000000002").Facts.Binding
	if reader.RoleName != "Reader" || reader.ScopeLevel != "resource_group" {
		t.Errorf("reader: %+v", reader)
	}
	eqBool(t, "reader.primitive", reader.Primitive, b(false))
	custom := get(t, m, "/providers/Microsoft.Authorization/roleAssignments/11111111-aaaa-bbbb-cccc-000000000003").Facts.Binding
	if custom.RoleName != "Deployment Superuser" {
		t.Errorf("custom: %+v", custom)
	}
	eqBool(t, "custom.privileged", custom.Privileged, b(true))
	def := get(t, m, "/providers/Microsoft.Authorization/roleDefinitions/22222222-dddd-eeee-ffff-000000000001")
	if def.Facts.Role == nil {
		t.Fatal("role definition facts missing")
	}
	eqBool(t, "def.custom", def.Facts.Role.Custom, b(true))
	eqBool(t, "def.full_admin", def.Facts.Role.FullAdmin, b(true))
	eqBool(t, "def.subscription_scope", def.Facts.Role.SubscriptionScope, b(true))

	acct := m[strings.ToLower("/subscriptions/"+sub)]
	if acct == nil || acct.Class != resource.ClassAccount || acct.Name != "Production" || acct.Type != TypeSubscription {
		t.Fatalf("subscription: %+v", acct)
	}
	af := acct.Facts.Account
	eqBool(t, "sub.audit_logging", af.AuditLogging, b(true))
	eqBool(t, "sub.threat_detection (all Free)", af.ThreatDetection, b(false))
	eqBool(t, "sub.security_contact (no email)", af.SecurityContact, b(false))
	diag := get(t, m, "/providers/microsoft.insights/diagnosticSettings/activity-to-la")
	if diag.Class != resource.ClassAuditLog {
		t.Fatalf("diag class %s", diag.Class)
	}
	eqBool(t, "diag.enabled", diag.Facts.AuditLog.Enabled, b(true))
	eqBool(t, "diag.all_services (Alert off)", diag.Facts.AuditLog.AllServices, b(false))
}

func TestSubscriptionSynthesized(t *testing.T) {
	m, _ := load(t, "resources.json")
	acct := m[strings.ToLower("/subscriptions/"+sub)]
	if acct == nil || acct.Class != resource.ClassAccount {
		t.Fatal("subscription account not synthesized")
	}
	af := acct.Facts.Account
	eqBool(t, "audit_logging without evidence", af.AuditLogging, nil)
	eqBool(t, "threat_detection without evidence", af.ThreatDetection, nil)
}

func TestMissingFieldsDoNotPanic(t *testing.T) {
	docs := []string{
		`[{"id":"/subscriptions/s/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/a","type":"microsoft.storage/storageaccounts"}]`,
		`[{"id":"/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/networkSecurityGroups/n","type":"Microsoft.Network/networkSecurityGroups","properties":{"securityRules":[1,{"properties":{"destinationPortRange":"x-y"}},{"properties":null}]}}]`,
		`{"data":[{"id":"/subscriptions/s/providers/Microsoft.Authorization/roleAssignments/x","type":"microsoft.authorization/roleassignments","properties":{}},7,{"type":"x"}],"count":3}`,
		`[{"id":"/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/virtualMachines/v","type":"microsoft.compute/virtualmachines","properties":{"networkProfile":{"networkInterfaces":[{"id":null}]}}}]`,
		`[{"id":"/subscriptions/s/resourceGroups/r/providers/Microsoft.KeyVault/vaults/k/keys/x","type":"microsoft.keyvault/vaults/keys","properties":{"attributes":{"exp":1e300},"rotationPolicy":null}}]`,
	}
	for _, d := range docs {
		var doc any
		if err := attr.Decode([]byte(d), &doc); err != nil {
			t.Fatal(err)
		}
		if Detect(doc) == "" {
			t.Fatalf("not detected: %s", d)
		}
		res := Parse(context.Background(), "x.json", doc)
		Finalize(res.Resources)
	}
	var doc any
	_ = attr.Decode([]byte(docs[2]), &doc)
	res := Parse(context.Background(), "x.json", doc)
	if len(res.Problems) != 2 {
		t.Errorf("problems: %+v", res.Problems)
	}
	st := func() *resource.Resource {
		_ = attr.Decode([]byte(docs[0]), &doc)
		return Parse(context.Background(), "x.json", doc).Resources[0]
	}()
	if st.Type != TypeStorageAccount || st.Account != "s" || *st.Facts.Storage != (resource.ObjectStorage{}) {
		t.Errorf("bare storage account: %+v", st)
	}
}

func TestDetect(t *testing.T) {
	for doc, want := range map[string]string{
		`{"count":0,"data":[],"skip_token":null,"total_records":0}`: Format,
		`{"value":[]}`:            "",
		`[{"id":"x","type":"y"}]`: "",
		`{"id":"/subscriptions/s","type":"microsoft.resources/subscriptions"}`: Format,
		`{"data":{"columns":[],"rows":[]},"count":0}`:                          Format, // reported by Parse
	} {
		var v any
		if err := attr.Decode([]byte(doc), &v); err != nil {
			t.Fatal(err)
		}
		if got := Detect(v); got != want {
			t.Errorf("Detect(%s) = %q, want %q", doc, got, want)
		}
	}
	if got := isoDays("P1Y2M3D"); got == nil || *got != 365+60+3 {
		t.Errorf("isoDays = %v", got)
	}
	if scopeLevel("/providers/Microsoft.Management/managementGroups/root") != "organization" || scopeLevel("/subscriptions/s/resourceGroups/r/providers/x/y/z") != "resource" {
		t.Error("scopeLevel")
	}
}

// The built-in roles vigil names without their definitions, by their real
// GUIDs (az role definition list --name ... --query [].name).
func TestBuiltinRoleNamesWithoutDefinitions(t *testing.T) {
	for guid, want := range map[string]string{
		"8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
		"b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
		"18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
		"acdd72a7-3385-48ef-bd42-f606fba81ae7": "Reader",
	} {
		res := parseDoc(t, `[{"id":"/subscriptions/s/providers/Microsoft.Authorization/roleAssignments/a1","name":"a1","type":"microsoft.authorization/roleassignments","properties":{
			"roleDefinitionId":"/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/`+guid+`","principalId":"p","principalType":"User","scope":"/subscriptions/s"}}]`)
		if b := res.Resources[0].Facts.Binding; b.RoleName != want || b.ScopeLevel != "account" {
			t.Errorf("%s: role name %q, scope level %q; want %q", guid, b.RoleName, b.ScopeLevel, want)
		}
	}
}
