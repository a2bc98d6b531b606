package azure

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Native types of the classes beyond the original core.
const (
	TypeDenyAssignment    = "Microsoft.Authorization/denyAssignments"
	TypeManagementGroup   = "Microsoft.Management/managementGroups"
	TypeSnapshot          = "Microsoft.Compute/snapshots"
	TypeImage             = "Microsoft.Compute/images"
	TypeWebSite           = "Microsoft.Web/sites"
	TypeManagedCluster    = "Microsoft.ContainerService/managedClusters"
	TypeLoadBalancer      = "Microsoft.Network/loadBalancers"
	TypeAppGateway        = "Microsoft.Network/applicationGateways"
	TypeServiceBus        = "Microsoft.ServiceBus/namespaces"
	TypeEventHub          = "Microsoft.EventHub/namespaces"
	TypeKeyVaultSecret    = "Microsoft.KeyVault/vaults/secrets"
	TypeContainerRegistry = "Microsoft.ContainerRegistry/registries"
	TypeDNSZone           = "Microsoft.Network/dnszones"
	TypePrivateDNSZone    = "Microsoft.Network/privateDnsZones"
	TypeCDNProfile        = "Microsoft.Cdn/profiles"
	TypeCDNEndpoint       = "Microsoft.Cdn/profiles/endpoints"
	TypeFrontDoor         = "Microsoft.Network/frontDoors"
	TypeAPIManagement     = "Microsoft.ApiManagement/service"
)

func sortStrings(s []string) { sort.Strings(s) }

// managementGroupID is the ARM ID of a management group by name.
func managementGroupID(name string) string {
	return "/providers/Microsoft.Management/managementGroups/" + name
}

// managementGroup: resourcecontainers microsoft.management/managementgroups.
// properties.details.parent names the parent group; the tenant root group
// has none.
func managementGroup(r *resource.Resource, _, p node) {
	r.Class = resource.ClassOrgUnit
	r.Region = "global"
	ou := &resource.OrgUnit{Kind: "management_group"}
	r.Facts.OrgUnit = ou
	if dn := p.S("displayName"); dn != "" && r.Name == "" {
		r.Name = dn
	}
	parent := p.S("details", "parent", "id")
	if parent == "" {
		if chain, st := p.Objs("details", "managementGroupAncestorsChain"); st == ok && len(chain) > 0 {
			if name := chain[0].S("name"); name != "" {
				parent = managementGroupID(name)
			}
		}
	}
	ou.Parent = parent
	attr.Relate(r, resource.RelChildOf, parent)
}

// denyAssignment: authorizationresources microsoft.authorization/denyassignments.
func denyAssignment(r *resource.Resource, _, p node) {
	r.Class = resource.ClassIAMBinding
	r.Region = "global"
	b := &resource.Binding{Deny: resource.Bool(true)}
	r.Facts.Binding = b
	if !p.Present() {
		return
	}
	b.RoleName = p.S("denyAssignmentName")
	b.Scope = p.S("scope")
	b.ScopeLevel = scopeLevel(b.Scope)
	if r.Account == "" {
		r.Account = SubscriptionOf(b.Scope)
	}
	// A deny assignment takes access away: it is never a public grant,
	// nor a privileged or primitive one.
	b.Public, b.Privileged, b.Primitive = resource.Bool(false), resource.Bool(false), resource.Bool(false)
	if prs, st := p.Objs("principals"); st == ok && len(prs) > 0 {
		b.Principal = prs[0].S("id")
		b.PrincipalType = prs[0].S("type")
		if len(prs) > 1 {
			p.C.Problems = append(p.C.Problems, attr.Problem{Resource: r.ID, Field: "properties.principals", Warning: true,
				Err: fmt.Sprintf("properties.principals: %d principals, only the first (%s) is modelled", len(prs), b.Principal)})
		}
	}
	if ex, st := p.Objs("excludePrincipals"); st == ok {
		mark := p.C.Count()
		var ids, types []string
		typed := false
		for _, e := range ex {
			if id := e.S("id"); id != "" {
				t := e.S("type")
				ids, types = append(ids, id), append(types, t)
				typed = typed || t != ""
			}
		}
		if p.C.Count() == mark {
			b.ExcludedPrincipals = ids
			if typed {
				b.ExcludedPrincipalTypes = types
			}
		}
	}
	if no := p.B("doNotApplyToChildScopes"); no != nil {
		b.ChildScopes = resource.Bool(!*no)
	}
	if perms, good := permissions(p); good {
		b.DenyPermissions = perms
	}
	if cond := p.S("condition"); strings.TrimSpace(cond) != "" {
		b.Condition = &resource.BindingCondition{Expression: cond, Version: p.S("conditionVersion")}
	}
	attr.Relate(r, "grants_on", b.Scope)
}

// keyManagerOfDiskEncryption maps a disk or snapshot encryption.type.
func keyManagerOfDiskEncryption(t string) string {
	switch strings.ToLower(t) {
	case "encryptionatrestwithplatformkey":
		return "provider"
	case "encryptionatrestwithcustomerkey", "encryptionatrestwithplatformandcustomerkeys":
		return "customer"
	}
	return ""
}

// diskPublicAccess: whether a disk or snapshot can be exported or imported
// over a SAS URI from any network. publicNetworkAccess Disabled closes it;
// otherwise networkAccessPolicy AllowAll opens it and AllowPrivate or
// DenyAll close it. nil when neither field says (or one is of the wrong type).
func diskPublicAccess(p node) *bool {
	pna, pst := p.Str("publicNetworkAccess")
	nap, nst := p.Str("networkAccessPolicy")
	switch {
	case strings.EqualFold(pna, "Disabled"):
		return resource.Bool(false)
	case pst == bad || nst == bad:
		return nil
	case strings.EqualFold(nap, "AllowAll"):
		return resource.Bool(true)
	case strings.EqualFold(nap, "AllowPrivate"), strings.EqualFold(nap, "DenyAll"):
		return resource.Bool(false)
	}
	return nil
}

// disk: microsoft.compute/disks. Azure managed disks are always encrypted at
// rest (server-side encryption cannot be turned off), so Encrypted is true
// whenever the row has its properties; encryption.type says whose key.
func disk(r *resource.Resource, row, p node) {
	r.Class = resource.ClassDisk
	d := &resource.Disk{}
	r.Facts.Disk = d
	if !p.Present() {
		return
	}
	d.Encrypted = resource.Bool(true)
	d.KeyManager = keyManagerOfDiskEncryption(p.S("encryption", "type"))
	d.PublicNetworkAccess = diskPublicAccess(p)
	d.SizeGB, _ = p.Integer("diskSizeGB")
	managedBy, mst := row.Str("managedBy")
	if managedBy != "" {
		d.AttachedTo = append(d.AttachedTo, managedBy)
	}
	if extra, st := row.Strs("managedByExtended"); st == ok {
		for _, m := range extra {
			if m != managedBy {
				d.AttachedTo = append(d.AttachedTo, m)
			}
		}
	}
	state, sst := p.Str("diskState")
	switch {
	case sst == bad || mst == bad:
	case strings.EqualFold(state, "Attached"), strings.EqualFold(state, "Reserved"), len(d.AttachedTo) > 0:
		// Reserved: attached to a stopped-deallocated VM.
		d.Attached = resource.Bool(true)
	case state != "", mst == ok:
		d.Attached = resource.Bool(false)
	}
	for _, vm := range d.AttachedTo {
		attr.Relate(r, "attached_to", vm)
	}
}

// snapshot: microsoft.compute/snapshots, encrypted like disks.
func snapshot(r *resource.Resource, _, p node) {
	r.Class = resource.ClassSnapshot
	s := &resource.Snapshot{Kind: "snapshot"}
	r.Facts.Snapshot = s
	if !p.Present() {
		return
	}
	s.Encrypted = resource.Bool(true)
	s.KeyManager = keyManagerOfDiskEncryption(p.S("encryption", "type"))
	s.Public = diskPublicAccess(p)
	s.Created = p.S("timeCreated")
	attr.Relate(r, "created_from", p.S("creationData", "sourceResourceId"))
	// Copy (same region) and CopyStart (another region) copy a snapshot.
	if opt := p.S("creationData", "createOption"); strings.EqualFold(opt, "Copy") || strings.EqualFold(opt, "CopyStart") {
		attr.Relate(r, resource.RelCopyOf, p.S("creationData", "sourceResourceId"))
	}
}

// image: microsoft.compute/images (managed images). They are stored as
// managed snapshots, so always encrypted at rest; a disk encryption set on
// a disk means a customer-managed key. Managed images cannot be shared
// outside their subscription (galleries are another type).
func image(r *resource.Resource, _, p node) {
	r.Class = resource.ClassSnapshot
	s := &resource.Snapshot{Kind: "image"}
	r.Facts.Snapshot = s
	if !p.Present() {
		return
	}
	s.Encrypted = resource.Bool(true)
	s.Public = resource.Bool(false)
	sp, st := p.Obj("storageProfile")
	if st != ok {
		return
	}
	disks := []node{}
	if os, ost := sp.Obj("osDisk"); ost == ok {
		disks = append(disks, os)
	} else if ost == bad {
		return
	}
	dds, dst := sp.Objs("dataDisks")
	if dst == bad {
		return
	}
	disks = append(disks, dds...)
	km := "provider"
	for _, d := range disks {
		des, dst := d.Str("diskEncryptionSet", "id")
		if dst == bad {
			return
		}
		if des != "" {
			km = "customer"
		}
	}
	s.KeyManager = km
	attr.Relate(r, "created_from", p.Ref("sourceVirtualMachine"))
}

// webSite: microsoft.web/sites. Function apps (kind contains functionapp)
// are class function; other web apps are not modelled yet.
func webSite(r *resource.Resource, row, p node) {
	kind := strings.ToLower(row.S("kind"))
	if !strings.Contains(kind, "functionapp") {
		return
	}
	r.Class = resource.ClassFunction
	f := &resource.Function{}
	r.Facts.Function = f
	f.Identity = managedIdentityOf(row)
	for _, id := range userAssigned(row) {
		attr.Relate(r, resource.RelRunsAs, id)
	}
	if !p.Present() {
		return
	}
	f.HTTPSOnly = p.B("httpsOnly")
	f.Runtime = functionRuntime(p)
	f.RuntimeEndOfSupport = runtimeEndOfSupport(f.Runtime)
	// Whether an HTTP trigger allows anonymous calls is in the function's
	// own configuration, not in the row: only a closed network says no.
	// publicNetworkAccess says whether the app is reachable from the
	// internet at all (null: the default, which depends on private
	// endpoints the row does not carry, so unknown).
	if pna, st := p.Str("publicNetworkAccess"); st == ok {
		switch {
		case strings.EqualFold(pna, "Disabled"):
			f.PublicInvocation = resource.Bool(false)
			f.PublicNetwork = resource.Bool(false)
		case strings.EqualFold(pna, "Enabled"):
			f.PublicNetwork = resource.Bool(true)
		}
	}
	if sn, st := p.Str("virtualNetworkSubnetId"); st == ok {
		f.InVPC = resource.Bool(sn != "")
	} else if st == absent && p.Has("virtualNetworkSubnetId") {
		f.InVPC = resource.Bool(false)
	}
}

// managedIdentityOf: "" without a managed identity, the user-assigned
// identity ID when there is exactly one, else the identity type.
func managedIdentityOf(row node) string {
	t := row.S("identity", "type")
	if t == "" || strings.EqualFold(t, "None") {
		return ""
	}
	if _, st := row.Obj("identity", "userAssignedIdentities"); st == bad {
		return ""
	}
	if ids := userAssigned(row); len(ids) == 1 && !strings.Contains(strings.ToLower(t), "system") {
		return ids[0]
	}
	return t
}

// functionRuntime: the LinuxFxVersion site property (what Resource Graph
// carries), siteConfig.linuxFxVersion, a Flex Consumption
// functionAppConfig.runtime, or a Windows .NET siteConfig.netFrameworkVersion,
// as "STACK|version".
func functionRuntime(p node) string {
	props, _ := p.Objs("siteProperties", "properties")
	for _, sp := range props {
		if strings.EqualFold(sp.S("name"), "LinuxFxVersion") {
			if v := sp.S("value"); v != "" {
				return v
			}
		}
	}
	if v := p.S("siteConfig", "linuxFxVersion"); v != "" {
		return v
	}
	name, nst := p.Str("functionAppConfig", "runtime", "name")
	ver, vst := p.Str("functionAppConfig", "runtime", "version")
	if name != "" && nst == ok && vst != bad {
		return strings.ToUpper(name) + "|" + ver
	}
	if v := p.S("siteConfig", "netFrameworkVersion"); v != "" {
		return "DOTNET|" + strings.TrimPrefix(strings.ToLower(v), "v")
	}
	return ""
}

// runtimeEOL: end of support of Azure Functions language versions, by
// stack and version, from "Supported languages in Azure Functions" (the
// expected end-of-support dates) and the language runtime support policy
// (learn.microsoft.com/azure/azure-functions/language-support-policy): where
// Functions kept a version supported past its community end of life (Python
// 3.6 and 3.7, Node.js 14 and 16) the date is Functions' own retirement
// date. Versions published by month only (Java 11, 17, 21: "September
// 2027/2028") take the month's last day.
var runtimeEOL = map[string]map[string]string{
	"python": {"3.6": "2022-09-30", "3.7": "2023-09-30", "3.8": "2024-10-07", "3.9": "2025-10-31",
		"3.10": "2026-10-31", "3.11": "2027-10-31", "3.12": "2028-10-31", "3.13": "2029-10-31"},
	"node": {"8": "2019-12-31", "10": "2021-04-30", "12": "2022-04-30", "14": "2024-06-30", "16": "2024-06-30",
		"18": "2025-04-30", "20": "2026-04-30", "22": "2027-04-30", "24": "2028-04-30"},
	"dotnet": {"2.1": "2021-08-21", "3.1": "2022-12-13", "5.0": "2022-05-10", "6.0": "2024-11-12", "7.0": "2024-05-14",
		"8.0": "2026-11-10", "9.0": "2026-11-10", "10.0": "2028-11-14"},
	"powershell": {"6.0": "2020-09-04", "7.0": "2022-12-03", "7.2": "2024-11-08", "7.4": "2026-11-10"},
	"java":       {"8": "2026-11-30", "1.8": "2026-11-30", "11": "2027-09-30", "17": "2027-09-30", "21": "2028-09-30"},
}

// runtimeEndOfSupport is the end-of-support date (RFC 3339, midnight UTC)
// of a "STACK|version" runtime; "" for custom containers and versions the
// table does not know. It is a property of the runtime, not of a clock:
// rules compare it with the scan time.
func runtimeEndOfSupport(rt string) string {
	stack, ver, found := strings.Cut(rt, "|")
	if !found {
		return ""
	}
	stack = strings.ToLower(strings.TrimSpace(stack))
	if stack == "dotnet-isolated" {
		stack = "dotnet"
	}
	ver = strings.ToLower(strings.TrimSpace(ver))
	ver = strings.TrimPrefix(strings.TrimPrefix(ver, "~"), "v")
	ver = strings.TrimSuffix(ver, "-lts")
	if stack == "java" {
		ver, _, _ = strings.Cut(ver, "-") // "17-java17"
	}
	table := runtimeEOL[stack]
	if table == nil || ver == "" {
		return ""
	}
	eol, known := table[ver]
	if !known && !strings.Contains(ver, ".") {
		eol, known = table[ver+".0"]
	}
	if !known {
		if maj, _, _ := strings.Cut(ver, "."); stack == "node" || stack == "java" {
			eol, known = table[maj]
		}
	}
	if !known {
		return ""
	}
	return eol + "T00:00:00Z"
}

// managedCluster: microsoft.containerservice/managedclusters (AKS).
// Documented defaults apply where the API omits a profile: a cluster
// without apiServerAccessProfile has a public API server open to any
// address, one without securityProfile.azureKeyVaultKms has no KMS
// encryption of secrets.
func managedCluster(r *resource.Resource, _, p node) {
	r.Class = resource.ClassKubernetes
	kc := &resource.Kubernetes{}
	r.Facts.Kubernetes = kc
	if !p.Present() {
		return
	}
	kc.Version = p.S("currentKubernetesVersion")
	if kc.Version == "" {
		kc.Version = p.S("kubernetesVersion")
	}
	if api, st := p.Obj("apiServerAccessProfile"); st != bad {
		private, pst := api.Boolean("enablePrivateCluster")
		ranges, rst := api.Strs("authorizedIPRanges")
		if pst != bad {
			kc.PublicEndpoint = resource.Bool(!attr.Any(private))
			if !attr.Any(private) && rst != bad {
				if len(ranges) == 0 {
					ranges = []string{"0.0.0.0/0"}
				}
				kc.EndpointAllowedCIDRs = resource.NormSources(ranges)
			}
		}
	}
	kc.RBAC = p.B("enableRBAC")
	// Local accounts (the cluster admin certificate) are legacy
	// authentication unless they are disabled with Entra ID integration.
	dla, dst := p.Boolean("disableLocalAccounts")
	_, ast := p.Obj("aadProfile")
	if dst != bad && ast != bad && (dst == ok || ast == absent) {
		kc.LegacyAuth = resource.Bool(!(attr.Any(dla) && ast == ok))
	}
	if np, st := p.Obj("networkProfile"); st == ok {
		pol, pst := np.Str("networkPolicy")
		if pst != bad {
			kc.NetworkPolicy = resource.Bool(pol != "" && !strings.EqualFold(pol, "none"))
		}
	}
	if au, st := p.Obj("autoUpgradeProfile"); st == ok {
		ch, cst := au.Str("upgradeChannel")
		os, ost := au.Str("nodeOSUpgradeChannel")
		if cst != bad && ost != bad {
			on := (ch != "" && !strings.EqualFold(ch, "none")) ||
				strings.EqualFold(os, "NodeImage") || strings.EqualFold(os, "SecurityPatch")
			kc.NodeAutoUpgrade = resource.Bool(on)
		}
	}
	kms, kst := p.Boolean("securityProfile", "azureKeyVaultKms", "enabled")
	if kst != bad {
		kc.SecretsEncrypted = resource.Bool(attr.Any(kms))
	}
	if pools, st := p.Objs("agentPoolProfiles"); st == ok && len(pools) > 0 {
		publicNodes, broken := false, false
		for _, pool := range pools {
			v, vst := pool.Boolean("enableNodePublicIP")
			broken = broken || vst == bad
			publicNodes = publicNodes || attr.Any(v)
		}
		if !broken || publicNodes {
			kc.PrivateNodes = resource.Bool(!publicNodes)
		}
	}
}

// frontendsPublic reads frontendIPConfigurations: whether one has a public
// IP (nil when the list is of the wrong type), relating each public IP.
func frontendsPublic(r *resource.Resource, p node) *bool {
	fes, st := p.Objs("frontendIPConfigurations")
	if st != ok {
		return nil
	}
	public, broken := false, false
	for _, fe := range fes {
		q, qst := fe.Obj("properties")
		if qst == absent {
			q = fe
		}
		id, ist := q.Str("publicIPAddress", "id")
		broken = broken || qst == bad || ist == bad
		if id != "" {
			public = true
			attr.Relate(r, resource.RelUsesPublicIP, id)
		}
	}
	if broken && !public {
		return nil
	}
	return resource.Bool(public)
}

// props returns an ARM sub-resource's properties (or the object itself
// when flat), ok false when properties is of the wrong type.
func props(n node) (node, bool) {
	q, st := n.Obj("properties")
	switch st {
	case bad:
		return q, false
	case absent:
		return n, true
	}
	return q, true
}

// loadBalancer: microsoft.network/loadbalancers, a layer-4 balancer: its
// listeners are its load-balancing rules; it can have no WAF.
func loadBalancer(r *resource.Resource, _, p node) {
	r.Class = resource.ClassLoadBalancer
	lb := &resource.LoadBalancer{}
	r.Facts.LoadBalancer = lb
	if !p.Present() {
		return
	}
	lb.Public = frontendsPublic(r, p)
	lb.WAF = resource.Bool(false)
	rules, st := p.Objs("loadBalancingRules")
	if st != ok {
		return
	}
	listeners := []resource.Listener{}
	for _, rule := range rules {
		q, good := props(rule)
		proto, pst := q.Str("protocol")
		port, rst := q.Integer("frontendPort")
		if !good || pst == bad || rst == bad {
			return
		}
		l := resource.Listener{Protocol: strings.ToUpper(proto)}
		if port != nil {
			l.Port = *port
		}
		listeners = append(listeners, l)
	}
	lb.Listeners = listeners
	lbForwards(p, lb)
}

// appGwPolicyMinTLS: the minimum TLS version of Application Gateway
// predefined SSL policies.
var appGwPolicyMinTLS = map[string]string{
	"appgwsslpolicy20150501":  "1.0",
	"appgwsslpolicy20170401":  "1.1",
	"appgwsslpolicy20170401s": "1.2",
	"appgwsslpolicy20220101":  "1.2",
	"appgwsslpolicy20220101s": "1.2",
}

// sslPolicyMin reads an sslPolicy object: its name and minimum TLS version.
func sslPolicyMin(pol node) (name, min string, good bool) {
	name, s1 := pol.Str("policyName")
	mpv, s2 := pol.Str("minProtocolVersion")
	if s1 == bad || s2 == bad {
		return "", "", false
	}
	if name == "" {
		name = pol.S("policyType")
	}
	switch {
	case mpv != "":
		min = tlsVersion(mpv)
	default:
		min = appGwPolicyMinTLS[strings.ToLower(name)]
	}
	return name, min, true
}

// appGateway: microsoft.network/applicationgateways, a layer-7 balancer.
func appGateway(r *resource.Resource, _, p node) {
	r.Class = resource.ClassLoadBalancer
	lb := &resource.LoadBalancer{}
	r.Facts.LoadBalancer = lb
	if !p.Present() {
		return
	}
	lb.Public = frontendsPublic(r, p)
	wafOn, wst := p.Boolean("webApplicationFirewallConfiguration", "enabled")
	fwp, fst := p.Str("firewallPolicy", "id")
	switch {
	case attr.Any(wafOn) || fwp != "":
		lb.WAF = resource.Bool(true)
	case wst != bad && fst != bad:
		lb.WAF = resource.Bool(false)
	}

	byID := func(key string) (map[string]node, bool) {
		items, st := p.Objs(key)
		if st == bad {
			return nil, false
		}
		m := map[string]node{}
		for _, it := range items {
			m[strings.ToLower(it.S("id"))] = it
		}
		return m, true
	}
	mark := p.C.Count()
	ports, g1 := byID("frontendPorts")
	profiles, g2 := byID("sslProfiles")
	redirects, g3 := byID("redirectConfigurations")
	listenerNodes, lst := p.Objs("httpListeners")
	rrules, rst := p.Objs("requestRoutingRules")
	gwPol, gst := p.Obj("sslPolicy")
	gwName, gwMin, g4 := sslPolicyMin(gwPol)
	if !g1 || !g2 || !g3 || !g4 || lst != ok || rst == bad || gst == bad {
		return
	}
	// Which listeners redirect to HTTPS.
	redirecting := map[string]bool{}
	isHTTPS := map[string]bool{}
	for _, ln := range listenerNodes {
		q, _ := props(ln)
		isHTTPS[strings.ToLower(ln.S("id"))] = strings.EqualFold(q.S("protocol"), "Https")
	}
	for _, rr := range rrules {
		q, good := props(rr)
		if !good {
			return
		}
		rc := redirects[strings.ToLower(q.Ref("redirectConfiguration"))]
		if !rc.Present() {
			continue
		}
		rq, _ := props(rc)
		target := rq.Ref("targetListener")
		url := strings.ToLower(rq.S("targetUrl"))
		if isHTTPS[strings.ToLower(target)] || strings.HasPrefix(url, "https://") {
			redirecting[strings.ToLower(q.Ref("httpListener"))] = true
		}
	}
	listeners := make([]resource.Listener, 0, len(listenerNodes))
	httpOpen, weak, unknownTLS := false, false, false
	for _, ln := range listenerNodes {
		q, good := props(ln)
		proto, pst := q.Str("protocol")
		if !good || pst == bad {
			return
		}
		l := resource.Listener{Protocol: strings.ToUpper(proto)}
		if pt := ports[strings.ToLower(q.Ref("frontendPort"))]; pt.Present() {
			pq, _ := props(pt)
			if port, _ := pq.Integer("port"); port != nil {
				l.Port = *port
			}
		}
		switch strings.ToUpper(proto) {
		case "HTTP":
			red := redirecting[strings.ToLower(ln.S("id"))]
			l.RedirectsToHTTPS = resource.Bool(red)
			if !red {
				httpOpen = true
			}
		case "HTTPS":
			l.TLSPolicy, l.MinTLSVersion = gwName, gwMin
			if prof := profiles[strings.ToLower(q.Ref("sslProfile"))]; prof.Present() {
				pq, _ := props(prof)
				name, min, good := sslPolicyMin(pq.O("sslPolicy"))
				if !good {
					return
				}
				if name != "" || min != "" {
					l.TLSPolicy, l.MinTLSVersion = name, min
				}
			}
			switch {
			case l.MinTLSVersion == "":
				unknownTLS = true
			case tlsBelow12(l.MinTLSVersion):
				weak = true
			}
		}
		listeners = append(listeners, l)
	}
	if p.C.Count() != mark {
		return // a field of a listener, port, profile or redirect had the wrong type
	}
	lb.Listeners = listeners
	agwForwards(p, lb)
	lb.HTTPListener = resource.Bool(httpOpen)
	switch {
	case weak:
		lb.WeakTLS = resource.Bool(true)
	case !unknownTLS:
		lb.WeakTLS = resource.Bool(false)
	}
}

// tlsBelow12 reports whether a "1.x" version is older than TLS 1.2.
func tlsBelow12(v string) bool {
	f, err := strconv.ParseFloat(v, 64)
	return err == nil && f < 1.2
}

// messaging: microsoft.servicebus/namespaces and microsoft.eventhub/namespaces.
// Both encrypt at rest with Microsoft-managed keys unless encryption names
// a Key Vault key.
func messaging(kind string) normalizer {
	return func(r *resource.Resource, _, p node) {
		r.Class = resource.ClassQueue
		q := &resource.Queue{Kind: kind}
		r.Facts.Queue = q
		if !p.Present() {
			return
		}
		if v := p.S("minimumTlsVersion"); v != "" {
			q.MinTLSVersion = tlsVersion(v)
		}
		q.LocalAuth = attr.Not(p.B("disableLocalAuth"))
		switch p.Enum(k("publicNetworkAccess"), "Enabled", "Disabled", "SecuredByPerimeter") {
		case 0:
			q.PublicNetwork = resource.Bool(true)
		case 1, 2:
			q.PublicNetwork = resource.Bool(false)
		}
		enc, est := p.Obj("encryption")
		switch est {
		case absent:
			q.Encrypted, q.KeyManager = resource.Bool(true), "provider"
		case ok:
			q.Encrypted = resource.Bool(true)
			switch enc.Enum(k("keySource"), "Microsoft.KeyVault") {
			case 0:
				q.KeyManager = "customer"
			case -1:
				q.KeyManager = "provider"
			}
		}
		// publicNetworkAccess Enabled still leaves network rule sets
		// (a child resource) to restrict it: only their absence from the
		// row is known here.
	}
}

// vaultSecret: microsoft.keyvault/vaults/secrets (attributes as in ARM:
// enabled, exp and nbf in Unix seconds).
func vaultSecret(r *resource.Resource, _, p node) {
	r.Class = resource.ClassSecret
	s := &resource.Secret{}
	r.Facts.Secret = s
	a, st := p.Obj("attributes")
	if st != ok {
		return
	}
	s.Enabled = a.B("enabled")
	exp, est := a.Integer("exp")
	if exp != nil && *exp > 0 {
		s.Expires = unixRFC3339(int64(*exp))
	}
	if est != bad {
		s.ExpirySet = resource.Bool(s.Expires != "")
	}
	if up, _ := a.Integer("updated"); up != nil && *up > 0 {
		s.LastRotated = unixRFC3339(int64(*up))
	}
}

// containerRegistry: microsoft.containerregistry/registries.
func containerRegistry(r *resource.Resource, _, p node) {
	r.Class = resource.ClassContainerRegistry
	g := &resource.Registry{}
	r.Facts.Registry = g
	if !p.Present() {
		return
	}
	g.AdminUser = p.B("adminUserEnabled")
	// anonymousPullEnabled: anyone can pull images without credentials.
	if v, st := p.Boolean("anonymousPullEnabled"); st == ok {
		g.Public = v
	} else if st == absent && p.Has("anonymousPullEnabled") {
		g.Public = resource.Bool(false)
	}
	pna, pst := p.Str("publicNetworkAccess")
	da, dst := p.Str("networkRuleSet", "defaultAction")
	switch {
	case strings.EqualFold(pna, "Disabled"):
		g.PublicNetwork = resource.Bool(false)
	case pst == bad || dst == bad:
	case strings.EqualFold(da, "Deny"):
		g.PublicNetwork = resource.Bool(false)
	case strings.EqualFold(pna, "Enabled"):
		g.PublicNetwork = resource.Bool(true)
	}
	switch p.Enum(k("encryption", "status"), "enabled", "disabled") {
	case 0:
		g.KeyManager = "customer"
	case 1:
		g.KeyManager = "provider"
	}
}

// dnsZone: microsoft.network/dnszones (public unless zoneType Private, the
// legacy private zones) and microsoft.network/privatednszones. DNSSEC is a
// child resource (dnssecConfigs) the row does not carry.
func dnsZone(public bool) normalizer {
	return func(r *resource.Resource, _, p node) {
		r.Class = resource.ClassDNSZone
		z := &resource.DNSZone{}
		r.Facts.DNS = z
		r.Region = "global"
		if !public {
			z.Public = resource.Bool(false)
			return
		}
		if !p.Present() {
			return
		}
		switch p.Enum(k("zoneType"), "Public", "Private") {
		case 0:
			z.Public = resource.Bool(true)
		case 1:
			z.Public = resource.Bool(false)
		case -2:
			if _, st := p.Str("zoneType"); st == absent {
				z.Public = resource.Bool(true) // zoneType defaults to Public
			}
		}
	}
}

// cdnProfile: microsoft.cdn/profiles (Front Door Standard/Premium and CDN
// profiles). TLS, HTTPS redirect and WAF are on child resources (custom
// domains, routes, security policies) that Resource Graph does not carry,
// so the profile's facts stay unknown unless those rows are given.
func cdnProfile(r *resource.Resource, _, _ node) {
	r.Class = resource.ClassCDN
	r.Facts.CDN = &resource.CDN{}
	r.Region = "global"
}

// cdnEndpoint: microsoft.cdn/profiles/endpoints (Azure CDN classic).
func cdnEndpoint(r *resource.Resource, _, p node) {
	r.Class = resource.ClassCDN
	c := &resource.CDN{}
	r.Facts.CDN = c
	if !p.Present() {
		return
	}
	httpAllowed, hst := p.Boolean("isHttpAllowed")
	switch {
	case hst == ok && !*httpAllowed:
		c.ViewerHTTPSOnly = resource.Bool(true)
	case hst == ok:
		red, good := cdnHTTPSRedirect(p)
		if good {
			c.ViewerHTTPSOnly = resource.Bool(red)
		}
	}
	if waf, st := p.Str("webApplicationFirewallPolicyLink", "id"); st == ok {
		c.WAF = resource.Bool(waf != "")
	} else if st == absent {
		c.WAF = resource.Bool(false)
	}
}

// cdnHTTPSRedirect reports whether a classic CDN endpoint's delivery policy
// redirects every request (or every HTTP request) to HTTPS.
func cdnHTTPSRedirect(p node) (redirect, good bool) {
	mark := p.C.Count()
	defer func() {
		if p.C.Count() != mark {
			redirect, good = false, false
		}
	}()
	rules, st := p.Objs("deliveryPolicy", "rules")
	if st == bad {
		return false, false
	}
	for _, rule := range rules {
		acts, ast := rule.Objs("actions")
		conds, cst := rule.Objs("conditions")
		if ast == bad || cst == bad {
			return false, false
		}
		toHTTPS := false
		for _, a := range acts {
			if strings.EqualFold(a.S("name"), "UrlRedirect") && strings.EqualFold(a.S("parameters", "destinationProtocol"), "Https") {
				toHTTPS = true
			}
		}
		if !toHTTPS {
			continue
		}
		onlyScheme := true
		for _, c := range conds {
			if !strings.EqualFold(c.S("name"), "RequestScheme") {
				onlyScheme = false
			}
		}
		if onlyScheme {
			return true, true
		}
	}
	return false, true
}

// frontDoor: microsoft.network/frontdoors (Front Door classic), whose row
// carries its routing rules and frontend endpoints.
func frontDoor(r *resource.Resource, _, p node) {
	r.Class = resource.ClassCDN
	c := &resource.CDN{}
	r.Facts.CDN = c
	r.Region = "global"
	if !p.Present() {
		return
	}
	if fes, st := p.Objs("frontendEndpoints"); st == ok && len(fes) > 0 {
		waf, broken := true, false
		min := ""
		for _, fe := range fes {
			q, good := props(fe)
			id, ist := q.Str("webApplicationFirewallPolicyLink", "id")
			v, vst := q.Str("customHttpsConfiguration", "minimumTlsVersion")
			if !good || ist == bad || vst == bad {
				broken = true
				continue
			}
			if id == "" {
				waf = false
			}
			if v != "" && (min == "" || tlsVersion(v) < min) {
				min = tlsVersion(v)
			}
		}
		if !broken || !waf {
			c.WAF = resource.Bool(waf)
		}
		if !broken {
			c.MinTLSVersion = min
		}
	}
	mark := p.C.Count()
	rules, st := p.Objs("routingRules")
	if st != ok {
		return
	}
	viewerHTTPS, originHTTPS, broken := true, true, false
	forwards := 0
	for _, rule := range rules {
		q, good := props(rule)
		accepted, ast := q.Strs("acceptedProtocols")
		rc, rst := q.Obj("routeConfiguration")
		if !good || ast == bad || rst == bad {
			broken = true
			continue
		}
		if strings.EqualFold(q.S("enabledState"), "Disabled") {
			continue
		}
		odata := strings.ToLower(rc.S("@odata.type"))
		isRedirect := strings.Contains(odata, "redirectconfiguration")
		acceptsHTTP := false
		for _, a := range accepted {
			if strings.EqualFold(a, "Http") {
				acceptsHTTP = true
			}
		}
		if acceptsHTTP && !(isRedirect && strings.EqualFold(rc.S("redirectProtocol"), "HttpsOnly")) {
			viewerHTTPS = false
		}
		if !isRedirect {
			forwards++
			if !strings.EqualFold(rc.S("forwardingProtocol"), "HttpsOnly") {
				originHTTPS = false
			}
		}
	}
	if broken || p.C.Count() != mark {
		return // a routing rule field had the wrong type
	}
	c.ViewerHTTPSOnly = resource.Bool(viewerHTTPS)
	if forwards > 0 {
		c.OriginHTTPSOnly = resource.Bool(originHTTPS)
	}
}

// apimProtocol is the customProperties prefix of API Management's gateway
// (client-side) protocol switches.
const apimProtocol = "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols."

// apiManagement: microsoft.apimanagement/service. The minimum client TLS
// version comes from customProperties Tls10/Tls11 switches (both must be
// present: their defaults depend on the service's creation date).
func apiManagement(r *resource.Resource, _, p node) {
	r.Class = resource.ClassAPIGateway
	g := &resource.APIGateway{}
	r.Facts.APIGateway = g
	if !p.Present() {
		return
	}
	pna, pst := p.Str("publicNetworkAccess")
	vnt, vst := p.Str("virtualNetworkType")
	switch {
	case strings.EqualFold(pna, "Disabled"), strings.EqualFold(vnt, "Internal"):
		g.Public = resource.Bool(false)
	case pst == bad || vst == bad:
	case vnt != "" || pna != "":
		g.Public = resource.Bool(true)
	}
	cp, st := p.Obj("customProperties")
	if st != ok {
		return
	}
	tls10, s1 := cp.Boolean(apimProtocol + "Tls10")
	tls11, s2 := cp.Boolean(apimProtocol + "Tls11")
	if s1 == ok && s2 == ok {
		switch {
		case *tls10:
			g.MinTLSVersion = "1.0"
		case *tls11:
			g.MinTLSVersion = "1.1"
		default:
			g.MinTLSVersion = "1.2"
		}
	}
}

// flowLog: microsoft.network/networkwatchers/flowlogs, recording the
// traffic of its target (an NSG, a VNet, a subnet or a NIC).
func flowLog(r *resource.Resource, _, p node) {
	r.Class = resource.ClassFlowLog
	f := &resource.FlowLog{}
	r.Facts.FlowLog = f
	if !p.Present() {
		return
	}
	f.Enabled = p.B("enabled")
	if t := p.S("targetResourceId"); t != "" {
		f.Targets = []string{t}
		attr.Relate(r, resource.RelFlowLogsOf, t)
	}
	// Retention disabled (or 0 days) keeps the logs forever: no day count.
	if on, _ := p.Boolean("retentionPolicy", "enabled"); attr.Any(on) {
		if d, _ := p.Integer("retentionPolicy", "days"); d != nil && *d > 0 {
			f.RetentionDays = d
		}
	}
	attr.Relate(r, resource.RelLogsTo, p.S("storageId"))
}
