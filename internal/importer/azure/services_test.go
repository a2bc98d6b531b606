package azure

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// parseDoc decodes and parses one document, failing on a decoding error.
func parseDoc(t *testing.T, doc string) *attr.Result {
	t.Helper()
	var v any
	if err := attr.Decode([]byte(doc), &v); err != nil {
		t.Fatalf("%v: %s", err, doc)
	}
	if Detect(v) != Format {
		t.Fatalf("not detected: %s", doc)
	}
	return Parse(context.Background(), "rows.json", v)
}

func byName(res *attr.Result) map[string]*resource.Resource {
	m := map[string]*resource.Resource{}
	for _, r := range res.Resources {
		m[r.Name] = r
	}
	return m
}

func hasRel(r *resource.Resource, typ, target string) bool {
	for _, rel := range r.Relationships {
		if rel.Type == typ && strings.EqualFold(rel.TargetID, target) {
			return true
		}
	}
	return false
}

const sp = "/subscriptions/" + sub + "/resourceGroups/rg/providers/"

// Authorization rows as AuthorizationResources returns them.
const rbacRows = `{"count":4,"data":[
{"id":"/subscriptions/` + sub + `/providers/Microsoft.Authorization/roleDefinitions/33333333-0000-0000-0000-000000000001","name":"33333333-0000-0000-0000-000000000001","type":"microsoft.authorization/roledefinitions","subscriptionId":"` + sub + `","location":"","properties":{
 "roleName":"Blob Operator","type":"CustomRole","description":"","assignableScopes":["/subscriptions/` + sub + `/resourceGroups/rg"],
 "permissions":[{"actions":["Microsoft.Storage/storageAccounts/read","Microsoft.Storage/*/write"],"notActions":["Microsoft.Storage/storageAccounts/delete"],"dataActions":["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*"],"notDataActions":["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete"]},
  {"actions":["Microsoft.Resources/subscriptions/resourceGroups/read"],"notActions":[],"dataActions":[],"notDataActions":[]}]}},
{"id":"/subscriptions/` + sub + `/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/44444444-0000-0000-0000-000000000001","name":"44444444-0000-0000-0000-000000000001","type":"microsoft.authorization/roleassignments","subscriptionId":"` + sub + `","properties":{
 "roleDefinitionId":"/subscriptions/` + sub + `/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1","principalId":"55555555-0000-0000-0000-000000000001","principalType":"ServicePrincipal","scope":"/subscriptions/` + sub + `/resourceGroups/rg",
 "condition":"((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'landing'))","conditionVersion":"2.0"}},
{"id":"/subscriptions/` + sub + `/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/44444444-0000-0000-0000-000000000002","name":"44444444-0000-0000-0000-000000000002","type":"microsoft.authorization/roleassignments","subscriptionId":"` + sub + `","properties":{
 "roleDefinitionId":"/subscriptions/` + sub + `/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7","principalId":"55555555-0000-0000-0000-000000000002","principalType":"Group","scope":"/subscriptions/` + sub + `/resourceGroups/rg","condition":null,"conditionVersion":null}},
{"id":"/subscriptions/` + sub + `/resourceGroups/rg/providers/Microsoft.Authorization/denyAssignments/66666666-0000-0000-0000-000000000001","name":"66666666-0000-0000-0000-000000000001","type":"microsoft.authorization/denyassignments","subscriptionId":"` + sub + `","properties":{
 "denyAssignmentName":"Deny delete by stack","description":"deployment stack","permissions":[{"actions":["*/delete"],"notActions":["Microsoft.Resources/deployments/delete"],"dataActions":[],"notDataActions":[]}],
 "scope":"/subscriptions/` + sub + `/resourceGroups/rg","doNotApplyToChildScopes":false,"principals":[{"id":"00000000-0000-0000-0000-000000000000","type":"SystemDefined"}],
 "excludePrincipals":[{"id":"77777777-0000-0000-0000-000000000001","type":"ServicePrincipal"},{"id":"77777777-0000-0000-0000-000000000002","type":"User"}],"isSystemProtected":true}}
],"skip_token":null,"total_records":4}`

func TestTypedRBAC(t *testing.T) {
	res := parseDoc(t, rbacRows)
	if len(res.Problems) > 0 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	m := byName(res)
	def := m["Blob Operator"]
	if def == nil || def.Class != resource.ClassRole {
		t.Fatalf("role definition: %+v", def)
	}
	rd := def.Facts.Role
	want := []resource.RolePermission{
		{Actions: []string{"Microsoft.Storage/storageAccounts/read", "Microsoft.Storage/*/write"},
			NotActions:     []string{"Microsoft.Storage/storageAccounts/delete"},
			DataActions:    []string{"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*"},
			NotDataActions: []string{"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete"}},
		{Actions: []string{"Microsoft.Resources/subscriptions/resourceGroups/read"}, NotActions: []string{}, DataActions: []string{}, NotDataActions: []string{}},
	}
	if !reflect.DeepEqual(rd.Permissions, want) {
		t.Errorf("permissions = %+v", rd.Permissions)
	}
	if rd.RoleName != "Blob Operator" || len(rd.Actions) != 3 || len(rd.AssignableScopes) != 1 {
		t.Errorf("role: %+v", rd)
	}
	eqBool(t, "custom", rd.Custom, b(true))
	eqBool(t, "full_admin", rd.FullAdmin, b(false))
	eqBool(t, "subscription_scope (resource group only)", rd.SubscriptionScope, b(false))

	cond := m["44444444-0000-0000-0000-000000000001"].Facts.Binding
	if cond.Condition == nil || cond.Condition.Version != "2.0" || !strings.Contains(cond.Condition.Expression, "StringEquals 'landing'") {
		t.Errorf("condition: %+v", cond.Condition)
	}
	if plain := m["44444444-0000-0000-0000-000000000002"].Facts.Binding; plain.Condition != nil || plain.RoleName != "Reader" {
		t.Errorf("unconditioned assignment: %+v", plain)
	}

	deny := m["66666666-0000-0000-0000-000000000001"]
	db := deny.Facts.Binding
	if deny.Class != resource.ClassIAMBinding || db.RoleName != "Deny delete by stack" || db.ScopeLevel != "resource_group" ||
		db.Principal != "00000000-0000-0000-0000-000000000000" || db.PrincipalType != "SystemDefined" {
		t.Errorf("deny assignment: %+v", db)
	}
	eqBool(t, "deny", db.Deny, b(true))
	eqBool(t, "deny.public", db.Public, b(false))
	if len(db.DenyPermissions) != 1 || db.DenyPermissions[0].Actions[0] != "*/delete" || db.DenyPermissions[0].NotActions[0] != "Microsoft.Resources/deployments/delete" {
		t.Errorf("deny permissions: %+v", db.DenyPermissions)
	}
	if !reflect.DeepEqual(db.ExcludedPrincipals, []string{"77777777-0000-0000-0000-000000000001", "77777777-0000-0000-0000-000000000002"}) {
		t.Errorf("excluded: %v", db.ExcludedPrincipals)
	}
	if !reflect.DeepEqual(db.ExcludedPrincipalTypes, []string{"ServicePrincipal", "User"}) {
		t.Errorf("excluded kinds: %v", db.ExcludedPrincipalTypes)
	}
	eqBool(t, "deny.child_scopes (doNotApplyToChildScopes false)", db.ChildScopes, b(true))
	if len(res.Unsupported) != 0 {
		t.Errorf("unsupported: %v", res.Unsupported)
	}
}

const da = "/subscriptions/" + sub + "/providers/Microsoft.Authorization/denyAssignments/"

const denyRows = `[
{"id":"` + da + `d1","name":"d1","type":"microsoft.authorization/denyassignments","properties":{"denyAssignmentName":"scope only",
 "permissions":[{"actions":["*"]}],"scope":"/subscriptions/` + sub + `","doNotApplyToChildScopes":true,
 "principals":[{"id":"00000000-0000-0000-0000-000000000000","type":"SystemDefined"}],
 "excludePrincipals":[{"id":"u1","type":"User"},{"id":"x1"},{"id":"g1","type":"Group"}]}},
{"id":"` + da + `d2","name":"d2","type":"microsoft.authorization/denyassignments","properties":{"denyAssignmentName":"untyped",
 "permissions":[{"actions":["*"]}],"scope":"/subscriptions/` + sub + `",
 "principals":[{"id":"p1","type":"User"},{"id":"p2","type":"Group"}],"excludePrincipals":[{"id":"x2"}]}},
{"id":"` + da + `d3","name":"d3","type":"microsoft.authorization/denyassignments","properties":{"denyAssignmentName":"bad flag",
 "permissions":[{"actions":["*"]}],"scope":"/subscriptions/` + sub + `","doNotApplyToChildScopes":"yes"}}]`

// A deny assignment limited to its scope, with excluded principals of
// known and unknown kind, and one listing several principals.
func TestDenyAssignmentScopeAndKinds(t *testing.T) {
	res := parseDoc(t, denyRows)
	m := byName(res)
	d1 := m["d1"].Facts.Binding
	eqBool(t, "d1.child_scopes", d1.ChildScopes, b(false))
	if !reflect.DeepEqual(d1.ExcludedPrincipals, []string{"u1", "x1", "g1"}) || !reflect.DeepEqual(d1.ExcludedPrincipalTypes, []string{"User", "", "Group"}) {
		t.Errorf("d1 excluded %v kinds %q", d1.ExcludedPrincipals, d1.ExcludedPrincipalTypes)
	}
	d2 := m["d2"].Facts.Binding
	eqBool(t, "d2.child_scopes (not given)", d2.ChildScopes, nil)
	if d2.ExcludedPrincipalTypes != nil || d2.Principal != "p1" || d2.PrincipalType != "User" {
		t.Errorf("d2: %+v", d2)
	}
	eqBool(t, "d3.child_scopes (wrong type)", m["d3"].Facts.Binding.ChildScopes, nil)
	var many, flag bool
	for _, p := range res.Problems {
		many = many || p.Resource == da+"d2" && p.Field == "properties.principals" && p.Warning && strings.Contains(p.Err, "2 principals")
		flag = flag || p.Resource == da+"d3" && p.Field == "properties.doNotApplyToChildScopes" && !p.Warning
	}
	if !many || !flag || len(res.Problems) != 2 {
		t.Errorf("problems: %+v", res.Problems)
	}
}

// ResourceContainers printed with --query data: a bare array.
const containerRows = `[
{"id":"/providers/Microsoft.Management/managementGroups/tenant-root","name":"tenant-root","type":"microsoft.management/managementgroups","subscriptionId":"","location":"","properties":{"displayName":"Tenant Root Group","tenantId":"t","details":{"parent":null,"managementGroupAncestorsChain":[],"version":1}}},
{"id":"/providers/Microsoft.Management/managementGroups/mg-prod","name":"mg-prod","type":"microsoft.management/managementgroups","subscriptionId":"","location":"","properties":{"displayName":"Production","tenantId":"t","details":{"parent":{"id":"/providers/Microsoft.Management/managementGroups/tenant-root","name":"tenant-root","displayName":"Tenant Root Group"},"managementGroupAncestorsChain":[{"name":"tenant-root","displayName":"Tenant Root Group"}]}}},
{"id":"/providers/Microsoft.Management/managementGroups/mg-chain-only","name":"mg-chain-only","type":"microsoft.management/managementgroups","subscriptionId":"","location":"","properties":{"displayName":"Chain only","details":{"managementGroupAncestorsChain":[{"name":"mg-prod","displayName":"Production"},{"name":"tenant-root","displayName":"Tenant Root Group"}]}}},
{"id":"/subscriptions/` + sub + `","name":"Production","type":"microsoft.resources/subscriptions","subscriptionId":"` + sub + `","location":"","properties":{"state":"Enabled","managementGroupAncestorsChain":[{"name":"mg-prod","displayName":"Production"},{"name":"tenant-root","displayName":"Tenant Root Group"}]}},
{"id":"/subscriptions/11111111-2222-3333-4444-555555555555","name":"Sandbox","type":"microsoft.resources/subscriptions","subscriptionId":"11111111-2222-3333-4444-555555555555","location":"","properties":{"state":"Enabled"}}
]`

func TestManagementGroupsAndSubscriptionParent(t *testing.T) {
	res := parseDoc(t, containerRows)
	if len(res.Problems) > 0 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	m := byName(res)
	root, prod, chain := m["tenant-root"], m["mg-prod"], m["mg-chain-only"]
	for _, r := range []*resource.Resource{root, prod, chain} {
		if r == nil || r.Class != resource.ClassOrgUnit || r.Facts.OrgUnit.Kind != "management_group" || r.Region != "global" {
			t.Fatalf("management group: %+v", r)
		}
	}
	if root.Facts.OrgUnit.Parent != "" || len(root.Relationships) != 0 {
		t.Errorf("root: %+v %v", root.Facts.OrgUnit, root.Relationships)
	}
	const rootID, prodID = "/providers/Microsoft.Management/managementGroups/tenant-root", "/providers/Microsoft.Management/managementGroups/mg-prod"
	if prod.Facts.OrgUnit.Parent != rootID || !hasRel(prod, resource.RelChildOf, rootID) {
		t.Errorf("mg-prod parent: %+v", prod.Facts.OrgUnit)
	}
	if chain.Facts.OrgUnit.Parent != prodID {
		t.Errorf("parent from the ancestors chain: %+v", chain.Facts.OrgUnit)
	}
	s := m["Production"]
	if s.Class != resource.ClassAccount || s.Facts.Account.Parent != prodID || !hasRel(s, resource.RelChildOf, prodID) {
		t.Errorf("subscription parent: %+v %v", s.Facts.Account, s.Relationships)
	}
	if sb := m["Sandbox"]; sb.Facts.Account.Parent != "" || hasRel(sb, resource.RelChildOf, rootID) {
		t.Errorf("a subscription row without the chain says nothing of its parent: %+v", sb.Facts.Account)
	}
}

const computeRows = `[
{"id":"` + sp + `Microsoft.Compute/virtualMachines/vm1","name":"vm1","type":"microsoft.compute/virtualmachines","location":"eastus","properties":{
 "storageProfile":{"osDisk":{"name":"vm1-os","managedDisk":{"id":"` + sp + `Microsoft.Compute/disks/vm1-os"}},"dataDisks":[{"lun":0,"managedDisk":{"id":"` + sp + `Microsoft.Compute/disks/vm1-data"}},{"lun":1,"managedDisk":null}]},
 "networkProfile":{"networkInterfaces":[{"id":"` + sp + `Microsoft.Network/networkInterfaces/vm1-nic"}]}}},
{"id":"` + sp + `Microsoft.Network/networkInterfaces/vm1-nic","name":"vm1-nic","type":"microsoft.network/networkinterfaces","location":"eastus","properties":{
 "ipConfigurations":[{"name":"ipconfig1","properties":{"privateIPAddress":"10.0.0.4","subnet":{"id":"` + sp + `Microsoft.Network/virtualNetworks/vnet1/subnets/app"},"publicIPAddress":{"id":"` + sp + `Microsoft.Network/publicIPAddresses/vm1-pip"}}}],
 "virtualMachine":{"id":"` + sp + `Microsoft.Compute/virtualMachines/vm1"}}},
{"id":"` + sp + `Microsoft.Network/publicIPAddresses/vm1-pip","name":"vm1-pip","type":"microsoft.network/publicipaddresses","location":"eastus","properties":{"ipAddress":"20.1.2.3"}},
{"id":"` + sp + `Microsoft.Compute/disks/vm1-os","name":"vm1-os","type":"microsoft.compute/disks","location":"eastus","managedBy":"` + sp + `Microsoft.Compute/virtualMachines/vm1","properties":{
 "diskSizeGB":64,"encryption":{"type":"EncryptionAtRestWithPlatformAndCustomerKeys","diskEncryptionSetId":"` + sp + `Microsoft.Compute/diskEncryptionSets/des"},"networkAccessPolicy":"AllowPrivate","publicNetworkAccess":"Enabled","diskState":"Reserved"}},
{"id":"` + sp + `Microsoft.Compute/disks/orphan","name":"orphan","type":"microsoft.compute/disks","location":"eastus","managedBy":"","properties":{
 "diskSizeGB":32,"encryption":{"type":"EncryptionAtRestWithPlatformKey"},"networkAccessPolicy":"AllowAll","publicNetworkAccess":"Enabled","diskState":"ActiveSAS"}},
{"id":"` + sp + `Microsoft.Compute/disks/bare","name":"bare","type":"microsoft.compute/disks","location":"eastus","properties":{"diskSizeGB":32}},
{"id":"` + sp + `Microsoft.Compute/disks/closed","name":"closed","type":"microsoft.compute/disks","location":"eastus","managedBy":"","properties":{"networkAccessPolicy":"AllowAll","publicNetworkAccess":"Disabled","diskState":"Unattached"}},
{"id":"` + sp + `Microsoft.Compute/snapshots/snap","name":"snap","type":"microsoft.compute/snapshots","location":"eastus","properties":{"encryption":{"type":"EncryptionAtRestWithCustomerKey"},"networkAccessPolicy":"DenyAll","timeCreated":"2026-11-01T06:00:00Z","creationData":{"createOption":"Copy","sourceResourceId":"` + sp + `Microsoft.Compute/disks/vm1-os"}}},
{"id":"` + sp + `Microsoft.Compute/images/img","name":"img","type":"microsoft.compute/images","location":"eastus","properties":{"storageProfile":{"osDisk":{"osType":"Linux","managedDisk":{"id":"x"}},"dataDisks":[]}}}
]`

func TestDisksSnapshotsAndVMRelationships(t *testing.T) {
	res := parseDoc(t, computeRows)
	if len(res.Problems) > 0 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	m := byName(res)
	vm := m["vm1"]
	for _, want := range []resource.Relationship{
		{Type: resource.RelUsesDisk, TargetID: sp + "Microsoft.Compute/disks/vm1-os"},
		{Type: resource.RelUsesDisk, TargetID: sp + "Microsoft.Compute/disks/vm1-data"},
		{Type: resource.RelUsesInterface, TargetID: sp + "Microsoft.Network/networkInterfaces/vm1-nic"},
	} {
		if !hasRel(vm, want.Type, want.TargetID) {
			t.Errorf("vm1 lacks %+v: %v", want, vm.Relationships)
		}
	}
	nic := m["vm1-nic"]
	if nic.Class != resource.ClassOther || !hasRel(nic, resource.RelUsesPublicIP, sp+"Microsoft.Network/publicIPAddresses/vm1-pip") ||
		!hasRel(nic, resource.RelInNetwork, sp+"Microsoft.Network/virtualNetworks/vnet1") {
		t.Errorf("nic: %s %v", nic.Class, nic.Relationships)
	}
	if res.Unsupported[nic.ID] != TypeNIC || res.Unsupported[m["vm1-pip"].ID] != TypePublicIP {
		t.Errorf("NICs and public IPs are read for derivation only and listed as unsupported: %v", res.Unsupported)
	}

	os := m["vm1-os"].Facts.Disk
	if m["vm1-os"].Class != resource.ClassDisk || os.KeyManager != "customer" || *os.SizeGB != 64 || len(os.AttachedTo) != 1 {
		t.Errorf("os disk: %+v", os)
	}
	eqBool(t, "os.encrypted", os.Encrypted, b(true))
	eqBool(t, "os.attached (Reserved)", os.Attached, b(true))
	eqBool(t, "os.public (AllowPrivate)", os.PublicNetworkAccess, b(false))
	orphan := m["orphan"].Facts.Disk
	eqBool(t, "orphan.attached (ActiveSAS, no managedBy)", orphan.Attached, b(false))
	eqBool(t, "orphan.public", orphan.PublicNetworkAccess, b(true))
	if orphan.KeyManager != "provider" {
		t.Errorf("orphan key manager %q", orphan.KeyManager)
	}
	bare := m["bare"].Facts.Disk
	eqBool(t, "bare.encrypted (always, at rest)", bare.Encrypted, b(true))
	eqBool(t, "bare.attached (row says nothing)", bare.Attached, nil)
	eqBool(t, "bare.public", bare.PublicNetworkAccess, nil)
	if bare.KeyManager != "" {
		t.Errorf("bare key manager %q", bare.KeyManager)
	}
	eqBool(t, "closed.public (publicNetworkAccess Disabled wins)", m["closed"].Facts.Disk.PublicNetworkAccess, b(false))

	snap := m["snap"]
	if snap.Class != resource.ClassSnapshot || snap.Facts.Snapshot.Kind != "snapshot" || snap.Facts.Snapshot.KeyManager != "customer" || snap.Facts.Snapshot.Created == "" {
		t.Errorf("snapshot: %+v", snap.Facts.Snapshot)
	}
	eqBool(t, "snap.public", snap.Facts.Snapshot.Public, b(false))
	img := m["img"].Facts.Snapshot
	if img.Kind != "image" || img.KeyManager != "provider" {
		t.Errorf("image: %+v", img)
	}
	eqBool(t, "image.public", img.Public, b(false))
}

func TestRuntimeEndOfSupport(t *testing.T) {
	for rt, want := range map[string]string{
		"PYTHON|3.8": "2024-10-07", "Python|3.12": "2028-10-31", "NODE|16": "2024-06-30", "node|22-lts": "2027-04-30",
		"NODE|~20": "2026-04-30", "DOTNET-ISOLATED|8.0": "2026-11-10", "DOTNET|10.0": "2028-11-14",
		"dotnet-isolated|10": "2028-11-14", "POWERSHELL|7.2": "2024-11-08", "JAVA|17": "2027-09-30",
		"JAVA|11-java11": "2027-09-30", "Java|1.8": "2026-11-30", "JAVA|25": "", "DOCKER|myacr.azurecr.io/app:1": "",
		"": "", "PYTHON|": "", "PYTHON|2.7": "",
	} {
		if want != "" {
			want += "T00:00:00Z"
		}
		if got := runtimeEndOfSupport(rt); got != want {
			t.Errorf("%q: %q, want %q", rt, got, want)
		}
	}
}

const serviceRows = `[
{"id":"` + sp + `Microsoft.Web/sites/fn-flex","name":"fn-flex","type":"microsoft.web/sites","kind":"functionapp,linux","location":"eastus","identity":{"type":"SystemAssigned","principalId":"p"},"properties":{"httpsOnly":true,"publicNetworkAccess":"Enabled","functionAppConfig":{"runtime":{"name":"python","version":"3.11"}},"siteProperties":{"properties":[{"name":"LinuxFxVersion","value":""},{"name":"WindowsFxVersion","value":null}]},"virtualNetworkSubnetId":null}},
{"id":"` + sp + `Microsoft.Web/sites/app","name":"app","type":"microsoft.web/sites","kind":"app,linux","location":"eastus","properties":{"httpsOnly":false}},
{"id":"` + sp + `Microsoft.ContainerService/managedClusters/aks-ranges","name":"aks-ranges","type":"microsoft.containerservice/managedclusters","location":"eastus","properties":{"kubernetesVersion":"1.32","enableRBAC":true,"disableLocalAccounts":true,"aadProfile":{"managed":true},"apiServerAccessProfile":{"authorizedIPRanges":["203.0.113.0/24"]},"networkProfile":{"networkPlugin":"azure","networkPolicy":"cilium"}}},
{"id":"` + sp + `Microsoft.ContainerService/managedClusters/aks-min","name":"aks-min","type":"microsoft.containerservice/managedclusters","location":"eastus","properties":{"kubernetesVersion":"1.32","enableRBAC":true,"disableLocalAccounts":true}},
{"id":"` + sp + `Microsoft.Network/applicationGateways/agw","name":"agw","type":"microsoft.network/applicationgateways","location":"eastus","properties":{
 "sku":{"tier":"WAF_v2"},"webApplicationFirewallConfiguration":{"enabled":true,"firewallMode":"Prevention"},
 "frontendIPConfigurations":[{"id":"` + sp + `Microsoft.Network/applicationGateways/agw/frontendIPConfigurations/fe","properties":{"privateIPAddress":"10.0.0.9"}}],
 "frontendPorts":[{"id":"` + sp + `Microsoft.Network/applicationGateways/agw/frontendPorts/p443","properties":{"port":443}}],
 "sslProfiles":[{"id":"` + sp + `Microsoft.Network/applicationGateways/agw/sslProfiles/legacy","properties":{"sslPolicy":{"policyType":"Custom","minProtocolVersion":"TLSv1_1"}}}],
 "httpListeners":[{"id":"` + sp + `Microsoft.Network/applicationGateways/agw/httpListeners/a","properties":{"protocol":"Https","frontendPort":{"id":"` + sp + `Microsoft.Network/applicationGateways/agw/frontendPorts/p443"}}},
  {"id":"` + sp + `Microsoft.Network/applicationGateways/agw/httpListeners/b","properties":{"protocol":"Https","frontendPort":{"id":"` + sp + `Microsoft.Network/applicationGateways/agw/frontendPorts/p443"},"sslProfile":{"id":"` + sp + `Microsoft.Network/applicationGateways/agw/sslProfiles/legacy"}}}],
 "requestRoutingRules":[],"redirectConfigurations":[]}},
{"id":"` + sp + `Microsoft.EventHub/namespaces/evh","name":"evh","type":"microsoft.eventhub/namespaces","location":"eastus","properties":{"minimumTlsVersion":"1.1","publicNetworkAccess":"SecuredByPerimeter"}},
{"id":"` + sp + `Microsoft.Cdn/profiles/afd","name":"afd","type":"microsoft.cdn/profiles","location":"Global","sku":{"name":"Premium_AzureFrontDoor"},"kind":"frontdoor","properties":{"frontDoorId":"x","originResponseTimeoutSeconds":60}},
{"id":"` + sp + `Microsoft.Cdn/profiles/cdn/endpoints/ep","name":"ep","type":"microsoft.cdn/profiles/endpoints","location":"Global","properties":{"isHttpAllowed":true,"isHttpsAllowed":true,
 "deliveryPolicy":{"rules":[{"name":"https","order":1,"conditions":[{"name":"RequestScheme","parameters":{"operator":"Equal","matchValues":["HTTP"]}}],"actions":[{"name":"UrlRedirect","parameters":{"redirectType":"Found","destinationProtocol":"Https"}}]}]}}},
{"id":"` + sp + `Microsoft.KeyVault/vaults/kv/secrets/s1","name":"s1","type":"microsoft.keyvault/vaults/secrets","location":"eastus","properties":{"attributes":{"enabled":false,"exp":1893456000}}},
{"id":"` + sp + `Microsoft.ApiManagement/service/apim","name":"apim","type":"microsoft.apimanagement/service","location":"eastus","properties":{"virtualNetworkType":"External","customProperties":{}}},
{"id":"` + sp + `Microsoft.Network/dnszones/example.com","name":"example.com","type":"microsoft.network/dnszones","location":"global","properties":{"numberOfRecordSets":2}}
]`

func TestServiceClasses(t *testing.T) {
	res := parseDoc(t, serviceRows)
	if len(res.Problems) > 0 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	m := byName(res)
	fn := m["fn-flex"]
	if fn.Class != resource.ClassFunction || fn.Type != TypeWebSite || fn.Facts.Function.Runtime != "PYTHON|3.11" || fn.Facts.Function.Identity != "SystemAssigned" {
		t.Errorf("flex function: %s %+v", fn.Class, fn.Facts.Function)
	}
	eqBool(t, "fn.public_invocation (auth level not in the row)", fn.Facts.Function.PublicInvocation, nil)
	eqBool(t, "fn.in_vpc (null subnet)", fn.Facts.Function.InVPC, b(false))
	eqBool(t, "fn.public_network (publicNetworkAccess Enabled)", fn.Facts.Function.PublicNetwork, b(true))
	if app := m["app"]; app.Class != resource.ClassOther || app.Type != "microsoft.web/sites" || res.Unsupported[app.ID] != "microsoft.web/sites" {
		t.Errorf("web app: %s %s %v", app.Class, app.Type, res.Unsupported)
	}

	ranges := m["aks-ranges"].Facts.Kubernetes
	eqBool(t, "aks-ranges.public", ranges.PublicEndpoint, b(true))
	eqBool(t, "aks-ranges.legacy_auth", ranges.LegacyAuth, b(false))
	eqBool(t, "aks-ranges.network_policy", ranges.NetworkPolicy, b(true))
	eqBool(t, "aks-ranges.node_auto_upgrade (no profile)", ranges.NodeAutoUpgrade, nil)
	if !reflect.DeepEqual(ranges.EndpointAllowedCIDRs, []string{"203.0.113.0/24"}) {
		t.Errorf("ranges: %v", ranges.EndpointAllowedCIDRs)
	}
	min := m["aks-min"].Facts.Kubernetes
	eqBool(t, "aks-min.public (no access profile: public)", min.PublicEndpoint, b(true))
	eqBool(t, "aks-min.legacy_auth (local accounts off but no Entra ID)", min.LegacyAuth, b(true))
	eqBool(t, "aks-min.network_policy (no network profile)", min.NetworkPolicy, nil)
	eqBool(t, "aks-min.secrets_encrypted", min.SecretsEncrypted, b(false))
	eqBool(t, "aks-min.private_nodes (no pools)", min.PrivateNodes, nil)

	lb := m["agw"].Facts.LoadBalancer
	eqBool(t, "agw.public", lb.Public, b(false))
	eqBool(t, "agw.waf", lb.WAF, b(true))
	eqBool(t, "agw.http_listener", lb.HTTPListener, b(false))
	eqBool(t, "agw.weak_tls (SSL profile TLS 1.1)", lb.WeakTLS, b(true))
	if len(lb.Listeners) != 2 || lb.Listeners[0].MinTLSVersion != "" || lb.Listeners[1].MinTLSVersion != "1.1" || lb.Listeners[1].Port != 443 {
		t.Errorf("listeners: %+v", lb.Listeners)
	}

	q := m["evh"].Facts.Queue
	if q.Kind != "topic" || q.MinTLSVersion != "1.1" || q.KeyManager != "provider" {
		t.Errorf("event hubs: %+v", q)
	}
	eqBool(t, "evh.public_network (perimeter)", q.PublicNetwork, b(false))
	eqBool(t, "evh.local_auth (not in the row)", q.LocalAuth, nil)

	if afd := m["afd"]; afd.Class != resource.ClassCDN || !reflect.DeepEqual(*afd.Facts.CDN, resource.CDN{}) {
		t.Errorf("Front Door profile facts come from child rows: %+v", afd.Facts.CDN)
	}
	eqBool(t, "cdn endpoint viewer https (redirect rule)", m["ep"].Facts.CDN.ViewerHTTPSOnly, b(true))
	eqBool(t, "cdn endpoint waf", m["ep"].Facts.CDN.WAF, b(false))

	sec := m["s1"].Facts.Secret
	eqBool(t, "secret.enabled", sec.Enabled, b(false))
	eqBool(t, "secret.expiry_set", sec.ExpirySet, b(true))
	if sec.Expires != "2030-01-01T00:00:00Z" {
		t.Errorf("secret expires %q", sec.Expires)
	}
	g := m["apim"].Facts.APIGateway
	eqBool(t, "apim.public", g.Public, b(true))
	if g.MinTLSVersion != "" {
		t.Errorf("apim TLS without the protocol switches is unknown: %q", g.MinTLSVersion)
	}
	eqBool(t, "dns.public (zoneType defaults to Public)", m["example.com"].Facts.DNS.Public, b(true))
}

// sampleDir is the Azure part of the bundled sample organization.
var sampleDir = filepath.Join("..", "..", "..", "examples", "org", "azure")

func loadSample(t *testing.T) (map[string]*resource.Resource, []*attr.Result) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(sampleDir, "*", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no sample files: %v", err)
	}
	m := map[string]*resource.Resource{}
	var results []*attr.Result
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := attr.Decode(data, &doc); err != nil {
			t.Fatal(err)
		}
		parse := Parse
		if DetectKeyVaultCertificates(doc) != "" {
			parse = ParseKeyVaultCertificates
		}
		res := parse(context.Background(), f, doc)
		if len(res.Problems) > 0 {
			t.Errorf("%s: %+v", f, res.Problems)
		}
		results = append(results, res)
		for _, r := range res.Resources {
			m[strings.ToLower(r.ID)] = r
		}
	}
	return m, results
}

// The sample organization's planted and clean resources of the new
// classes carry the facts its expected-azure.json describes.
func TestSampleOrgFacts(t *testing.T) {
	m, results := loadSample(t)
	data, err := os.ReadFile(filepath.Join(sampleDir, "..", "expected-azure.json"))
	if err != nil {
		t.Fatal(err)
	}
	var exp struct {
		Clean []struct {
			ResourceID string `json:"resource_id"`
			Class      string `json:"class"`
		} `json:"clean"`
		Planted []struct {
			ResourceID string `json:"resource_id"`
		} `json:"planted"`
	}
	if err := json.Unmarshal(data, &exp); err != nil {
		t.Fatal(err)
	}
	for _, c := range exp.Clean {
		r := m[strings.ToLower(c.ResourceID)]
		if r == nil || string(r.Class) != c.Class {
			t.Errorf("%s: want class %s, got %+v", c.ResourceID, c.Class, r)
		}
	}
	for _, p := range exp.Planted {
		if r := m[strings.ToLower(p.ResourceID)]; r == nil || r.Class == resource.ClassOther {
			t.Errorf("planted %s: not in the sample or of no class (%+v)", p.ResourceID, r)
		}
	}
	facts := func(name string) string {
		for _, r := range m {
			if r.Name == name {
				b, _ := json.Marshal(r.Facts)
				return string(b)
			}
		}
		t.Fatalf("no %s", name)
		return ""
	}
	for name, want := range map[string]string{
		"disk-nw-legacy-orphan":                `{"disk":{"encrypted":true,"key_manager":"provider","attached":false,"public_network_access":true,"size_gb":256}}`,
		"func-nw-legacy-webhook":               `{"function":{"runtime":"NODE|16","runtime_end_of_support":"2024-06-30T00:00:00Z","in_vpc":false,"public_network":true,"https_only":false}}`,
		"legacy-api-key":                       `{"secret":{"last_rotated":"2024-12-24T06:00:00Z","expiry_set":false,"enabled":true}}`,
		"nsg-nw-jumpbox-rg-nw-network-flowlog": `{"flow_log":{"enabled":true,"targets":["/subscriptions/8f2d6c3e-5b1a-4e7d-9c0f-2a4b6d8e1f37/resourceGroups/rg-nw-network/providers/Microsoft.Network/networkSecurityGroups/nsg-nw-jumpbox"],"retention_days":30}}`,
		"aks-nw-legacy":                        `{"kubernetes":{"version":"1.30.9","public_endpoint":true,"endpoint_allowed_cidrs":["0.0.0.0/0"],"network_policy":false,"rbac":false,"legacy_auth":true,"node_auto_upgrade":false,"secrets_encrypted":false,"private_nodes":false}}`,
		"aks-nw-analytics":                     `{"kubernetes":{"version":"1.33.3","public_endpoint":false,"network_policy":true,"rbac":true,"legacy_auth":false,"node_auto_upgrade":true,"secrets_encrypted":true,"private_nodes":true}}`,
		"sb-nw-legacy":                         `{"queue":{"kind":"queue","encrypted":true,"key_manager":"provider","public_network":true,"local_auth":true,"min_tls_version":"1.0"}}`,
		"acrnwlegacy":                          `{"registry":{"public":true,"admin_user":true,"public_network":true,"key_manager":"provider"}}`,
		"fd-nw-legacy":                         `{"cdn":{"viewer_https_only":false,"min_tls_version":"1.0","waf":false,"origin_https_only":false}}`,
		"fd-nw-web":                            `{"cdn":{"viewer_https_only":true,"min_tls_version":"1.2","waf":true,"origin_https_only":true}}`,
		"apim-nw-legacy":                       `{"api_gateway":{"public":true,"min_tls_version":"1.0"}}`,
	} {
		if got := facts(name); got != want {
			t.Errorf("%s facts\n got %s\nwant %s", name, got, want)
		}
	}
	agw := m[strings.ToLower("/subscriptions/8f2d6c3e-5b1a-4e7d-9c0f-2a4b6d8e1f37/resourceGroups/rg-nw-legacy/providers/Microsoft.Network/applicationGateways/agw-nw-legacy")]
	lb := agw.Facts.LoadBalancer
	if !attr.Any(lb.HTTPListener) || !attr.Any(lb.WeakTLS) || attr.Any(lb.WAF) || !attr.Any(lb.Public) {
		t.Errorf("agw-nw-legacy: %+v", lb)
	}
	sub := m["/subscriptions/8f2d6c3e-5b1a-4e7d-9c0f-2a4b6d8e1f37"]
	if sub.Facts.Account.Parent != "/providers/Microsoft.Management/managementGroups/mg-nw-prod" {
		t.Errorf("subscription parent %q", sub.Facts.Account.Parent)
	}
	// Every row no rule evaluates is listed as unsupported.
	listed := map[string]bool{}
	for _, res := range results {
		for id := range res.Unsupported {
			listed[strings.ToLower(id)] = true
		}
	}
	for id, r := range m {
		if (r.Class == resource.ClassOther) != listed[id] {
			t.Errorf("%s: class %s, listed as unsupported %v", r.ID, r.Class, listed[id])
		}
	}
}

const mi = sp + "Microsoft.ManagedIdentity/userAssignedIdentities/"

const identityRows = `[
{"id":"` + mi + `id-etl","name":"id-etl","type":"microsoft.managedidentity/userassignedidentities","location":"eastus",
 "properties":{"tenantId":"t","principalId":"aaaa0000-0000-0000-0000-000000000001","clientId":"cccc0000-0000-0000-0000-000000000001"}},
{"id":"` + mi + `id-bare","name":"id-bare","type":"microsoft.managedidentity/userassignedidentities","location":"eastus","properties":null},
{"id":"` + mi + `id-cli","name":"id-cli","type":"Microsoft.ManagedIdentity/userAssignedIdentities","location":"eastus","resourceGroup":"rg",
 "principalId":"aaaa0000-0000-0000-0000-000000000002","clientId":"cccc0000-0000-0000-0000-000000000002","tenantId":"t","tags":{}},
{"id":"` + sp + `Microsoft.Compute/virtualMachines/vm-both","name":"vm-both","type":"microsoft.compute/virtualmachines","location":"eastus",
 "identity":{"type":"SystemAssigned, UserAssigned","principalId":"bbbb0000-0000-0000-0000-000000000001","tenantId":"t",
  "userAssignedIdentities":{"` + mi + `id-etl":{"principalId":"aaaa0000-0000-0000-0000-000000000001","clientId":"cccc0000-0000-0000-0000-000000000001"}}},"properties":{}},
{"id":"` + sp + `Microsoft.Compute/virtualMachines/vm-user","name":"vm-user","type":"microsoft.compute/virtualmachines","location":"eastus",
 "identity":{"type":"UserAssigned","principalId":null,"userAssignedIdentities":{"` + mi + `id-etl":{}}},"properties":{}},
{"id":"` + sp + `Microsoft.Storage/storageAccounts/st1","name":"st1","type":"microsoft.storage/storageaccounts","location":"eastus",
 "identity":{"type":"SystemAssigned","principalId":"dddd0000-0000-0000-0000-000000000001"},"properties":{}},
{"id":"` + sp + `Microsoft.Storage/storageAccounts/st2","name":"st2","type":"microsoft.storage/storageaccounts","location":"eastus",
 "identity":{"type":"None"},"properties":{}}]`

// Managed identities carry the Entra object ID role assignments name: a
// user-assigned identity its principalId (then clientId, in a Resource
// Graph row or `az identity list` output), a resource with
// a system-assigned identity the identity's principalId.
func TestManagedIdentityAliases(t *testing.T) {
	res := parseDoc(t, identityRows)
	if len(res.Problems) > 0 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	m := byName(res)
	for name, want := range map[string][]string{
		"id-etl":  {"aaaa0000-0000-0000-0000-000000000001", "cccc0000-0000-0000-0000-000000000001"},
		"id-bare": nil,
		"id-cli":  {"aaaa0000-0000-0000-0000-000000000002", "cccc0000-0000-0000-0000-000000000002"},
		"vm-both": {"bbbb0000-0000-0000-0000-000000000001"},
		"vm-user": nil,
		"st1":     {"dddd0000-0000-0000-0000-000000000001"},
		"st2":     nil,
	} {
		if r := m[name]; r == nil || !reflect.DeepEqual(r.Aliases, want) {
			t.Errorf("%s: aliases %v, want %v", name, r.Aliases, want)
		}
	}
	if id := m["id-etl"]; id.Class != resource.ClassIdentity || id.Facts.Identity.Kind != "managed_identity" || id.ID != mi+"id-etl" {
		t.Errorf("user-assigned identity: %+v", id)
	}
	if vm := m["vm-both"]; !hasRel(vm, resource.RelRunsAs, mi+"id-etl") || vm.ID != sp+"Microsoft.Compute/virtualMachines/vm-both" {
		t.Errorf("vm-both: %+v", vm)
	}
}
