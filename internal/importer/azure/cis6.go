package azure

import (
	"sort"
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// More facts of CIS Microsoft Azure Foundations 6.0: Azure Files (9.1),
// storage redundancy (9.3.11), Key Vault logging (6.1.1.4), subnets with
// network security groups (7.11), Bastion hosts (8.4.1) and Application
// Insights (6.1.3.1).

// Types read for them (kept as class other).
const (
	TypeFileService = "Microsoft.Storage/storageAccounts/fileServices"
	TypeBastionHost = "Microsoft.Network/bastionHosts"
	TypeAppInsights = "Microsoft.Insights/components"
	// TypeEASMWorkspace is a Microsoft Defender External Attack Surface
	// Management workspace (CIS Azure 6.0 8.1.16).
	TypeEASMWorkspace = "Microsoft.Easm/workspaces"
	diagSettingsPath  = "/providers/microsoft.insights/diagnosticsettings/"
	// resourceDiagListingFile is where vigil collect writes the diagnostic
	// settings of a subscription's key vaults and Databricks workspaces,
	// even when there are none.
	resourceDiagListingFile = "resourcediagnosticsettings.json"
)

// smbVersions and smbChannelEncryption are the values the file service
// allows when protocolSettings.smb leaves them unset (Storage REST API,
// SmbSetting: "Should be passed as a string with delimiter ';'").
var (
	smbVersions          = []string{"SMB2.1", "SMB3.0", "SMB3.1.1"}
	smbChannelEncryption = []string{"AES-128-CCM", "AES-128-GCM", "AES-256-GCM"}
)

// subnetsWithoutNSG are the subnets Azure does not let carry a network
// security group (the VPN/ExpressRoute gateway, Azure Firewall and Route
// Server subnets).
var subnetsWithoutNSG = map[string]bool{
	"gatewaysubnet": true, "azurefirewallsubnet": true, "azurefirewallmanagementsubnet": true,
	"routeserversubnet": true,
}

// SubnetWithoutNSG says whether the subnet name is one Azure does not let
// carry a network security group (the IaC readers judge subnets alike).
func SubnetWithoutNSG(name string) bool { return subnetsWithoutNSG[strings.ToLower(name)] }

func init() {
	noFactTypes(TypeFileService, TypeBastionHost, TypeAppInsights, TypeEASMWorkspace)
	after(TypeStorageAccount, storageRedundancy)
	after(TypeVNet, subnetNSGs)
}

// cis6KeepsRaw lists the rows whose attributes finishCIS6 reads.
func cis6KeepsRaw(typ string) bool {
	return typ == TypeFileService || typ == TypeDiagnosticSetting || typ == TypeVNetGateway || typ == TypeIoTSecuritySolution ||
		typ == TypePolicyAssignment || typ == TypePolicySetDefinition || typ == TypeNSPAssociation
}

func storageRedundancy(r *resource.Resource, row, _ node) {
	s := r.Facts.Storage
	if s == nil {
		return
	}
	if sku, st := row.Str("sku", "name"); st == ok && sku != "" {
		s.GeoRedundant = resource.Bool(geoRedundant(sku))
	}
}

// subnetNSGs: every subnet that may have a network security group has
// one; unknown when a subnet is unreadable or the row lists no subnets.
func subnetNSGs(r *resource.Resource, _, p node) {
	n := r.Facts.Network
	if n == nil || !p.Present() {
		return
	}
	sns, st := p.Objs("subnets")
	if st != ok {
		return
	}
	missing := []string{}
	for _, sn := range sns {
		name, nst := sn.Str("name")
		if nst != ok || name == "" {
			return
		}
		if SubnetWithoutNSG(name) {
			continue
		}
		nsg, gst := sn.Obj("properties", "networkSecurityGroup")
		if gst == bad {
			return
		}
		if id, ist := nsg.Str("id"); ist == bad {
			return
		} else if id == "" {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	n.SubnetsNSG = resource.Bool(len(missing) == 0)
	n.SubnetsWithoutNSG = missing
}

// splitList splits a ";"-separated setting, dropping empty items; an empty
// setting is every value the service supports (all).
func splitList(v string, all []string) []string {
	var out []string
	for _, s := range strings.Split(v, ";") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return append([]string(nil), all...)
	}
	return out
}

// databricks reports whether r is a Databricks workspace with its facts.
func databricks(r *resource.Resource) bool {
	return r.Type == TypeDatabricks && r.Facts.Database != nil && r.Facts.Database.Databricks != nil
}

// sendsLogs reports whether a diagnostic setting sends logs to a
// destination: some enabled log, or with audit set, an enabled log of a
// Key Vault's audit category AuditEvent or of group audit or allLogs.
func sendsLogs(p node, audit bool) bool {
	dest := false
	for _, key := range []string{"storageAccountId", "workspaceId", "eventHubAuthorizationRuleId", "marketplacePartnerId"} {
		if p.S(key) != "" {
			dest = true
		}
	}
	if !dest {
		return false
	}
	logs, _ := p.Objs("logs")
	for _, l := range logs {
		if on := l.B("enabled"); on == nil || !*on {
			continue
		}
		g := strings.ToLower(l.S("categoryGroup"))
		if !audit || strings.EqualFold(l.S("category"), "AuditEvent") || g == "audit" || g == "alllogs" {
			return true
		}
	}
	return false
}

// finishCIS6 joins the file service rows to their storage accounts, the
// resource-scope diagnostic settings to their Key Vaults and Databricks
// workspaces, the Databricks workspaces to their VNets' subnets and the
// diagnostic settings to their storage accounts' keys, and sets the
// subscriptions' Bastion and Application Insights facts. byID holds the
// Azure resources of all by their lower-case IDs.
func finishCIS6(all []*resource.Resource, unread []string, byID map[string]*resource.Resource) (problems []attr.Problem) {
	type sub struct{ resources, bastion, insights, diagnostics, partial bool }
	unreadFile := map[string]bool{}
	for _, u := range unread {
		unreadFile[u] = true
	}
	subs := map[string]*sub{}
	get := func(s string) *sub {
		if subs[s] == nil {
			subs[s] = &sub{}
		}
		return subs[s]
	}
	var files, diags []*resource.Resource
	var gateways []*resource.Resource
	easm := false         // a Defender EASM workspace in any subscription of the input
	var iot iotDefender   // cis_iot.go
	var nsp nspPerimeters // cis_nsp.go
	var mcsb mcsbPolicies // cis_mcsb.go
	for _, r := range all {
		if r.Provider != resource.Azure {
			continue
		}
		iot.add(r)
		nsp.add(r)
		mcsb.add(r)
		s := get(r.Account)
		switch r.Type {
		case TypeFileService:
			files = append(files, r)
		case TypeDiagnosticSetting:
			if !subscriptionDiagnosticSetting(r.ID) {
				diags = append(diags, r)
				s.diagnostics = true
			}
		case TypeBastionHost:
			s.bastion = true
		case TypeAppInsights:
			s.insights = true
		case TypeEASMWorkspace:
			easm = true
		case TypeVNetGateway:
			gateways = append(gateways, r)
		}
		if r.Account != "" && !s.resources && resourcesTable(r.Type) { // asked once a subscription has none yet
			s.resources = true
		}
		s.partial = s.partial || unreadFile[r.Source]
	}
	read := rowReader(&problems)
	lockRoles, lockRolesMG, rolesKnown := lockAdminRoles(all) // cis_locks.go
	vpn := map[string]*vpnP2S{}                               // cis_vpn.go
	iot.read(read)
	nsp.read(read)
	mcsb.read(read)
	for _, g := range gateways {
		readVPNGateway(g, read, vpn)
	}
	for _, f := range files {
		l := strings.ToLower(f.ID)
		i := strings.Index(l, "/fileservices/")
		if i < 0 {
			continue
		}
		acct := byID[l[:i]]
		if acct == nil || acct.Facts.Storage == nil {
			continue
		}
		s := &resource.FileService{}
		acct.Facts.Storage.Files = s
		p, failed := read(f)
		del, dst := p.Boolean("shareDeleteRetentionPolicy", "enabled")
		versions, vst := p.Str("protocolSettings", "smb", "versions")
		enc, est := p.Str("protocolSettings", "smb", "channelEncryption")
		// A row with a wrong-typed field (properties itself, or a parent
		// object) keeps only what it states: an absent setting there is
		// not the default.
		broken := failed()
		known := func(st state) bool { return st == ok || (st == absent && !broken) }
		if known(dst) {
			s.SoftDelete = attr.BoolOr(del, false)
		}
		if known(vst) {
			s.SMBVersions = splitList(versions, smbVersions)
		}
		if known(est) {
			s.SMBChannelEncryption = splitList(enc, smbChannelEncryption)
		}
	}
	// Key Vault and Databricks logging: known false when the input holds
	// resource-scope diagnostic settings of the subscription (they were
	// collected), or vigil collect's listing of them, even empty
	// (resourcediagnosticsettings.json: its marker, an ID ending in
	// /providers/Microsoft.Insights/diagnosticSettings, is of no resource).
	vaultLogs, vaultBad := map[*resource.Resource]bool{}, map[*resource.Resource]bool{}
	for _, d := range diags {
		l := strings.ToLower(d.ID)
		i := strings.Index(l, diagSettingsPath)
		if i < 0 {
			continue
		}
		v := byID[l[:i]]
		if v == nil || (v.Facts.KeyVault == nil && !databricks(v)) {
			continue
		}
		p, failed := read(d)
		on := sendsLogs(p, v.Facts.KeyVault != nil)
		if failed() {
			vaultBad[v] = true
			continue
		}
		vaultLogs[v] = vaultLogs[v] || on
	}
	for _, r := range all {
		if r.Provider != resource.Azure {
			continue
		}
		var logged **bool
		switch {
		case r.Type == TypeKeyVault && r.Facts.KeyVault != nil:
			logged = &r.Facts.KeyVault.Logging
		case databricks(r):
			logged = &r.Facts.Database.Databricks.DiagnosticLogs
		}
		if databricks(r) {
			databricksSubnetNSGs(r.Facts.Database.Databricks, byID)
		}
		if r.Class == resource.ClassAuditLog && r.Facts.AuditLog != nil && subscriptionDiagnosticSetting(r.ID) {
			logStorageCMK(r.Facts.AuditLog, byID)
		}
		if logged != nil {
			switch {
			case vaultLogs[r]:
				*logged = resource.Bool(true)
			case get(r.Account).diagnostics && !vaultBad[r]:
				*logged = resource.Bool(false)
			}
		}
		if r.Type == TypeSubscription && r.Facts.Account != nil {
			if mcsb.listed[strings.ToLower(r.Account)] {
				if r.Facts.Account.CIS == nil {
					r.Facts.Account.CIS = &resource.AccountCIS{}
				}
				mcsb.set(r.Facts.Account.CIS, r.Account, managementGroupsAbove(r, byID))
			}
			s := get(r.Account)
			if !s.resources {
				continue
			}
			if r.Facts.Account.CIS == nil {
				r.Facts.Account.CIS = &resource.AccountCIS{}
			}
			r.Facts.Account.CIS.BastionHost = resource.Bool(s.bastion)
			r.Facts.Account.CIS.AppInsights = resource.Bool(s.insights)
			r.Facts.Account.CIS.EASM = resource.Bool(easm)
			iot.set(r.Facts.Account.CIS, r.Account)
			nsp.set(r.Facts.Account.CIS, r.Account)
			setVPNP2S(r.Facts.Account.CIS, vpn[r.Account], s.partial)
			setLockAdminRole(r.Facts.Account.CIS, r.Account, lockRoles, lockRolesMG, rolesKnown)
		}
	}
	return problems
}

// resourcesTable reports whether a type is a row of Resource Graph's
// resources table (not a container, an authorization or a security row).
func resourcesTable(typ string) bool {
	l := strings.ToLower(typ)
	for _, p := range []string{"microsoft.resources/", "microsoft.management/", "microsoft.authorization/", "microsoft.security/"} {
		if strings.HasPrefix(l, p) {
			return false
		}
	}
	return strings.Contains(l, "/") && !strings.EqualFold(typ, TypeDiagnosticSetting) && !strings.EqualFold(typ, TypeNSPAssociation)
}

// databricksSubnetNSGs sets whether an injected workspace's two subnets
// have network security groups, from its VNet's subnets: unknown when
// the VNet, or whether its subnets have groups, is not in the inventory.
func databricksSubnetNSGs(w *resource.DatabricksWorkspace, byID map[string]*resource.Resource) {
	vnet := byID[strings.ToLower(w.VNet)]
	if w.VNet == "" || len(w.Subnets) == 0 || vnet == nil || vnet.Facts.Network == nil || vnet.Facts.Network.SubnetsNSG == nil {
		return
	}
	covered := true
	for _, sn := range w.Subnets {
		for _, missing := range vnet.Facts.Network.SubnetsWithoutNSG {
			covered = covered && !strings.EqualFold(sn, missing)
		}
	}
	w.SubnetsNSG = resource.Bool(covered)
}

// logStorageCMK sets whether the storage account a subscription's
// diagnostic setting sends the activity log to encrypts it with a customer-managed key (CIS Azure
// 6.0 6.1.1.3): unknown when the destination is not a storage account of
// the inventory, or its key source is not known.
func logStorageCMK(a *resource.AuditLog, byID map[string]*resource.Resource) {
	dest := strings.ToLower(a.Destination)
	if !strings.Contains(dest, "/providers/microsoft.storage/storageaccounts/") {
		return
	}
	if sa := byID[dest]; sa != nil && sa.Facts.Storage != nil && sa.Facts.Storage.KeyManager != "" {
		a.EncryptedWithCMK = resource.Bool(sa.Facts.Storage.KeyManager == "customer")
	}
}
