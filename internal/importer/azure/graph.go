package azure

import (
	"context"
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Format is the name of the input format this package reads.
const Format = "azure-resource-graph"

// Canonical native type names, keyed by their lower-case form (Resource
// Graph lower-cases types).
var canonical = map[string]string{}

func init() {
	for _, t := range []string{
		TypeStorageAccount, TypeBlobService, TypeBlobContainer, TypeNSG, TypeVM, TypeNIC, TypePublicIP, TypeDisk,
		TypeSQLServer, TypeSQLFirewallRule, TypeSQLAuditing, TypePostgresFlexible, TypeMySQLFlexible,
		TypePostgresFirewallRule, TypeMySQLFirewallRule, TypeKeyVault, TypeKeyVaultKey, TypeVNet,
		TypeNetworkWatcher, TypeFlowLog, TypeDiagnosticSetting, TypePricing, TypeSecurityContact,
		TypeRoleAssignment, TypeRoleDefinition, TypeSubscription, TypeResourceGroup, TypeManagedIdentity,
	} {
		canonical[strings.ToLower(t)] = t
	}
}

// Native types vigil models.
const (
	TypeStorageAccount       = "Microsoft.Storage/storageAccounts"
	TypeBlobService          = "Microsoft.Storage/storageAccounts/blobServices"
	TypeBlobContainer        = "Microsoft.Storage/storageAccounts/blobServices/containers"
	TypeNSG                  = "Microsoft.Network/networkSecurityGroups"
	TypeVM                   = "Microsoft.Compute/virtualMachines"
	TypeNIC                  = "Microsoft.Network/networkInterfaces"
	TypePublicIP             = "Microsoft.Network/publicIPAddresses"
	TypeDisk                 = "Microsoft.Compute/disks"
	TypeSQLServer            = "Microsoft.Sql/servers"
	TypeSQLFirewallRule      = "Microsoft.Sql/servers/firewallRules"
	TypeSQLAuditing          = "Microsoft.Sql/servers/auditingSettings"
	TypePostgresFlexible     = "Microsoft.DBforPostgreSQL/flexibleServers"
	TypeMySQLFlexible        = "Microsoft.DBforMySQL/flexibleServers"
	TypePostgresFirewallRule = "Microsoft.DBforPostgreSQL/flexibleServers/firewallRules"
	TypeMySQLFirewallRule    = "Microsoft.DBforMySQL/flexibleServers/firewallRules"
	TypeKeyVault             = "Microsoft.KeyVault/vaults"
	TypeKeyVaultKey          = "Microsoft.KeyVault/vaults/keys"
	TypeVNet                 = "Microsoft.Network/virtualNetworks"
	TypeNetworkWatcher       = "Microsoft.Network/networkWatchers"
	TypeFlowLog              = "Microsoft.Network/networkWatchers/flowLogs"
	TypeDiagnosticSetting    = "Microsoft.Insights/diagnosticSettings"
	TypePricing              = "Microsoft.Security/pricings"
	TypeSecurityContact      = "Microsoft.Security/securityContacts"
	TypeRoleAssignment       = "Microsoft.Authorization/roleAssignments"
	TypeRoleDefinition       = "Microsoft.Authorization/roleDefinitions"
	TypeSubscription         = "Microsoft.Resources/subscriptions"
	TypeResourceGroup        = "Microsoft.Resources/subscriptions/resourceGroups"
	TypeManagedIdentity      = "Microsoft.ManagedIdentity/userAssignedIdentities"
)

// Detect returns Format when doc is a Resource Graph result or a list of
// Azure resource rows, else "".
func Detect(doc any) string {
	switch d := doc.(type) {
	case attr.M:
		if attr.Has(d, "data") && (attr.Has(d, "count") || attr.Has(d, "total_records") || attr.Has(d, "totalRecords") || attr.Has(d, "skip_token")) {
			if attr.Arr(d, "data") != nil {
				return Format
			}
		}
		if v := attr.Arr(d, "value"); v != nil && isRowList(v) {
			return Format
		}
		if isRow(d) {
			return Format
		}
	case []any:
		if isRowList(d) {
			return Format
		}
	}
	return ""
}

func isRowList(a []any) bool { return len(a) > 0 && isRow(attr.AsObj(a[0])) }

// isRow: a row has an ARM resource ID and a type.
func isRow(o attr.M) bool {
	if o == nil {
		return false
	}
	id := attr.Str(o, "id")
	if !strings.HasPrefix(id, "/subscriptions/") && !strings.HasPrefix(id, "/providers/") {
		return false
	}
	return attr.Str(o, "type") != ""
}

// Parse imports the rows of a decoded document Detect accepted.
func Parse(ctx context.Context, path string, doc any) *attr.Result {
	res := &attr.Result{Format: Format}
	var rows []any
	switch d := doc.(type) {
	case attr.M:
		switch {
		case isRow(d):
			rows = []any{d}
		case attr.Arr(d, "data") != nil:
			rows = attr.Arr(d, "data")
		default:
			rows = attr.Arr(d, "value")
		}
	case []any:
		rows = d
	}
	res.Resources = make([]*resource.Resource, 0, len(rows))
	for i, raw := range rows {
		if i%1024 == 0 && ctx.Err() != nil {
			return res
		}
		row := attr.AsObj(raw)
		if row == nil {
			res.Problems = append(res.Problems, attr.Problemf(0, 0, "row %d is not an object", i))
			continue
		}
		r, supported := normalize(path, row)
		if r == nil {
			res.Problems = append(res.Problems, attr.Problemf(0, 0, "row %d has no id", i))
			continue
		}
		res.Resources = append(res.Resources, r)
		if !supported {
			res.AddUnsupported(r)
		}
	}
	return res
}

// CanonicalType returns the canonical spelling of an Azure type name.
func CanonicalType(t string) string {
	if c, ok := canonical[strings.ToLower(t)]; ok {
		return c
	}
	return t
}

// SubscriptionOf returns the subscription ID in an ARM ID, or "".
func SubscriptionOf(id string) string {
	const p = "/subscriptions/"
	if len(id) < len(p) || !strings.EqualFold(id[:len(p)], p) {
		return ""
	}
	rest := id[len(p):]
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		rest = rest[:i]
	}
	return strings.ToLower(rest)
}

func normalize(path string, row attr.M) (*resource.Resource, bool) {
	id := attr.Str(row, "id")
	if id == "" {
		return nil, false
	}
	typ := CanonicalType(attr.Str(row, "type"))
	sub := strings.ToLower(attr.Str(row, "subscriptionId"))
	if sub == "" {
		sub = SubscriptionOf(id)
	}
	region := strings.ToLower(attr.Str(row, "location"))
	if region == "" {
		region = "global"
	}
	r := &resource.Resource{
		Provider: resource.Azure, Account: sub, Region: region, Type: typ, ID: id, Name: attr.Str(row, "name"),
		Tags: attr.Tags(getv(row, "tags")), Raw: row, Source: path, Class: resource.ClassOther,
	}
	if rg := attr.Str(row, "resourceGroup"); rg != "" && sub != "" {
		attr.Relate(r, "contained_in", "/subscriptions/"+sub+"/resourceGroups/"+rg)
	}
	fill, ok := normalizers[typ]
	if !ok {
		return r, false
	}
	props := attr.Obj(row, "properties")
	fill(r, row, props)
	return r, true
}

func getv(m attr.M, k string) any { v, _ := attr.Get(m, k); return v }

type normalizer func(r *resource.Resource, row, props attr.M)

func noFacts(*resource.Resource, attr.M, attr.M) {}

var normalizers = map[string]normalizer{
	TypeStorageAccount:       storageAccount,
	TypeBlobService:          noFacts,
	TypeBlobContainer:        noFacts,
	TypeNSG:                  nsg,
	TypeVM:                   vm,
	TypeNIC:                  noFacts,
	TypePublicIP:             noFacts,
	TypeDisk:                 noFacts,
	TypeSQLServer:            sqlServer,
	TypeSQLFirewallRule:      noFacts,
	TypeSQLAuditing:          noFacts,
	TypePostgresFlexible:     flexibleServer("postgres"),
	TypeMySQLFlexible:        flexibleServer("mysql"),
	TypePostgresFirewallRule: noFacts,
	TypeMySQLFirewallRule:    noFacts,
	TypeKeyVault:             keyVault,
	TypeKeyVaultKey:          vaultKey,
	TypeVNet:                 vnet,
	TypeNetworkWatcher:       noFacts,
	TypeFlowLog:              noFacts,
	TypeDiagnosticSetting:    diagnosticSetting,
	TypePricing:              noFacts,
	TypeSecurityContact:      noFacts,
	TypeRoleAssignment:       roleAssignment,
	TypeRoleDefinition:       roleDefinition,
	TypeSubscription:         subscription,
	TypeResourceGroup:        noFacts,
	TypeManagedIdentity:      managedIdentity,
}

func storageAccount(r *resource.Resource, _, p attr.M) {
	r.Class = resource.ClassObjectStorage
	s := &resource.ObjectStorage{}
	r.Facts.Storage = s
	if p == nil {
		return
	}
	if allow := attr.Bool(p, "allowBlobPublicAccess"); allow != nil {
		s.PublicAccessBlocked = resource.Bool(!*allow)
		if !*allow {
			s.PublicAccess = resource.Bool(false)
		}
	}
	s.SecureTransportOnly = attr.Bool(p, "supportsHttpsTrafficOnly")
	if v := attr.Str(p, "minimumTlsVersion"); v != "" {
		s.MinTLSVersion = strings.ReplaceAll(strings.TrimPrefix(strings.ToUpper(v), "TLS"), "_", ".")
	}
	if enc := attr.Obj(p, "encryption"); enc != nil {
		// Azure Storage encrypts all data at rest; the key source says whose key.
		s.Encrypted = resource.Bool(true)
		if on := attr.Bool(enc, "services", "blob", "enabled"); on != nil {
			s.Encrypted = on
		}
		switch strings.ToLower(attr.Str(enc, "keySource")) {
		case "microsoft.keyvault":
			s.KeyManager = "customer"
		case "microsoft.storage":
			s.KeyManager = "provider"
		}
	}
	if acl := attr.Obj(p, "networkAcls"); acl != nil {
		s.NetworkDefaultDeny = resource.Bool(strings.EqualFold(attr.Str(acl, "defaultAction"), "Deny"))
	}
	if strings.EqualFold(attr.Str(p, "publicNetworkAccess"), "Disabled") {
		s.NetworkDefaultDeny = resource.Bool(true)
	}
}

func nsg(r *resource.Resource, _, p attr.M) {
	r.Class = resource.ClassFirewall
	fw := &resource.Firewall{Default: resource.Bool(false)}
	r.Facts.Firewall = fw
	if p == nil {
		return
	}
	fw.Rules = []resource.FirewallRule{}
	for _, key := range []string{"securityRules", "defaultSecurityRules"} {
		for _, sr := range attr.Objs(p, key) {
			fw.Rules = append(fw.Rules, nsgRule(sr)...)
		}
	}
	_, hasNICs := attr.Get(p, "networkInterfaces")
	_, hasSubnets := attr.Get(p, "subnets")
	if hasNICs || hasSubnets {
		fw.InUse = resource.Bool(len(attr.Arr(p, "networkInterfaces")) > 0 || len(attr.Arr(p, "subnets")) > 0)
	}
}

// nsgRule normalizes one security rule (ARM shape with nested properties,
// or flat): one FirewallRule per destination port range.
func nsgRule(sr attr.M) []resource.FirewallRule {
	p := attr.Obj(sr, "properties")
	if p == nil {
		p = sr
	}
	dir := "ingress"
	if strings.EqualFold(attr.Str(p, "direction"), "Outbound") {
		dir = "egress"
	}
	action := strings.ToLower(attr.Str(p, "access"))
	srcs := attr.Strs(p, "sourceAddressPrefixes")
	if s := attr.Str(p, "sourceAddressPrefix"); s != "" {
		srcs = append(srcs, s)
	}
	for _, asg := range attr.Objs(p, "sourceApplicationSecurityGroups") {
		srcs = append(srcs, attr.Str(asg, "id"))
	}
	ports := attr.Strs(p, "destinationPortRanges")
	if s := attr.Str(p, "destinationPortRange"); s != "" {
		ports = append(ports, s)
	}
	if len(ports) == 0 {
		ports = []string{"*"}
	}
	prio := 0
	if v := attr.Int(p, "priority"); v != nil {
		prio = *v
	}
	base := resource.FirewallRule{
		Direction: dir, Action: action, Protocol: attr.Protocol(attr.Str(p, "protocol")),
		Sources: attr.NormSources(srcs), Priority: prio,
	}
	out := make([]resource.FirewallRule, 0, len(ports))
	for _, pr := range ports {
		from, to, ok := attr.PortRange(pr)
		if !ok {
			continue
		}
		rule := base
		rule.FromPort, rule.ToPort = from, to
		out = append(out, rule)
	}
	return out
}

func vm(r *resource.Resource, row, p attr.M) {
	r.Class = resource.ClassCompute
	c := &resource.Compute{}
	r.Facts.Compute = c
	if t := attr.Str(row, "identity", "type"); t != "" && !strings.EqualFold(t, "None") {
		c.Identity = t
	}
	if p == nil {
		return
	}
	if os := attr.Obj(p, "storageProfile", "osDisk"); os != nil {
		switch {
		case attr.Any(attr.Bool(os, "encryptionSettings", "enabled"), attr.Bool(p, "securityProfile", "encryptionAtHost")):
			c.DiskEncrypted = resource.Bool(true)
		case attr.Obj(os, "managedDisk") != nil:
			// Managed disks are always encrypted at rest (platform- or customer-managed key).
			c.DiskEncrypted = resource.Bool(true)
		}
		if id := attr.Str(os, "managedDisk", "id"); id != "" {
			attr.Relate(r, "uses_disk", id)
		}
	}
	c.SecureBoot = attr.Bool(p, "securityProfile", "uefiSettings", "secureBootEnabled")
	if code := attr.Str(p, "extended", "instanceView", "powerState", "code"); code != "" {
		c.State = strings.TrimPrefix(code, "PowerState/")
	}
	for _, nic := range attr.Objs(p, "networkProfile", "networkInterfaces") {
		attr.Relate(r, "uses_nic", attr.Str(nic, "id"))
	}
}

func sqlServer(r *resource.Resource, _, p attr.M) {
	r.Class = resource.ClassDatabase
	d := &resource.Database{Engine: "sqlserver"}
	r.Facts.Database = d
	if p == nil {
		return
	}
	if pna := attr.Str(p, "publicNetworkAccess"); pna != "" {
		d.PublicEndpoint = resource.Bool(strings.EqualFold(pna, "Enabled"))
	}
	for _, fr := range attr.Objs(p, "firewallRules") {
		addFirewallRange(d, fr)
	}
}

// addFirewallRange adds a firewall rule's start-end range to the
// authorized networks: 0.0.0.0-255.255.255.255 as "0.0.0.0/0", a single
// address as itself, others as "start-end".
func addFirewallRange(d *resource.Database, fr attr.M) {
	p := attr.Obj(fr, "properties")
	if p == nil {
		p = fr
	}
	start, end := attr.Str(p, "startIpAddress"), attr.Str(p, "endIpAddress")
	var n string
	switch {
	case start == "":
		return
	case start == "0.0.0.0" && end == "255.255.255.255":
		n = "0.0.0.0/0"
	case start == end || end == "":
		n = start
	default:
		n = start + "-" + end
	}
	for _, have := range d.AuthorizedNetworks {
		if have == n {
			return
		}
	}
	d.AuthorizedNetworks = append(d.AuthorizedNetworks, n)
}

func flexibleServer(engine string) normalizer {
	return func(r *resource.Resource, _, p attr.M) {
		r.Class = resource.ClassDatabase
		d := &resource.Database{Engine: engine}
		r.Facts.Database = d
		if p == nil {
			return
		}
		if pna := attr.Str(p, "network", "publicNetworkAccess"); pna != "" {
			d.PublicEndpoint = resource.Bool(strings.EqualFold(pna, "Enabled"))
		}
		// Flexible servers always encrypt storage; the data encryption type says whose key.
		d.Encrypted = resource.Bool(true)
		d.KeyManager = "provider"
		if strings.EqualFold(attr.Str(p, "dataEncryption", "type"), "AzureKeyVault") {
			d.KeyManager = "customer"
		}
		if days := attr.Int(p, "backup", "backupRetentionDays"); days != nil {
			d.BackupRetentionDays = days
			d.BackupEnabled = resource.Bool(*days > 0)
		}
		if ha := attr.Str(p, "highAvailability", "mode"); ha != "" {
			d.MultiAZ = resource.Bool(!strings.EqualFold(ha, "Disabled"))
		}
	}
}

func keyVault(r *resource.Resource, _, p attr.M) {
	r.Class = resource.ClassKeyVault
	kv := &resource.KeyVault{}
	r.Facts.KeyVault = kv
	if p == nil {
		return
	}
	// Since 2020 soft delete cannot be turned off; purge protection and
	// RBAC are omitted from the properties when they were never enabled.
	kv.SoftDelete = attr.BoolOr(attr.Bool(p, "enableSoftDelete"), true)
	kv.PurgeProtection = attr.BoolOr(attr.Bool(p, "enablePurgeProtection"), false)
	kv.RBACAuthorization = attr.BoolOr(attr.Bool(p, "enableRbacAuthorization"), false)
	public := !strings.EqualFold(attr.Str(p, "publicNetworkAccess"), "Disabled")
	if acl := attr.Obj(p, "networkAcls"); acl != nil && strings.EqualFold(attr.Str(acl, "defaultAction"), "Deny") {
		public = false
	}
	kv.PublicNetwork = resource.Bool(public)
}

func vaultKey(r *resource.Resource, _, p attr.M) {
	r.Class = resource.ClassKey
	k := &resource.Key{CustomerManaged: resource.Bool(true)}
	r.Facts.Key = k
	if p == nil {
		return
	}
	if a := attr.Obj(p, "attributes"); a != nil {
		k.Enabled = attr.Bool(a, "enabled")
		if exp := attr.Int(a, "exp"); exp != nil && *exp > 0 {
			k.Expires = unixRFC3339(int64(*exp))
		}
		k.ExpirySet = resource.Bool(k.Expires != "")
	}
	if kty := attr.Str(p, "kty"); kty != "" {
		k.Symmetric = resource.Bool(strings.HasPrefix(strings.ToLower(kty), "oct"))
	}
	if rp, ok := attr.Get(p, "rotationPolicy"); ok {
		rotate := false
		for _, la := range attr.Objs(attr.AsObj(rp), "lifetimeActions") {
			if strings.EqualFold(attr.Str(la, "action", "type"), "rotate") {
				rotate = true
				if d := isoDays(attr.Str(la, "trigger", "timeAfterCreate")); d != nil {
					k.RotationPeriodDays = d
				}
			}
		}
		k.RotationEnabled = resource.Bool(rotate)
	}
}

func vnet(r *resource.Resource, _, p attr.M) {
	r.Class = resource.ClassNetwork
	r.Facts.Network = &resource.Network{}
	for _, sn := range attr.Objs(p, "subnets") {
		if id := attr.Str(sn, "properties", "networkSecurityGroup", "id"); id != "" {
			attr.Relate(r, "subnet_nsg", id)
		}
	}
}

// subscriptionDiagnosticSetting reports whether an ID is a diagnostic
// setting of the subscription itself (the activity log export).
func subscriptionDiagnosticSetting(id string) bool {
	parts := strings.Split(strings.Trim(id, "/"), "/")
	return len(parts) == 6 && strings.EqualFold(parts[0], "subscriptions") && strings.EqualFold(parts[2], "providers") &&
		strings.EqualFold(parts[3], "microsoft.insights") && strings.EqualFold(parts[4], "diagnosticSettings")
}

// cisActivityCategories are the activity log categories CIS Azure requires
// a subscription diagnostic setting to capture.
var cisActivityCategories = []string{"Administrative", "Alert", "Policy", "Security"}

func diagnosticSetting(r *resource.Resource, row, p attr.M) {
	if !subscriptionDiagnosticSetting(r.ID) {
		return // a resource's own diagnostic setting: kept as class other
	}
	if p == nil {
		p = row // `az monitor diagnostic-settings subscription list` is flat
	}
	r.Class = resource.ClassAuditLog
	r.Region = "global"
	a := &resource.AuditLog{}
	r.Facts.AuditLog = a
	enabled := map[string]bool{}
	any := false
	var retention *int
	for _, l := range attr.Objs(p, "logs") {
		if !attr.Any(attr.Bool(l, "enabled")) {
			continue
		}
		any = true
		enabled[strings.ToLower(attr.Str(l, "category"))] = true
		if g := strings.ToLower(attr.Str(l, "categoryGroup")); g == "alllogs" || g == "audit" {
			for _, c := range cisActivityCategories {
				enabled[strings.ToLower(c)] = true
			}
		}
		if attr.Any(attr.Bool(l, "retentionPolicy", "enabled")) {
			if d := attr.Int(l, "retentionPolicy", "days"); d != nil && *d > 0 && (retention == nil || *d < *retention) {
				retention = d
			}
		}
	}
	a.Enabled = resource.Bool(any)
	all := true
	for _, c := range cisActivityCategories {
		all = all && enabled[strings.ToLower(c)]
	}
	a.AllServices = resource.Bool(all)
	a.RetentionDays = retention
	for _, k := range []string{"storageAccountId", "workspaceId", "eventHubAuthorizationRuleId"} {
		if d := attr.Str(p, k); d != "" {
			a.Destination = d
			attr.Relate(r, "delivers_to", d)
			break
		}
	}
}

func roleAssignment(r *resource.Resource, _, p attr.M) {
	r.Class = resource.ClassIAMBinding
	r.Region = "global"
	b := &resource.Binding{}
	r.Facts.Binding = b
	if p == nil {
		return
	}
	b.Principal = attr.Str(p, "principalId")
	b.PrincipalType = attr.Str(p, "principalType")
	b.Role = attr.Str(p, "roleDefinitionId")
	b.Scope = attr.Str(p, "scope")
	b.ScopeLevel = scopeLevel(b.Scope)
	b.Public = resource.Bool(false)
	if r.Account == "" {
		r.Account = SubscriptionOf(b.Scope)
	}
	b.RoleName = builtinRoles[roleGUID(b.Role)]
	attr.Relate(r, "grants_on", b.Scope)
	attr.Relate(r, "uses_role", b.Role)
}

// Built-in role definition GUIDs vigil resolves without the definitions.
var builtinRoles = map[string]string{
	"8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
	"b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
	"18d7d88d-d35e-4fb5-a5c3-7773c2a72d9d": "User Access Administrator",
	"acdd72a7-3385-48ef-bd42-f606fba81ae7": "Reader",
}

func roleGUID(id string) string {
	if i := strings.LastIndexByte(id, '/'); i >= 0 {
		id = id[i+1:]
	}
	return strings.ToLower(id)
}

// scopeLevel classifies an ARM scope.
func scopeLevel(scope string) string {
	parts := strings.Split(strings.Trim(scope, "/"), "/")
	switch {
	case scope == "/" || scope == "":
		if scope == "" {
			return ""
		}
		return "organization"
	case strings.EqualFold(parts[0], "providers") && len(parts) >= 2 && strings.EqualFold(parts[1], "Microsoft.Management"):
		return "organization"
	case strings.EqualFold(parts[0], "subscriptions") && len(parts) == 2:
		return "account"
	case strings.EqualFold(parts[0], "subscriptions") && len(parts) == 4 && strings.EqualFold(parts[2], "resourceGroups"):
		return "resource_group"
	}
	return "resource"
}

func roleDefinition(r *resource.Resource, _, p attr.M) {
	r.Region = "global"
	r.Class = resource.ClassRole
	rd := &resource.RoleDefinition{}
	r.Facts.Role = rd
	if p == nil {
		return
	}
	if n := attr.Str(p, "roleName"); n != "" {
		r.Name = n
	}
	if t := attr.Str(p, "type"); t != "" {
		rd.Custom = resource.Bool(strings.EqualFold(t, "CustomRole"))
	}
	full := false
	for _, perm := range attr.Objs(p, "permissions") {
		acts := attr.Strs(perm, "actions")
		rd.Actions = append(rd.Actions, acts...)
		for _, a := range acts {
			if a == "*" {
				full = true
			}
		}
	}
	rd.FullAdmin = resource.Bool(full)
	rd.AssignableScopes = attr.Strs(p, "assignableScopes")
	sub := false
	for _, s := range rd.AssignableScopes {
		if l := scopeLevel(s); l == "account" || l == "organization" {
			sub = true
		}
	}
	rd.SubscriptionScope = resource.Bool(sub)
}

func subscription(r *resource.Resource, row, p attr.M) {
	r.Class = resource.ClassAccount
	r.Region = "global"
	r.Facts.Account = &resource.Account{}
	if dn := attr.Str(p, "displayName"); dn != "" && r.Name == "" {
		r.Name = dn
	}
}

func managedIdentity(r *resource.Resource, _, p attr.M) {
	r.Class = resource.ClassIdentity
	r.Facts.Identity = &resource.Identity{Kind: "managed_identity"}
}
