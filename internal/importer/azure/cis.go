package azure

import (
	"sort"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Facts of the CIS Microsoft Azure Foundations controls read from rows the
// importer already models (storage accounts, Key Vaults, VNets) and from
// subscription-level rows (Defender pricings, security contacts, activity
// log alerts, Owner role assignments).

// ownerRoleGUID is the ID of the built-in Owner role definition.
const ownerRoleGUID = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"

// TypeActivityLogAlert is an activity log alert rule (resources table).
const TypeActivityLogAlert = "Microsoft.Insights/activityLogAlerts"

// TypeWAFPolicy is an Application Gateway WAF policy (resources table).
const TypeWAFPolicy = "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies"

// TypeSecuritySetting is a Microsoft Defender for Cloud setting of a
// subscription (GET .../providers/Microsoft.Security/settings, az security
// setting list): MCAS, WDATP, Sentinel..., each {"kind", "properties":
// {"enabled"}}.
const TypeSecuritySetting = "Microsoft.Security/settings"

// relWAFPolicy links an application gateway to its WAF policy.
const relWAFPolicy = "uses_waf_policy"

func init() {
	noFactTypes(TypeActivityLogAlert, TypeWAFPolicy, TypeSecuritySetting)
	after(TypeAppGateway, appGatewayCIS)
	after(TypeStorageAccount, storageCIS)
	after(TypeKeyVault, keyVaultCIS)
	after(TypeVNet, vnetCIS)
}

// after runs extra once the type's normalizer has filled the resource.
func after(typ string, extra normalizer) {
	base := normalizers[typ]
	normalizers[typ] = func(r *resource.Resource, row, p node) {
		base(r, row, p)
		extra(r, row, p)
	}
}

// cisKeepsRaw lists the rows whose attributes finishCIS reads.
func cisKeepsRaw(typ string) bool {
	return typ == TypeActivityLogAlert || typ == TypeWAFPolicy || typ == TypeSecuritySetting || typ == TypeServerVASetting
}

// appGatewayCIS reads HTTP/2 and, for a gateway with the WAF configuration
// of the gateway itself, its request body inspection (such a configuration
// has no bot protection rule set); a WAF policy is joined by finishCIS.
func appGatewayCIS(r *resource.Resource, _, p node) {
	lb := r.Facts.LoadBalancer
	if lb == nil || !p.Present() {
		return
	}
	lb.HTTP2 = p.B("enableHttp2")
	if id := p.S("firewallPolicy", "id"); id != "" {
		attr.Relate(r, relWAFPolicy, id)
		return
	}
	if on := p.B("webApplicationFirewallConfiguration", "enabled"); on != nil && *on {
		lb.WAFRequestBodyCheck = p.B("webApplicationFirewallConfiguration", "requestBodyCheck")
		lb.WAFBotProtection = resource.Bool(false)
	}
}

// wafPolicy reads a WAF policy row: request body inspection and the bot
// protection rule set; a disabled policy inspects nothing.
func wafPolicy(p node) (body, bot *bool) {
	state, _ := p.Str("policySettings", "state")
	body = p.B("policySettings", "requestBodyCheck")
	if sets, st := p.Objs("managedRules", "managedRuleSets"); st == ok {
		bot = resource.Bool(false)
		for _, set := range sets {
			if strings.EqualFold(set.S("ruleSetType"), "Microsoft_BotManagerRuleSet") {
				bot = resource.Bool(true)
			}
		}
	}
	if strings.EqualFold(state, "Disabled") {
		body, bot = resource.Bool(false), resource.Bool(false)
	}
	return body, bot
}

// privateEndpoint reads privateEndpointConnections: true when one is
// approved, false when the list is empty or every connection's state is
// read and none is approved, nil when absent or a state is unreadable.
func privateEndpoint(p node) *bool {
	pecs, st := p.Objs("privateEndpointConnections")
	if st != ok {
		return nil
	}
	unreadable := false
	for _, c := range pecs {
		status, sst := c.Str("properties", "privateLinkServiceConnectionState", "status")
		if sst == absent && !c.Has("properties") {
			status, sst = c.Str("privateLinkServiceConnectionState", "status")
		}
		switch {
		case sst == ok && strings.EqualFold(status, "Approved"):
			return resource.Bool(true)
		case sst != ok:
			unreadable = true
		}
	}
	if unreadable {
		return nil
	}
	return resource.Bool(false)
}

func storageCIS(r *resource.Resource, _, p node) {
	s := r.Facts.Storage
	if s == nil || !p.Present() {
		return
	}
	// allowSharedKeyAccess: "The default value is null, which is
	// equivalent to true"; defaultToOAuthAuthentication: "The default
	// interpretation is false" (Storage REST API, StorageAccountProperties).
	if v, st := p.Boolean("allowSharedKeyAccess"); st != bad {
		s.SharedKeyAccess = attr.BoolOr(v, true)
	}
	if v, st := p.Boolean("defaultToOAuthAuthentication"); st != bad {
		s.DefaultOAuth = attr.BoolOr(v, false)
	}
	// Its default depends on the account's creation date: absent is unknown.
	s.CrossTenantReplication = p.B("allowCrossTenantReplication")
	switch p.Enum(k("publicNetworkAccess"), "Enabled", "Disabled", "SecuredByPerimeter") {
	case 0:
		s.PublicNetwork = resource.Bool(true)
	case 1, 2:
		s.PublicNetwork = resource.Bool(false)
	}
	s.PrivateEndpoint = privateEndpoint(p)
	// keyPolicy is left out of the row when no expiration period is set.
	if days, st := p.Integer("keyPolicy", "keyExpirationPeriodInDays"); st != bad {
		s.KeyExpirationPolicy = resource.Bool(days != nil && *days > 0)
	}
	k1, _ := p.Str("keyCreationTime", "key1")
	k2, _ := p.Str("keyCreationTime", "key2")
	t1, err1 := time.Parse(time.RFC3339, k1)
	t2, err2 := time.Parse(time.RFC3339, k2)
	if err1 == nil && err2 == nil {
		if t2.Before(t1) {
			t1 = t2
		}
		s.KeysCreated = t1.UTC().Format(time.RFC3339)
	}
	if bypass, st := p.Str("networkAcls", "bypass"); st == ok {
		on := false
		for _, b := range strings.Split(bypass, ",") {
			if strings.EqualFold(strings.TrimSpace(b), "AzureServices") {
				on = true
			}
		}
		s.TrustedServicesBypass = resource.Bool(on)
	}
}

func keyVaultCIS(r *resource.Resource, _, p node) {
	if kv := r.Facts.KeyVault; kv != nil && p.Present() {
		kv.PrivateEndpoint = privateEndpoint(p)
	}
}

func vnetCIS(r *resource.Resource, _, p node) {
	if n := r.Facts.Network; n != nil && p.Present() {
		n.DDoSProtection = p.B("enableDdosProtection")
	}
}

// defenderPlan maps a pricing name to its field of DefenderPlans.
func defenderPlan(d *resource.DefenderPlans, name string) **bool {
	switch strings.ToLower(name) {
	case "cloudposture":
		return &d.CSPM
	case "api":
		return &d.APIs
	case "virtualmachines":
		return &d.Servers
	case "containers":
		return &d.Containers
	case "storageaccounts":
		return &d.Storage
	case "appservices":
		return &d.AppServices
	case "cosmosdbs":
		return &d.CosmosDB
	case "opensourcerelationaldatabases":
		return &d.OpenSourceDatabases
	case "sqlservers":
		return &d.SQLDatabases
	case "sqlservervirtualmachines":
		return &d.SQLServersOnMachines
	case "keyvaults":
		return &d.KeyVaults
	case "arm":
		return &d.ResourceManager
	}
	return nil
}

// The operations of the activity log alerts of CIS Azure 6.1.2.1-6.1.2.10.
func alertOperation(a *resource.ActivityLogAlerts, op string) **bool {
	switch strings.ToLower(op) {
	case "microsoft.authorization/policyassignments/write":
		return &a.PolicyAssignmentWrite
	case "microsoft.authorization/policyassignments/delete":
		return &a.PolicyAssignmentDelete
	case "microsoft.network/networksecuritygroups/write":
		return &a.NSGWrite
	case "microsoft.network/networksecuritygroups/delete":
		return &a.NSGDelete
	case "microsoft.security/securitysolutions/write":
		return &a.SecuritySolutionWrite
	case "microsoft.security/securitysolutions/delete":
		return &a.SecuritySolutionDelete
	case "microsoft.sql/servers/firewallrules/write":
		return &a.SQLFirewallRuleWrite
	case "microsoft.sql/servers/firewallrules/delete":
		return &a.SQLFirewallRuleDelete
	case "microsoft.network/publicipaddresses/write":
		return &a.PublicIPWrite
	case "microsoft.network/publicipaddresses/delete":
		return &a.PublicIPDelete
	}
	return nil
}

// leafValues returns the values a condition leaf (equals, or containsAny)
// accepts for field, and whether the leaf is about field.
func leafValues(leaf node, field string) ([]string, bool) {
	if !strings.EqualFold(leaf.S("field"), field) {
		return nil, false
	}
	if v := leaf.S("equals"); v != "" {
		return []string{v}, true
	}
	vs, _ := leaf.Strs("containsAny")
	return vs, true
}

// alertCovers marks in a the operations (and service health) an alert
// condition fires on: leaves of allOf, and of anyOf groups inside it.
func alertCovers(a *resource.ActivityLogAlerts, cond node) {
	leaves, _ := cond.Objs("allOf")
	var all []node
	category := ""
	for _, l := range leaves {
		if anyOf, st := l.Objs("anyOf"); st == ok {
			all = append(all, anyOf...)
			continue
		}
		if vs, is := leafValues(l, "category"); is && len(vs) == 1 {
			category = vs[0]
		}
		all = append(all, l)
	}
	if strings.EqualFold(category, "ServiceHealth") {
		a.ServiceHealth = resource.Bool(true)
		return
	}
	if category != "" && !strings.EqualFold(category, "Administrative") {
		return
	}
	for _, l := range all {
		ops, is := leafValues(l, "operationName")
		if !is {
			continue
		}
		for _, op := range ops {
			if f := alertOperation(a, op); f != nil {
				*f = resource.Bool(true)
			}
		}
	}
}

// finishCIS sets the subscription facts of accounts from the subscription
// rows of all: Defender plans, security contact notifications, activity
// log alerts and the number of Owners.
func finishCIS(all []*resource.Resource) (problems []attr.Problem) {
	type sub struct {
		defender      *resource.DefenderPlans
		wdatp         *bool // the WDATP setting's enabled; nil: no row, or one that could not be read
		vaListed      bool  // the vulnerability assessment settings were listed (cis_va.go)
		vaOn, vaBad   bool  // one selects a provider; one could not be read
		notify        *resource.SecurityNotifications
		contactsBad   bool
		alerts        *resource.ActivityLogAlerts
		alertsBad     bool
		owners        int
		ownersUnknown bool
		regions       map[string]bool // regions holding resources
		watchers      map[string]bool // regions with a network watcher
	}
	subs := map[string]*sub{}
	get := func(s string) *sub {
		if subs[s] == nil {
			subs[s] = &sub{}
		}
		return subs[s]
	}
	read := rowReader(&problems)
	var accounts, gateways []*resource.Resource
	type waf struct{ body, bot *bool }
	policies := map[string]waf{}
	alertRows, assignmentRows, watcherRows := false, false, false
	for _, r := range all {
		if r.Provider != resource.Azure {
			continue
		}
		if region := strings.ToLower(r.Region); r.Account != "" && region != "" && region != "global" {
			s := get(r.Account)
			switch r.Type {
			case TypeNetworkWatcher:
				watcherRows = true
				if s.watchers == nil {
					s.watchers = map[string]bool{}
				}
				s.watchers[region] = true
			case TypeFlowLog, TypeResourceGroup, TypeSubscription:
				// a flow log lives in its watcher's region; a resource group holds nothing by itself
			default:
				if s.regions == nil {
					s.regions = map[string]bool{}
				}
				s.regions[region] = true
			}
		}
		switch r.Type {
		case TypeSubscription:
			accounts = append(accounts, r)
		case TypeAppGateway:
			gateways = append(gateways, r)
		case TypeWAFPolicy:
			p, failed := read(r)
			body, bot := wafPolicy(p)
			if failed() {
				body, bot = nil, nil
			}
			policies[strings.ToLower(r.ID)] = waf{body, bot}
		case TypePricing:
			p, failed := read(r)
			tier, _ := p.Str("pricingTier")
			if failed() || tier == "" {
				continue
			}
			s := get(r.Account)
			if s.defender == nil {
				s.defender = &resource.DefenderPlans{}
			}
			if f := defenderPlan(s.defender, r.Name); f != nil {
				*f = resource.Bool(strings.EqualFold(tier, "Standard"))
			}
			if strings.EqualFold(r.Name, "VirtualMachines") {
				serverExtensions(s.defender, p, strings.EqualFold(tier, "Standard"))
			}
		case TypeServerVASetting:
			s := get(r.Account)
			on, bad := serverVA(r, read)
			s.vaListed, s.vaOn, s.vaBad = true, s.vaOn || on, s.vaBad || bad
		case TypeSecuritySetting:
			if !strings.EqualFold(r.Name, "WDATP") {
				continue
			}
			p, failed := read(r)
			enabled, _ := p.Boolean("enabled")
			if failed() || enabled == nil {
				continue
			}
			get(r.Account).wdatp = enabled
		case TypeSecurityContact:
			s := get(r.Account)
			p, failed := read(r)
			enabled, _ := p.Boolean("isEnabled")
			byRoleState, _ := p.Str("notificationsByRole", "state")
			roles, _ := p.Strs("notificationsByRole", "roles")
			sources, _ := p.Objs("notificationsSources")
			alertState, ast := p.Str("alertNotifications", "state")
			if ast == bad {
				alertState, _ = p.Str("alertNotifications") // 2017-08-01-preview: "On"
			}
			toAdmins, _ := p.Str("alertsToAdmins")
			var srcTypes []string
			for _, src := range sources {
				srcTypes = append(srcTypes, src.S("sourceType"))
			}
			if failed() {
				s.contactsBad = true
				continue
			}
			if s.notify == nil {
				s.notify = &resource.SecurityNotifications{
					OwnerNotified: resource.Bool(false), AlertNotifications: resource.Bool(false),
					AttackPathNotifications: resource.Bool(false),
				}
			}
			if enabled != nil && !*enabled {
				continue // the contact is turned off: it notifies no one
			}
			owner := strings.EqualFold(toAdmins, "On")
			if strings.EqualFold(byRoleState, "On") {
				for _, role := range roles {
					owner = owner || strings.EqualFold(role, "Owner")
				}
			}
			if owner {
				s.notify.OwnerNotified = resource.Bool(true)
			}
			if strings.EqualFold(alertState, "On") {
				s.notify.AlertNotifications = resource.Bool(true)
			}
			for _, t := range srcTypes {
				switch {
				case strings.EqualFold(t, "Alert"):
					s.notify.AlertNotifications = resource.Bool(true)
				case strings.EqualFold(t, "AttackPath"):
					s.notify.AttackPathNotifications = resource.Bool(true)
				}
			}
		case TypeActivityLogAlert:
			alertRows = true
			p, failed := read(r)
			enabled, _ := p.Boolean("enabled")
			scopes, _ := p.Strs("scopes")
			cond, _ := p.Obj("condition")
			covered := &resource.ActivityLogAlerts{}
			alertCovers(covered, cond)
			bad := failed()
			for _, scope := range scopes {
				sid := SubscriptionOf(scope)
				if sid == "" || !strings.EqualFold(strings.TrimRight(scope, "/"), SubscriptionID(sid)) {
					continue // a resource group or resource scope covers part of the subscription
				}
				s := get(strings.ToLower(sid))
				if bad {
					s.alertsBad = true
					continue
				}
				if enabled != nil && !*enabled {
					continue
				}
				if s.alerts == nil {
					s.alerts = &resource.ActivityLogAlerts{}
				}
				mergeAlerts(s.alerts, covered)
			}
		case TypeRoleAssignment:
			assignmentRows = true
			b := r.Facts.Binding
			if b == nil || b.ScopeLevel != "account" {
				continue
			}
			s := get(strings.ToLower(SubscriptionOf(b.Scope)))
			// The built-in Owner role has the same ID in every tenant; a
			// custom role never has it.
			switch {
			case b.Role == "":
				s.ownersUnknown = true // an assignment whose role could not be read
			case roleGUID(b.Role) == ownerRoleGUID:
				if b.Eligible == nil || !*b.Eligible {
					s.owners++
				}
			}
		}
	}
	for _, g := range gateways {
		lb := g.Facts.LoadBalancer
		if lb == nil {
			continue
		}
		for _, rel := range g.Relationships {
			if rel.Type != relWAFPolicy {
				continue
			}
			if w, found := policies[strings.ToLower(rel.TargetID)]; found {
				lb.WAFRequestBodyCheck, lb.WAFBotProtection = w.body, w.bot
			}
		}
	}
	for _, a := range accounts {
		if a.Facts.Account == nil {
			continue
		}
		af, s := a.Facts.Account, get(a.Account)
		af.Defender = serverVAState(endpointProtection(s.defender, s.wdatp), s.vaListed, s.vaOn, s.vaBad)
		if !s.contactsBad {
			af.Notifications = s.notify
		}
		if alertRows {
			al := s.alerts
			if al == nil {
				al = &resource.ActivityLogAlerts{}
			}
			if !s.alertsBad {
				fillFalse(al)
			}
			af.ActivityAlerts = al
		}
		if assignmentRows && !s.ownersUnknown {
			af.Owners = &s.owners
		}
		if watcherRows {
			var missing []string
			for region := range s.regions {
				if !s.watchers[region] {
					missing = append(missing, region)
				}
			}
			sort.Strings(missing)
			af.NetworkWatcherEveryRegion = resource.Bool(len(missing) == 0)
			af.NetworkWatcherMissing = missing
		}
	}
	return problems
}

func alertFields(a *resource.ActivityLogAlerts) []**bool {
	return []**bool{&a.PolicyAssignmentWrite, &a.PolicyAssignmentDelete, &a.NSGWrite, &a.NSGDelete,
		&a.SecuritySolutionWrite, &a.SecuritySolutionDelete, &a.SQLFirewallRuleWrite, &a.SQLFirewallRuleDelete,
		&a.PublicIPWrite, &a.PublicIPDelete, &a.ServiceHealth}
}

func mergeAlerts(dst, src *resource.ActivityLogAlerts) {
	d, s := alertFields(dst), alertFields(src)
	for i := range d {
		if *s[i] != nil && **s[i] {
			*d[i] = resource.Bool(true)
		}
	}
}

func fillFalse(a *resource.ActivityLogAlerts) {
	for _, f := range alertFields(a) {
		if *f == nil {
			*f = resource.Bool(false)
		}
	}
}

// endpointProtection sets the Defender for Servers plan's endpoint
// protection component (CIS Azure 6.0 8.1.3.3) from the WDATP setting:
// off on a Free plan whatever the setting says, else the setting's
// enabled; unknown without the setting unless the plan is Free.
func endpointProtection(d *resource.DefenderPlans, wdatp *bool) *resource.DefenderPlans {
	switch {
	case d != nil && d.Servers != nil && !*d.Servers:
		d.ServersEndpointProtection = resource.Bool(false)
	case wdatp != nil:
		if d == nil {
			d = &resource.DefenderPlans{}
		}
		d.ServersEndpointProtection = resource.Bool(*wdatp)
	}
	return d
}

// serverExtensions reads the Defender for Servers plan's extensions
// (properties.extensions[].name and isEnabled, "True" or "False"): a Free
// plan has none enabled; a Standard plan's row without its extensions
// leaves them unknown, as does one of the wrong type.
func serverExtensions(d *resource.DefenderPlans, p node, standard bool) {
	if !standard {
		d.ServersAgentlessScanning, d.ServersFIM = resource.Bool(false), resource.Bool(false)
		return
	}
	exts, st := p.Objs("extensions")
	if st != ok {
		return
	}
	on := map[string]bool{}
	for _, e := range exts {
		name, nst := e.Str("name")
		enabled, est := e.Boolean("isEnabled")
		if nst != ok || est == bad {
			return
		}
		on[strings.ToLower(name)] = enabled != nil && *enabled
	}
	d.ServersAgentlessScanning = resource.Bool(on["agentlessvmscanning"])
	d.ServersFIM = resource.Bool(on["fileintegritymonitoring"])
}
