package azure

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/findings/azuresec"
	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Format is the name of the input format this package reads.
const Format = "azure-resource-graph"

// Canonical native type names, keyed by their lower-case form (Resource
// Graph lower-cases types).
var canonical = map[string]string{}

func init() {
	for t := range normalizers {
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
	TypeSQLAlertPolicy       = "Microsoft.Sql/servers/securityAlertPolicies"
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
		// A result envelope whose data is not a list is still a Resource
		// Graph result: Parse reports it, rather than the file being
		// skipped as an unknown one.
		if isEnvelope(d) {
			return Format
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

// isEnvelope: the {"count","data","skip_token","total_records"} object az
// graph query prints (totalRecords in the REST API's camel case).
func isEnvelope(d attr.M) bool {
	return attr.Has(d, "data") && (attr.Has(d, "count") || attr.Has(d, "total_records") || attr.Has(d, "totalRecords") || attr.Has(d, "skip_token"))
}

// isRowList: any element is a row, not only the first, so that a file whose
// first row is damaged is still read (Parse reports the bad rows by index)
// rather than skipped as an unknown file with all its other rows.
func isRowList(a []any) bool {
	return slices.ContainsFunc(a, func(v any) bool { return isRow(attr.AsObj(v)) })
}

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

// Parse imports the rows of a decoded document Detect accepted. A field of
// the wrong type is a problem naming the resource and the field, and the
// facts that depend on it are left unset. Every resource no rule evaluates
// (an unmodelled type, or one kept as class other for derivation, such as
// a network interface) is listed as unsupported.
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
		case isEnvelope(d):
			v, _ := attr.Get(d, "data")
			msg := fmt.Sprintf("data is %s, not an array of rows: nothing imported from this file", attr.Kind(v))
			if t := attr.AsObj(v); t != nil && attr.Has(t, "columns") && attr.Has(t, "rows") {
				msg = "data is in the table result format (columns and rows), which is not read: query with the " +
					"objectArray result format (az graph query's default); nothing imported from this file"
			}
			res.Problems = append(res.Problems, attr.Problem{Field: "data", Err: msg})
		default:
			rows = attr.Arr(d, "value")
		}
	case []any:
		rows = d
	}
	its := make([]rowItem, len(rows))
	for i, raw := range rows {
		its[i].m = attr.AsObj(raw)
	}
	parseRows(ctx, res, path, its)
	addPolicyListing(ctx, res, path)
	return res
}

// rowShape is how ParseShaped decodes Resource Graph rows: the columns of
// the resources, resourcecontainers, securityresources and
// authorizationresources tables.
var rowShape = attr.NewShape(
	"id", "name", "type", "tenantId", "kind", "location", "resourceGroup", "subscriptionId", "managedBy",
	"sku", "plan", "properties", "tags", "identity", "zones", "extendedLocation", "etag", "systemData",
)

// shapedKeys are the members a result ParseShaped takes has beside data,
// as az graph query and the REST API print them; it needs one of the
// first four to be a result envelope (isEnvelope). Any other member could
// make it another format.
var shapedKeys = map[string]bool{"count": true, "skip_token": true, "total_records": true, "totalRecords": true,
	"skipToken": true, "$skipToken": true, "facets": true, "resultTruncated": true}

// ParseShaped imports a Resource Graph result envelope ({"count","data",
// "skip_token","total_records"}, or the REST API's) from its text, its rows
// decoded into typed items (attr.DecodeShaped) rather than maps: the same
// result as detecting and parsing the decoded document. It returns nil for
// any other text, and for a result whose rows are all Defender for Cloud
// findings (skipped as findings): the caller decodes it as before.
func ParseShaped(ctx context.Context, path string, data []byte) *attr.Result {
	if !bytes.Contains(data[:min(len(data), 512)], []byte(`"data"`)) {
		return nil
	}
	decode := attr.DecodeShaped
	if attr.RawDropped(ctx) {
		// The rows are read through nodes only, and a Raw is built
		// (finishRaw) only for the types FinishRaw keeps: their objects
		// are decoded as attr.Objects, not maps.
		decode = attr.DecodeShapedObjects
	}
	doc, items, decoded := decode(data, "data", rowShape)
	if !decoded {
		return nil
	}
	envelope := false
	for k := range doc {
		if !shapedKeys[k] {
			return nil
		}
		envelope = envelope || k == "count" || k == "skip_token" || k == "total_records" || k == "totalRecords"
	}
	if !envelope {
		return nil
	}
	findings := len(items) > 0
	its := make([]rowItem, len(items))
	for i, it := range items {
		its[i].e = it
		if typ, _ := it.Exact("type"); findings {
			t, _ := typ.(string)
			findings = azuresec.IsDefenderFinding(t)
		}
	}
	if findings {
		return nil
	}
	res := &attr.Result{Format: Format}
	parseRows(ctx, res, path, its)
	addPolicyListing(ctx, res, path)
	return res
}

// rowItem is a row: decoded as a map (m) or along rowShape (e); neither
// when the element was not an object.
type rowItem struct {
	m attr.M
	e *attr.Item
}

// parseRows normalizes the rows of a result into res.
func parseRows(ctx context.Context, res *attr.Result, path string, rows []rowItem) {
	rawDropped := attr.RawDropped(ctx)
	res.Resources = make([]*resource.Resource, 0, len(rows))
	classed := make(map[string]bool, len(rows)) // most rows are classed: it never grows
	var tags attr.TagCache
	for i, row := range rows {
		if i%1024 == 0 && ctx.Err() != nil {
			return
		}
		if row.m == nil && row.e == nil {
			res.Problems = append(res.Problems, attr.Problemf(0, 0, "row %d is not an object", i))
			continue
		}
		r, problems := normalize(path, row, &tags, rawDropped)
		res.Problems = append(res.Problems, problems...)
		if r == nil {
			res.Problems = append(res.Problems, attr.Problemf(0, 0, "row %d has no id", i))
			continue
		}
		res.Resources = append(res.Resources, r)
		switch {
		case r.Class != resource.ClassOther:
			classed[r.ID] = true
			delete(res.Unsupported, r.ID) // rows of one ID merge into the classed one
		case !classed[r.ID]:
			res.AddUnsupported(r)
		}
	}
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

// normalize maps one Resource Graph row; tc converts the tags (nil: every
// time).
func normalize(path string, rw rowItem, tc *attr.TagCache, rawDropped bool) (r *resource.Resource, problems []attr.Problem) {
	var id any
	if rw.e != nil {
		id, _ = rw.e.Get("id")
	} else {
		id, _ = attr.Get(rw.m, "id")
	}
	ids, _ := id.(string)
	if ids == "" {
		return nil, nil
	}
	c := &checker{ID: ids}
	row := node{M: rw.m, It: rw.e, C: c}
	if rw.e != nil {
		// Raw as the map only when it is kept (KeepRaw, or a type
		// FinishRaw keeps), once the type is final.
		defer func() {
			switch {
			case r == nil:
			case !rawDropped:
				r.Raw = rw.e.PlainMap()
			case keepsRaw(r.Type):
				r.Raw = finishRaw(rw.e)
			}
		}()
	}
	rawType := row.S("type")
	typ := CanonicalType(rawType)
	sub := strings.ToLower(row.S("subscriptionId"))
	if sub == "" {
		sub = SubscriptionOf(ids)
	}
	region := strings.ToLower(row.S("location"))
	if region == "" {
		region = "global"
	}
	r = &resource.Resource{
		Provider: resource.Azure, Account: sub, Region: region, Type: typ, ID: ids, Name: row.S("name"),
		Raw: rw.m, Source: path, Class: resource.ClassOther,
	}
	if tv, st := row.Lookup("tags"); st == ok {
		if !attr.IsObject(tv) && attr.AsObj(tv) == nil {
			if _, isArr := tv.([]any); !isArr {
				c.Wrong("tags", "object", tv)
			}
		}
		r.Tags = tc.Tags(tv)
	}
	if rg := row.S("resourceGroup"); rg != "" && sub != "" {
		attr.Relate(r, "contained_in", "/subscriptions/"+sub+"/resourceGroups/"+rg)
	}
	fill, known := normalizers[typ]
	if !known {
		return r, c.Problems
	}
	props, _ := row.Obj("properties")
	fill(r, row, props)
	systemAssigned(r, row)
	if r.Class == resource.ClassOther && typ != rawType && canonicalOnlyWhenModelled[typ] {
		r.Type = rawType // a web app that is not a function app: not modelled
	}
	return r, c.Problems
}

// canonicalOnlyWhenModelled lists types whose rows are modelled only for
// some kinds (Microsoft.Web/sites: function apps); the others keep the
// spelling of the row, as unmodelled types do.
var canonicalOnlyWhenModelled = map[string]bool{TypeWebSite: true}

type normalizer func(r *resource.Resource, row, props node)

// noFacts keeps a row as class other: read for derivation, judged by no rule.
func noFacts(*resource.Resource, node, node) {}

// noFactTypes registers resource types that are read (by a finisher, or to
// be counted) but carry no facts of their own, under their canonical case.
func noFactTypes(types ...string) {
	for _, t := range types {
		normalizers[t] = noFacts
		canonical[strings.ToLower(t)] = t
	}
}

// tlsVersion normalizes "TLS1_2", "1.2", "TLSv1_2", "Tls12", "TLS12" to "1.2".
func tlsVersion(v string) string {
	u := strings.ToUpper(strings.TrimSpace(v))
	u = strings.TrimPrefix(u, "TLSV")
	u = strings.TrimPrefix(u, "TLS")
	u = strings.ReplaceAll(u, "_", ".")
	if len(u) == 2 && u[0] >= '0' && u[0] <= '9' && u[1] >= '0' && u[1] <= '9' {
		u = u[:1] + "." + u[1:]
	}
	return u
}

func storageAccount(r *resource.Resource, row, p node) {
	r.Class = resource.ClassObjectStorage
	s := &resource.ObjectStorage{}
	r.Facts.Storage = s
	storageReplication(r, row, p)
	if !p.Present() {
		return
	}
	if allow := p.B("allowBlobPublicAccess"); allow != nil {
		s.PublicAccessBlocked = resource.Bool(!*allow)
		if !*allow {
			s.PublicAccess = resource.Bool(false)
		}
	}
	s.SecureTransportOnly = p.B("supportsHttpsTrafficOnly")
	if v := p.S("minimumTlsVersion"); v != "" {
		s.MinTLSVersion = tlsVersion(v)
	}
	if enc, st := p.Obj("encryption"); st == ok {
		// Azure Storage encrypts all data at rest; the key source says whose key.
		s.Encrypted = resource.Bool(true)
		on, est := enc.Boolean("services", "blob", "enabled")
		switch est {
		case ok:
			s.Encrypted = on
		case bad:
			s.Encrypted = nil
		}
		switch enc.Enum(k("keySource"), "Microsoft.Keyvault", "Microsoft.Storage") {
		case 0:
			s.KeyManager = "customer"
		case 1:
			s.KeyManager = "provider"
		}
	}
	acl, aclSt := p.Obj("networkAcls")
	_, pnaSt := p.Str("publicNetworkAccess")
	switch {
	case p.Enum(k("publicNetworkAccess"), "Disabled", "SecuredByPerimeter") >= 0:
		// SecuredByPerimeter: a network security perimeter in Enforced mode
		// governs public access in place of the account's own rules
		s.NetworkDefaultDeny = resource.Bool(true)
	case aclSt == bad || pnaSt == bad:
	case aclSt == ok:
		da, dst := acl.Str("defaultAction")
		if dst != bad {
			s.NetworkDefaultDeny = resource.Bool(strings.EqualFold(da, "Deny"))
		}
	}
}

func nsg(r *resource.Resource, _, p node) {
	r.Class = resource.ClassFirewall
	fw := &resource.Firewall{Default: resource.Bool(false)}
	r.Facts.Firewall = fw
	if !p.Present() {
		return
	}
	rules := []resource.FirewallRule{}
	for _, key := range []string{"securityRules", "defaultSecurityRules"} {
		srs, st := p.Objs(key)
		if st == bad {
			rules = nil
			break
		}
		for _, sr := range srs {
			nr, good := nsgRule(sr)
			if !good {
				rules = nil
				break
			}
			rules = append(rules, nr...)
		}
		if rules == nil {
			break
		}
	}
	fw.Rules = rules
	nics, nst := p.Objs("networkInterfaces")
	subnets, sst := p.Objs("subnets")
	if nst != bad && sst != bad && (p.Has("networkInterfaces") || p.Has("subnets")) {
		fw.InUse = resource.Bool(len(nics) > 0 || len(subnets) > 0)
	}
	for _, x := range append(nics, subnets...) {
		attr.Relate(r, resource.RelFirewallOf, x.S("id"))
	}
}

// nsgRule normalizes one security rule (ARM shape with nested properties,
// or flat): one FirewallRule per destination port range. good is false
// when a field the rule depends on has the wrong type: the caller then
// drops every rule, since a missing rule could hide an open port.
func nsgRule(sr node) (out []resource.FirewallRule, good bool) {
	p, st := sr.Obj("properties")
	if st == bad {
		return nil, false
	}
	if st == absent {
		p = sr
	}
	dir := "ingress"
	d, dst := p.Str("direction")
	if strings.EqualFold(d, "Outbound") {
		dir = "egress"
	}
	action, ast := p.Str("access")
	srcs, s1 := p.Strs("sourceAddressPrefixes")
	s, s2 := p.Str("sourceAddressPrefix")
	if s != "" {
		srcs = append(srcs, s)
	}
	asgs, s3 := p.Objs("sourceApplicationSecurityGroups")
	for _, asg := range asgs {
		srcs = append(srcs, asg.S("id"))
	}
	ports, p1 := p.Strs("destinationPortRanges")
	pr, p2 := p.Str("destinationPortRange")
	if pr != "" {
		ports = append(ports, pr)
	}
	proto, pst := p.Str("protocol")
	prio, prst := p.Integer("priority")
	for _, x := range []state{dst, ast, s1, s2, s3, p1, p2, pst, prst} {
		if x == bad {
			return nil, false
		}
	}
	if len(ports) == 0 {
		ports = []string{"*"}
	}
	base := resource.FirewallRule{
		Direction: dir, Action: strings.ToLower(action), Protocol: resource.NormProtocol(proto),
		Sources: resource.NormSources(srcs),
	}
	if prio != nil {
		base.Priority = *prio
	}
	out = make([]resource.FirewallRule, 0, len(ports))
	for _, pr := range ports {
		from, to, valid := resource.ParsePortRange(pr)
		if !valid {
			continue
		}
		rule := base
		rule.FromPort, rule.ToPort = from, to
		out = append(out, resource.PortedRules(rule)...)
	}
	return out, true
}

func vm(r *resource.Resource, row, p node) {
	r.Class = resource.ClassCompute
	c := &resource.Compute{}
	r.Facts.Compute = c
	if t := row.S("identity", "type"); t != "" && !strings.EqualFold(t, "None") {
		c.Identity = t
	}
	for _, uai := range userAssigned(row) {
		attr.Relate(r, resource.RelRunsAs, uai)
	}
	if !p.Present() {
		return
	}
	vmLogin(r, row, p) // vmss.go
	if os, st := p.Obj("storageProfile", "osDisk"); st == ok {
		ade, ast := os.Boolean("encryptionSettings", "enabled")
		eah, est := p.Boolean("securityProfile", "encryptionAtHost")
		_, mst := os.Obj("managedDisk")
		switch {
		case attr.Any(ade, eah):
			c.DiskEncrypted = resource.Bool(true)
		case mst == ok:
			// Managed disks are always encrypted at rest (platform- or customer-managed key).
			c.DiskEncrypted = resource.Bool(true)
		case ast == bad || est == bad || mst == bad:
		}
		if id := os.S("managedDisk", "id"); id != "" {
			attr.Relate(r, resource.RelUsesDisk, id)
		}
	}
	dds, _ := p.Objs("storageProfile", "dataDisks")
	for _, dd := range dds {
		if id := dd.S("managedDisk", "id"); id != "" {
			attr.Relate(r, resource.RelUsesDisk, id)
		}
	}
	c.SecureBoot = p.B("securityProfile", "uefiSettings", "secureBootEnabled")
	if code := p.S("extended", "instanceView", "powerState", "code"); code != "" {
		c.State = strings.TrimPrefix(code, "PowerState/")
	}
	nics, _ := p.Objs("networkProfile", "networkInterfaces")
	for _, n := range nics {
		id := n.S("id")
		attr.Relate(r, resource.RelUsesInterface, id)
		attr.Relate(r, "uses_nic", id) // read by finalize.go until derivation reads RelUsesInterface
	}
}

// userAssigned returns the IDs of a row's user-assigned managed identities.
func userAssigned(row node) []string {
	uai, st := row.Obj("identity", "userAssignedIdentities")
	if st != ok {
		return nil
	}
	out := make([]string, 0, uai.Len())
	for id := range uai.Map() {
		out = append(out, id)
	}
	sortStrings(out)
	return out
}

// nic keeps a network interface as class other with the relationships a
// derivation step follows: its public IPs and its network.
func nic(r *resource.Resource, _, p node) {
	ipcs, _ := p.Objs("ipConfigurations")
	for _, ipc := range ipcs {
		q, st := ipc.Obj("properties")
		if st == absent {
			q = ipc
		}
		attr.Relate(r, resource.RelUsesPublicIP, q.Ref("publicIPAddress"))
		if ip := q.S("privateIPAddress"); ip != "" {
			if r.Facts.Addressing == nil {
				r.Facts.Addressing = &resource.Addressing{}
			}
			r.Facts.Addressing.PrivateIPs = append(r.Facts.Addressing.PrivateIPs, ip)
		}
		if sn := q.Ref("subnet"); sn != "" {
			attr.Relate(r, resource.RelInNetwork, vnetOfSubnet(sn))
			attr.Relate(r, resource.RelInSubnet, sn)
		}
	}
	attr.Relate(r, "uses_nsg", p.Ref("networkSecurityGroup"))
	attr.Relate(r, resource.RelUsesFirewall, p.Ref("networkSecurityGroup"))
}

// scalar reads the member key of n formatted as text (attr.AsStr: numbers
// and booleans formatted, "" for null, objects and arrays), reporting
// nothing.
func scalar(n node, key string) string {
	v, _ := n.Lookup(key)
	return attr.AsStr(v)
}

// vnetOfSubnet returns the VNet ID of a subnet ID.
func vnetOfSubnet(id string) string {
	l := strings.ToLower(id)
	if i := strings.LastIndex(l, "/subnets/"); i > 0 {
		return id[:i]
	}
	return id
}

func sqlServer(r *resource.Resource, _, p node) {
	r.Class = resource.ClassDatabase
	d := &resource.Database{Engine: "sqlserver"}
	r.Facts.Database = d
	if !p.Present() {
		return
	}
	// SecuredByPerimeter: a network security perimeter governs public
	// access in place of the server's own rules. Another value is unknown.
	switch p.Enum(k("publicNetworkAccess"), "Enabled", "Disabled", "SecuredByPerimeter") {
	case 0:
		d.PublicEndpoint = resource.Bool(true)
	case 1, 2:
		d.PublicEndpoint = resource.Bool(false)
	}
	frs, _ := p.Objs("firewallRules")
	for _, fr := range frs {
		addFirewallRange(d, fr)
	}
}

// addFirewallRange adds a firewall rule's start-end range to the
// authorized networks: 0.0.0.0-255.255.255.255 as "0.0.0.0/0", a single
// address as itself, others as "start-end". It reports nothing: a
// properties that is not an object reads the rule itself, an address that
// is not text reads as its JSON text ("" for an object or array).
func addFirewallRange(d *resource.Database, fr node) {
	p := fr
	if v, _ := fr.Lookup("properties"); v != nil {
		if pn, isObj := attr.NodeOf(v, attr.FieldPath{}, fr.C); isObj {
			p = pn
		}
	}
	start, end := scalar(p, "startIpAddress"), scalar(p, "endIpAddress")
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
	return func(r *resource.Resource, _, p node) {
		r.Class = resource.ClassDatabase
		d := &resource.Database{Engine: engine}
		r.Facts.Database = d
		if !p.Present() {
			return
		}
		// A server in a virtual network (delegatedSubnetResourceId) says
		// Disabled; a value this reader does not know is unknown.
		switch p.Enum(k("network", "publicNetworkAccess"), "Enabled", "Disabled") {
		case 0:
			d.PublicEndpoint = resource.Bool(true)
		case 1:
			d.PublicEndpoint = resource.Bool(false)
		}
		// Flexible servers always encrypt storage; the data encryption type says whose key.
		d.Encrypted = resource.Bool(true)
		switch p.Enum(k("dataEncryption", "type"), "AzureKeyVault", "SystemManaged") {
		case 0:
			d.KeyManager = "customer"
		case 1:
			d.KeyManager = "provider"
		case -2:
			if _, st := p.Str("dataEncryption", "type"); st == absent {
				d.KeyManager = "provider"
			}
		}
		if days, _ := p.Integer("backup", "backupRetentionDays"); days != nil {
			d.BackupRetentionDays = days
			d.BackupEnabled = resource.Bool(*days > 0)
		}
		// A standby (ZoneRedundant, or SameZone, which the rules accept as
		// database-not-highly-available's remediation says); a mode this
		// reader does not know is unknown.
		switch p.Enum(k("highAvailability", "mode"), "Disabled", "SameZone", "ZoneRedundant") {
		case 0:
			d.MultiAZ = resource.Bool(false)
		case 1, 2:
			d.MultiAZ = resource.Bool(true)
		}
	}
}

func keyVault(r *resource.Resource, _, p node) {
	r.Class = resource.ClassKeyVault
	kv := &resource.KeyVault{}
	r.Facts.KeyVault = kv
	if !p.Present() {
		return
	}
	// Since 2020 soft delete cannot be turned off; purge protection and
	// RBAC are omitted from the properties when they were never enabled.
	// enableRbacAuthorization absent (null) is access policies at every API
	// version: API version 2026-02-01 made RBAC the default of vaults it
	// creates, which it stores as true, while "vaults where
	// enableRbacAuthorization is null (from older API versions) continue
	// using access policies" (Key Vault's access-control-default page). A
	// template's vault, not yet created, is given its API version's
	// default by the ARM reader (iac/arm apiDefaults).
	if v, st := p.Boolean("enableSoftDelete"); st != bad {
		kv.SoftDelete = attr.BoolOr(v, true)
	}
	if v, st := p.Boolean("enablePurgeProtection"); st != bad {
		kv.PurgeProtection = attr.BoolOr(v, false)
	}
	if v, st := p.Boolean("enableRbacAuthorization"); st != bad {
		kv.RBACAuthorization = attr.BoolOr(v, false)
	}
	pna, pst := p.Str("publicNetworkAccess")
	acl, ast := p.Obj("networkAcls")
	da, dst := acl.Str("defaultAction")
	switch {
	case strings.EqualFold(pna, "Disabled"), strings.EqualFold(pna, "SecuredByPerimeter"), strings.EqualFold(da, "Deny"):
		// SecuredByPerimeter: a network security perimeter in Enforced mode
		// governs public access in place of the vault's own rules
		kv.PublicNetwork = resource.Bool(false)
	case pst == bad || ast == bad || dst == bad:
	default:
		kv.PublicNetwork = resource.Bool(true)
	}
}

func vaultKey(r *resource.Resource, _, p node) {
	r.Class = resource.ClassKey
	k := &resource.Key{CustomerManaged: resource.Bool(true)}
	r.Facts.Key = k
	if !p.Present() {
		return
	}
	if a, st := p.Obj("attributes"); st == ok {
		k.Enabled = a.B("enabled")
		exp, est := a.Integer("exp")
		if exp != nil && *exp > 0 {
			k.Expires = unixRFC3339(int64(*exp))
		}
		if est != bad {
			k.ExpirySet = resource.Bool(k.Expires != "")
		}
	}
	if kty := p.S("kty"); kty != "" {
		k.Symmetric = resource.Bool(strings.HasPrefix(strings.ToLower(kty), "oct"))
	}
	if rp, st := p.Obj("rotationPolicy"); st == ok || (st == absent && p.Has("rotationPolicy")) {
		rotate, broken := false, false
		las, lst := rp.Objs("lifetimeActions")
		for _, la := range las {
			typ, tst := la.Str("action", "type")
			broken = broken || tst == bad
			if strings.EqualFold(typ, "rotate") {
				rotate = true
				if d := isoDays(la.S("trigger", "timeAfterCreate")); d != nil {
					k.RotationPeriodDays = d
				}
			}
		}
		if lst != bad && (rotate || !broken) {
			k.RotationEnabled = resource.Bool(rotate)
		}
	}
}

func vnet(r *resource.Resource, _, p node) {
	r.Class = resource.ClassNetwork
	r.Facts.Network = &resource.Network{}
	vnetLinks(r, p)
	sns, _ := p.Objs("subnets")
	for _, sn := range sns {
		if id := sn.S("properties", "networkSecurityGroup", "id"); id != "" {
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

func diagnosticSetting(r *resource.Resource, row, p node) {
	if !subscriptionDiagnosticSetting(r.ID) {
		return // a resource's own diagnostic setting: kept as class other
	}
	r.Class = resource.ClassAuditLog
	r.Region = "global"
	a := &resource.AuditLog{}
	r.Facts.AuditLog = a
	if !p.Present() {
		if _, st := row.Obj("properties"); st == bad {
			return
		}
		p = row // `az monitor diagnostic-settings subscription list` is flat
	}
	mark := p.C.Count()
	defer func() {
		if p.C.Count() != mark { // keep only what a wrong-typed field cannot have produced
			if !attr.Any(a.Enabled) {
				a.Enabled = nil
			}
			if !attr.Any(a.AllServices) {
				a.AllServices = nil
			}
			a.RetentionDays = nil
		}
	}()
	logs, lst := p.Objs("logs")
	if lst == bad {
		return
	}
	enabled := map[string]bool{}
	any, broken := false, false
	var retention *int
	for _, l := range logs {
		on, st := l.Boolean("enabled")
		if st == bad {
			broken = true
		}
		if !attr.Any(on) {
			continue
		}
		any = true
		enabled[strings.ToLower(l.S("category"))] = true
		if g := strings.ToLower(l.S("categoryGroup")); g == "alllogs" || g == "audit" {
			for _, c := range cisActivityCategories {
				enabled[strings.ToLower(c)] = true
			}
		}
		if attr.Any(l.B("retentionPolicy", "enabled")) {
			if d, _ := l.Integer("retentionPolicy", "days"); d != nil && *d > 0 && (retention == nil || *d < *retention) {
				retention = d
			}
		}
	}
	if broken && !any {
		return
	}
	a.Enabled = resource.Bool(any)
	all := true
	for _, c := range cisActivityCategories {
		all = all && enabled[strings.ToLower(c)]
	}
	if !broken || all {
		a.AllServices = resource.Bool(all)
	}
	a.RetentionDays = retention
	for _, key := range []string{"storageAccountId", "workspaceId", "eventHubAuthorizationRuleId"} {
		d, st := p.Str(key)
		if st == bad {
			break
		}
		if d != "" {
			a.Destination = d
			attr.Relate(r, "delivers_to", d)
			attr.Relate(r, resource.RelLogsTo, d)
			break
		}
	}
}

func roleAssignment(r *resource.Resource, _, p node) {
	r.Class = resource.ClassIAMBinding
	r.Region = "global"
	b := &resource.Binding{}
	r.Facts.Binding = b
	if !p.Present() {
		return
	}
	b.Principal = p.S("principalId")
	b.PrincipalType = p.S("principalType")
	b.Role = p.S("roleDefinitionId")
	b.Scope = p.S("scope")
	b.ScopeLevel = scopeLevel(b.Scope)
	b.Public = resource.Bool(false)
	if r.Account == "" {
		r.Account = SubscriptionOf(b.Scope)
	}
	b.RoleName = builtinRoles[roleGUID(b.Role)]
	if cond := p.S("condition"); strings.TrimSpace(cond) != "" {
		b.Condition = &resource.BindingCondition{Expression: cond, Version: p.S("conditionVersion")}
	}
	attr.Relate(r, "grants_on", b.Scope)
	attr.Relate(r, "uses_role", b.Role)
}

// Built-in role definition GUIDs vigil resolves without the definitions.
var builtinRoles = map[string]string{
	"8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
	"b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
	"18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
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

// permissions reads Azure permission blocks (role definitions and deny
// assignments); ok is false when a block or one of its lists is of the
// wrong type (the whole set is then unknown).
func permissions(p node) (perms []resource.RolePermission, good bool) {
	blocks, st := p.Objs("permissions")
	if st == bad {
		return nil, false
	}
	for _, bl := range blocks {
		var rp resource.RolePermission
		var s1, s2, s3, s4 state
		rp.Actions, s1 = bl.Strs("actions")
		rp.NotActions, s2 = bl.Strs("notActions")
		rp.DataActions, s3 = bl.Strs("dataActions")
		rp.NotDataActions, s4 = bl.Strs("notDataActions")
		if s1 == bad || s2 == bad || s3 == bad || s4 == bad {
			return nil, false
		}
		perms = append(perms, rp)
	}
	return perms, true
}

func roleDefinition(r *resource.Resource, _, p node) {
	r.Region = "global"
	r.Class = resource.ClassRole
	rd := &resource.RoleDefinition{}
	r.Facts.Role = rd
	if !p.Present() {
		return
	}
	if n := p.S("roleName"); n != "" {
		r.Name = n
		rd.RoleName = n
	}
	switch p.Enum(k("type"), "CustomRole", "BuiltInRole") {
	case 0:
		rd.Custom = resource.Bool(true)
	case 1:
		rd.Custom = resource.Bool(false)
	}
	if perms, good := permissions(p); good {
		rd.Permissions = perms
		full := false
		for _, perm := range perms {
			rd.Actions = append(rd.Actions, perm.Actions...)
			for _, a := range perm.Actions {
				if a == "*" {
					full = true
				}
			}
		}
		rd.FullAdmin = resource.Bool(full)
	}
	scopes, st := p.Strs("assignableScopes")
	if st == bad {
		return
	}
	rd.AssignableScopes = scopes
	sub := false
	for _, s := range rd.AssignableScopes {
		if l := scopeLevel(s); l == "account" || l == "organization" {
			sub = true
		}
	}
	rd.SubscriptionScope = resource.Bool(sub)
}

func subscription(r *resource.Resource, _, p node) {
	r.Class = resource.ClassAccount
	r.Region = "global"
	a := &resource.Account{}
	r.Facts.Account = a
	if dn := p.S("displayName"); dn != "" && r.Name == "" {
		r.Name = dn
	}
	// managementGroupAncestorsChain lists the management groups above the
	// subscription, from its immediate parent to the tenant root group.
	chain, st := p.Objs("managementGroupAncestorsChain")
	if st == ok && len(chain) > 0 {
		if name := chain[0].S("name"); name != "" {
			a.Parent = managementGroupID(name)
			attr.Relate(r, resource.RelChildOf, a.Parent)
		}
	}
}

// managedIdentity: a user-assigned managed identity. Its principalId (the
// Entra object ID role assignments name) and clientId are its aliases,
// principalId first; `az identity list` prints them beside the ID, without
// properties.
func managedIdentity(r *resource.Resource, row, p node) {
	r.Class = resource.ClassIdentity
	r.Facts.Identity = &resource.Identity{Kind: "managed_identity"}
	if !row.Has("properties") {
		p = row
	}
	for _, k := range []string{"principalId", "clientId"} {
		if id := p.S(k); id != "" && !slices.Contains(r.Aliases, id) {
			r.Aliases = append(r.Aliases, id)
		}
	}
}

// systemAssigned makes the principalId of a row's system-assigned managed
// identity an alias of the resource, so role assignments to that identity
// resolve to the resource it belongs to. It is read only for modelled
// types: the identity block of other rows is not checked.
func systemAssigned(r *resource.Resource, row node) {
	if !row.Has("identity") {
		return
	}
	if t := row.S("identity", "type"); !strings.Contains(strings.ToLower(t), "systemassigned") {
		return
	}
	if id := row.S("identity", "principalId"); id != "" && !slices.Contains(r.Aliases, id) {
		r.Aliases = append(r.Aliases, id)
	}
}
