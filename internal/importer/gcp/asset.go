package gcp

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Format is the name of the input format this package reads.
const Format = "gcp-cloud-asset"

// Native types vigil models, and the synthesized ones.
const (
	TypeBucket            = "storage.googleapis.com/Bucket"
	TypeFirewall          = "compute.googleapis.com/Firewall"
	TypeInstance          = "compute.googleapis.com/Instance"
	TypeNetwork           = "compute.googleapis.com/Network"
	TypeSubnetwork        = "compute.googleapis.com/Subnetwork"
	TypeSQLInstance       = "sqladmin.googleapis.com/Instance"
	TypeCryptoKey         = "cloudkms.googleapis.com/CryptoKey"
	TypeKeyRing           = "cloudkms.googleapis.com/KeyRing"
	TypeServiceAccount    = "iam.googleapis.com/ServiceAccount"
	TypeServiceAccountKey = "iam.googleapis.com/ServiceAccountKey"
	TypeProject           = "cloudresourcemanager.googleapis.com/Project"
	TypeFolder            = "cloudresourcemanager.googleapis.com/Folder"
	TypeOrganization      = "cloudresourcemanager.googleapis.com/Organization"
	TypeContact           = "essentialcontacts.googleapis.com/Contact"
	TypeRole              = "iam.googleapis.com/Role"
	TypeGroup             = "cloudidentity.googleapis.com/Group"
	// TypeBinding is synthesized: one per (role, member) of an IAM policy.
	TypeBinding = "iam.googleapis.com/Binding"
	// TypeAuditConfig is synthesized from a project's IAM policy auditConfigs.
	TypeAuditConfig = "iam.googleapis.com/AuditConfig"
)

func first(m attr.M, keys ...string) any {
	for _, k := range keys {
		if v, ok := m[k]; ok {
			return v
		}
	}
	return nil
}

func assetType(m attr.M) string { return attr.AsStr(first(m, "asset_type", "assetType")) }

// isAsset: a Cloud Asset has a name and an asset type.
func isAsset(v any) bool {
	m, ok := v.(attr.M)
	return ok && attr.AsStr(m["name"]) != "" && assetType(m) != ""
}

// DetectLine returns Format when v (the first line of an NDJSON file) is an asset.
func DetectLine(v any) string {
	if isAsset(v) {
		return Format
	}
	return ""
}

// Sniff reports whether a line that does not decode names asset fields.
func Sniff(line []byte) bool {
	return bytes.Contains(line, []byte(`"asset_type"`)) || bytes.Contains(line, []byte(`"assetType"`))
}

// Detect returns Format when doc is a JSON array of assets, a single asset
// or a ListAssets response ({"assets":[...]}).
func Detect(doc any) string {
	switch d := doc.(type) {
	case []any:
		if isAssetList(d) {
			return Format
		}
	case attr.M:
		if isAsset(d) {
			return Format
		}
		if isAssetList(attr.Arr(d, "assets")) {
			return Format
		}
	}
	return ""
}

// isAssetList: any element is an asset, not only the first, so that a file
// whose first asset is damaged is still read (Parse reports the bad assets
// by index) rather than skipped as an unknown file.
func isAssetList(a []any) bool { return slices.ContainsFunc(a, isAsset) }

// Parse imports a JSON document Detect accepted.
func Parse(ctx context.Context, path string, doc any) *attr.Result {
	res := &attr.Result{Format: Format}
	var assets []any
	switch d := doc.(type) {
	case []any:
		assets = d
	case attr.M:
		if isAsset(d) {
			assets = []any{d}
		} else {
			assets = attr.Arr(d, "assets")
		}
	}
	f := newFile(ctx, res, path)
	for i, a := range assets {
		if i%1024 == 0 && ctx.Err() != nil {
			return res
		}
		m, _ := a.(attr.M)
		if m == nil {
			res.Problems = append(res.Problems, attr.Problemf(0, 0, "asset %d is not an object", i))
			f.lb.unresolved = true
			continue
		}
		problems, err := f.addAsset(m, assetPos{"asset", i})
		for _, p := range problems {
			res.Problems = append(res.Problems, p)
		}
		if err != "" {
			res.Problems = append(res.Problems, attr.Problemf(0, 0, "asset %d: %s", i, err))
		}
	}
	f.finish()
	return res
}

// ParseNDJSON imports a Cloud Asset Inventory export. A line that is not
// valid JSON is reported with its line number and the other lines are
// still imported.
func ParseNDJSON(ctx context.Context, path string, data []byte) *attr.Result {
	res := &attr.Result{Format: Format}
	f := newFile(ctx, res, path)
	lines := attr.Lines
	if f.rawDropped {
		// The assets are read through nodes, and the Raw FinishRaw
		// keeps is made plain maps (attr.Plain): the objects below a
		// line's own are decoded as attr.Objects, not maps.
		lines = attr.LinesObjects
	}
	for l := range lines(ctx, data) {
		if l.Err != nil {
			res.Problems = append(res.Problems, attr.Problemf(l.N, 0, "malformed JSON: %v", l.Err))
			f.lb.unresolved = true
			continue
		}
		problems, err := f.addAsset(l.M, assetPos{"line", l.N})
		for _, p := range problems {
			p.Line = l.N
			res.Problems = append(res.Problems, p)
		}
		if err != "" {
			res.Problems = append(res.Problems, attr.Problemf(l.N, 0, "%s", err))
		}
	}
	if ctx.Err() != nil {
		return res
	}
	f.finish()
	return res
}

// file is the state of one input file: its result, and what the load
// balancer pieces of the file say, joined when the file is read (lb.go).
type file struct {
	res     *attr.Result
	path    string
	lb      *lbParts
	classed map[string]bool // asset names with a classed resource
	labels  attr.TagCache   // the resources' labels, one map per decoded object
	// rawDropped: the importer drops the Raw attributes FinishRaw does not
	// keep (attr.RawDropped), so the bindings get none.
	rawDropped bool
	// serialUnset: the instances whose metadata does not set
	// serial-port-enable, which follow their project's common instance
	// metadata (projectSerialPorts).
	serialUnset []*resource.Resource
}

func newFile(ctx context.Context, res *attr.Result, path string) *file {
	return &file{res: res, path: path, lb: newLBParts(), classed: map[string]bool{}, rawDropped: attr.RawDropped(ctx)}
}

// finish completes what needs the whole file: load balancers are joined
// with their proxies, URL maps, SSL policies and backend services.
func (f *file) finish() {
	f.lb.join()
	f.lbTargets()
	f.cloudNATs()
	f.firewallPolicies()
	f.interconnectNetworks()
	f.projectSerialPorts()
}

// projectSerialPorts: serial-port-enable set in a project's common
// instance metadata (the compute.googleapis.com/Project asset) enables the
// serial console of every instance of the project that does not set the
// key itself. Read from the project assets of the same file; an instance
// whose project's metadata is elsewhere keeps its own reading.
func (f *file) projectSerialPorts() {
	if len(f.serialUnset) == 0 {
		return
	}
	on := map[string]bool{}
	for _, r := range f.res.Resources {
		if r.Type != TypeComputeProject || r.Account == "" {
			continue
		}
		for _, it := range assetData(r).lobjs("commonInstanceMetadata", "items") {
			if attr.Str(it, "key") == serialPortKey {
				on[r.Account] = serialPortOn(attr.Str(it, "value"))
			}
		}
	}
	for _, in := range f.serialUnset {
		if c := in.Facts.Compute; c != nil && on[in.Account] {
			c.SerialPortEnabled = boolp(true)
		}
	}
}

// readLabels reads data.strMap("labels"), one map for every asset whose
// labels are the same decoded object (see attr.TagCache).
func (f *file) readLabels(data node) (map[string]string, state) {
	v, st := data.lookup("labels")
	o, isObj := v, attr.IsObject(v)
	switch {
	case st == absent:
		return nil, absent
	case !isObj:
		return data.strMap("labels") // reported
	}
	if labels, cached := f.labels.Lookup(o); cached {
		return labels, ok
	}
	labels, st := data.strMap("labels")
	if st == ok {
		f.labels.Store(o, labels)
	}
	return labels, st
}

// addAsset normalizes one asset (a resource line, an iam_policy line or
// both) into the file's result. It returns the problems of fields of the
// wrong type, and a message when the asset cannot be read at all. pos is
// where the asset is in the file ("line 3", "asset 2").
func (f *file) addAsset(a attr.M, pos assetPos) ([]attr.Problem, string) {
	res := f.res
	name, _ := a["name"].(string)
	typ, _ := first(a, "asset_type", "assetType").(string)
	if name == "" || typ == "" {
		f.lb.unresolved = true // it may have been a piece of a load balancer
		f.unreadable(a, name, typ, pos)
		return nil, "asset without name or asset type"
	}
	c := &checker{name: name}
	asset := node{m: a, c: c}
	rsrc, rst := asset.obj("resource")
	data, _ := rsrc.obj("data")
	policy := iamPolicyNode(a, asset)
	r := &resource.Resource{
		Provider: resource.GCP, Type: typ, ID: name, Name: shortName(name),
		Region: strings.ToLower(rsrc.s("location")), Raw: a, Source: f.path, Class: resource.ClassOther,
	}
	r.Account = projectOf(asset, data)
	if t, err := time.Parse(time.RFC3339Nano, asset.s(firstKey(a, "update_time", "updateTime"))); err == nil {
		r.CapturedAt = &t
	}
	if data.present() {
		if labels, st := f.readLabels(data); st == ok && len(labels) > 0 {
			r.Tags = labels
		}
		if n := data.s("name"); n != "" && !strings.Contains(n, "/") {
			r.Name = n
		}
	}
	if p := rsrc.s("parent"); p != "" && !hierarchyTypes[typ] {
		attr.Relate(r, "contained_in", p)
	}
	n, supported := normalizers[typ]
	if supported {
		n(f, r, data, asset)
	}
	// An asset name seen twice (a resource line of another type, say)
	// is unsupported only when no line of it is classed.
	switch {
	case r.Class != resource.ClassOther:
		f.classed[name] = true
		delete(res.Unsupported, name)
	case rst != absent && !f.classed[name]:
		res.AddUnsupported(r)
	}
	res.Resources = append(res.Resources, r)
	if policy.present() {
		iamPolicy(res, r, policy, f.rawDropped)
	}
	return c.problems, ""
}

// iamPolicyNode reads the asset's iam_policy (iamPolicy in the API's
// spelling, either without regard to case; iam_policy first): one look at
// the asset's keys when it has no iam_policy exactly (a resource line),
// where asking for each spelling scanned them twice.
func iamPolicyNode(a attr.M, asset node) node {
	key := "iamPolicy"
	if _, exact := a["iam_policy"]; exact {
		key = "iam_policy"
	} else {
		_, camel := a[key]
		snake := false
		for k := range a {
			snake = snake || (len(k) == len("iam_policy") && strings.EqualFold(k, "iam_policy"))
			camel = camel || (len(k) == len(key) && strings.EqualFold(k, key))
		}
		switch {
		case snake:
			key = "iam_policy"
		case !camel:
			return node{c: asset.c}
		}
	}
	policy, _ := asset.obj(key)
	return policy
}

// unreadable keeps a trace of an asset (a JSON object) without a readable
// name or asset type that may be a service-account key (its type says so,
// or it cannot be read and its name, when there is one, is a key's): a
// resource of class other whose Type is the asset type it could read (""
// when none) and whose ID is its name, or, when it has none, a name made
// from the file and pos (not a Cloud Asset name: it does not start with
// "//"). Finalize then leaves its service account's keys, or those of every
// service account of its project when its owner cannot be told, unknown: a
// key that cannot be read may be a user-managed one. An API key's trace (or
// a nameless one) leaves its project's API keys unknown (finishCIS5). A line that is not
// JSON leaves no trace: the file is reported as an input error.
func (f *file) unreadable(a attr.M, name, typ string, pos assetPos) {
	switch {
	case typ == TypeServiceAccountKey:
	case typ == "" && name == "":
	case typ == "" && isKeyName(name):
	case typ == TypeAPIKey, typ == "" && isAPIKeyName(name):
	default:
		return
	}
	id := name
	if id == "" {
		id = f.path + "#" + pos.String()
	}
	asset := node{m: a, c: &checker{name: id}} // the asset's problem is reported once, by the caller
	rsrc := asset.o("resource")
	f.res.Resources = append(f.res.Resources, &resource.Resource{
		Provider: resource.GCP, Type: typ, ID: id, Name: shortName(id), Account: projectOf(asset, rsrc.o("data")),
		Raw: a, Source: f.path, Class: resource.ClassOther,
	})
}

// assetPos is where an asset is in its file ("line 12", "asset 3"), made
// text only for the rare asset that needs it (unreadable).
type assetPos struct {
	kind string
	n    int
}

func (p assetPos) String() string { return fmt.Sprintf("%s %d", p.kind, p.n) }

// isAPIKeyName reports whether an asset name is an API key's
// (//apikeys.googleapis.com/projects/P/locations/L/keys/K).
func isAPIKeyName(name string) bool {
	return strings.HasPrefix(name, "//apikeys.googleapis.com/") && strings.Contains(name, "/keys/")
}

// isKeyName reports whether an asset name is a service-account key's
// (//iam.googleapis.com/projects/P/serviceAccounts/SA/keys/K).
func isKeyName(name string) bool {
	i := strings.Index(name, "/serviceAccounts/")
	return i >= 0 && strings.Contains(name[i:], "/keys/")
}

func firstKey(m attr.M, keys ...string) string {
	for _, k := range keys {
		if _, found := m[k]; found {
			return k
		}
	}
	return keys[0]
}

// shortName is the last element of an asset name.
func shortName(name string) string {
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		return name[i+1:]
	}
	return name
}

// projectOf returns the project of an asset: the project ID when the asset
// says it (a Project's data.projectId, a projects/<id>/ element of the
// name), else the project number from its ancestors. Finalize maps numbers
// to IDs when the input shows both.
func projectOf(a, data node) string {
	name := a.s("name")
	if a.s(a.firstKey("asset_type", "assetType")) == TypeProject {
		if id := data.s("projectId"); id != "" {
			return id
		}
	}
	if id := projectInName(name); id != "" && !isNumber(id) {
		return id
	}
	ancestors, _ := a.strs("ancestors")
	for _, anc := range ancestors {
		if n, ok := strings.CutPrefix(anc, "projects/"); ok {
			return n
		}
	}
	if id := projectInName(name); id != "" {
		return id
	}
	if n := data.s("projectNumber"); n != "" {
		return n
	}
	return ""
}

func projectInName(name string) string {
	i := strings.Index(name, "/projects/")
	if i < 0 {
		return ""
	}
	rest := name[i+len("/projects/"):]
	if j := strings.IndexByte(rest, '/'); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// normalizer fills the class and facts of one asset from its resource
// data (a zero node when the line carries only an IAM policy: then only the
// class and an empty facts struct are set, so that the merge with the
// resource line keeps the resource line's facts). asset is the whole line.
type normalizer func(f *file, r *resource.Resource, data, asset node)

// keep is a type read for derivation and judged by no rule (class other,
// listed as unsupported).
func keep(*file, *resource.Resource, node, node) {}

// serviceAccountKey reads the fields Finalize gives the key's service
// account (ServiceAccountKey), so that a wrong type is reported with the
// line; the key itself is judged by no rule (class other, unsupported).
func serviceAccountKey(_ *file, _ *resource.Resource, d, _ node) {
	d.str("name")
	d.str("validAfterTime")
	d.boolean("disabled")
	d.str("keyType")
}

func init() {
	for t, n := range serviceNormalizers {
		normalizers[t] = n
	}
}

// hierarchyTypes are the assets whose parent is their place in the
// resource hierarchy (RelChildOf); other assets are contained_in theirs.
var hierarchyTypes = map[string]bool{TypeProject: true, TypeFolder: true, TypeOrganization: true}

// Google APIs omit boolean fields that are false: inside a present object,
// an absent boolean reads as false (node.flag).

func bucket(_ *file, r *resource.Resource, d, _ node) {
	r.Class = resource.ClassObjectStorage
	s := &resource.ObjectStorage{}
	r.Facts.Storage = s
	if !d.present() {
		return
	}
	bucketLocations(r, d)
	if ic, st := d.obj("iamConfiguration"); st == ok {
		s.UniformAccess = ic.flag("uniformBucketLevelAccess", "enabled")
		if pap := ic.s("publicAccessPrevention"); pap != "" {
			s.PublicAccessBlocked = boolp(strings.EqualFold(pap, "enforced"))
		}
	}
	s.Versioning = d.flag("versioning", "enabled")
	if lb, st := d.str("logging", "logBucket"); st != bad {
		s.AccessLogging = boolp(lb != "")
	}
	// Cloud Storage always encrypts at rest; a default KMS key makes it CMEK.
	s.Encrypted = boolp(true)
	switch key, st := d.str("encryption", "defaultKmsKeyName"); {
	case st == bad:
	case key != "":
		s.KeyManager = "customer"
		attr.Relate(r, resource.RelUsesKey, key)
	default:
		s.KeyManager = "provider"
	}
	before := d.c.count()
	protected, known := false, false
	if sd, st := d.obj("softDeletePolicy"); st == ok {
		secs := sd.i64("retentionDurationSeconds")
		known, protected = true, secs != nil && *secs > 0
	}
	if locked := d.b("retentionPolicy", "isLocked"); locked != nil {
		known = true
		protected = protected || *locked
	}
	switch {
	case protected:
		s.DeleteProtection = boolp(true) // what was read protects, whatever the rest says
	case known && d.c.count() == before:
		s.DeleteProtection = boolp(false)
	}
}

func firewall(_ *file, r *resource.Resource, d, _ node) {
	r.Class = resource.ClassFirewall
	fw := &resource.Firewall{}
	r.Facts.Firewall = fw
	if !d.present() {
		return
	}
	if net := d.s("network"); net != "" {
		if name, st := d.str("name"); st == ok {
			fw.Default = boolp(strings.HasSuffix(net, "/networks/default") && strings.HasPrefix(name, "default-allow-"))
		}
		attr.Relate(r, resource.RelInNetwork, net)
	}
	before := d.c.count()
	dir := "ingress"
	switch d.enum(k("direction"), "INGRESS", "EGRESS") {
	case 1:
		dir = "egress"
	case -1:
		d.c.wrong(d.field("direction"), "INGRESS or EGRESS", d.s("direction"))
	}
	var addrs []string
	if dir == "ingress" {
		for _, key := range []string{"sourceRanges", "sourceTags", "sourceServiceAccounts"} {
			l, _ := d.strs(key)
			addrs = append(addrs, l...)
		}
	} else {
		addrs, _ = d.strs("destinationRanges")
	}
	sources := resource.NormSources(addrs)
	prio := 1000
	if p := d.i("priority"); p != nil {
		prio = *p
	}
	disabled, _ := d.boolean("disabled")
	rules := []resource.FirewallRule{}
	for _, kind := range []string{"allowed", "denied"} {
		action := "allow"
		if kind == "denied" {
			action = "deny"
		}
		entries, _ := d.objs(kind)
		for _, e := range entries {
			proto := resource.NormProtocol(e.s("IPProtocol"))
			ports, _ := e.strs("ports")
			if len(ports) == 0 {
				ports = []string{""}
			}
			for _, p := range ports {
				from, to, good := resource.ParsePortRange(p)
				if !good {
					e.c.wrong(e.field("ports"), "port or port range", p)
					continue
				}
				rules = append(rules, resource.FirewallRule{
					Direction: dir, Action: action, Protocol: proto, FromPort: from, ToPort: to,
					Sources: sources, Priority: prio, Disabled: attr.Any(disabled),
				})
			}
		}
	}
	if d.c.count() == before {
		fw.Rules = rules // a rule read in part could hide an open port
	}
	fw.TargetTags, _ = d.strs("targetTags")
	fw.TargetServiceAccounts, _ = d.strs("targetServiceAccounts")
}

const (
	defaultSASuffix   = "-compute@developer.gserviceaccount.com"
	cloudPlatformAuth = "https://www.googleapis.com/auth/cloud-platform"
)

// serialPortKey is the metadata key enabling a VM's interactive serial
// console; serialPortOn reads its value as GCE does (TRUE, true, 1).
const serialPortKey = "serial-port-enable"

func serialPortOn(v string) bool {
	v = strings.ToLower(v)
	return v == "true" || v == "1"
}

func instance(f *file, r *resource.Resource, d, _ node) {
	r.Class = resource.ClassCompute
	c := &resource.Compute{}
	r.Facts.Compute = c
	if !d.present() {
		return
	}
	before := d.c.count()
	public := false
	nics, _ := d.objs("networkInterfaces")
	for _, ni := range nics {
		for _, key := range []string{"accessConfigs", "ipv6AccessConfigs"} {
			if acs, _ := ni.objs(key); len(acs) > 0 {
				public = true
			}
		}
		if net := ni.s("network"); net != "" {
			attr.Relate(r, resource.RelInNetwork, net)
		}
	}
	if d.c.count() == before || public {
		c.PublicIP = boolp(public)
	}
	instanceAddressing(r, nics)
	c.NetworkTags, _ = d.strs("tags", "items")
	before = d.c.count()
	sas, _ := d.objs("serviceAccounts")
	def, full := false, false
	for _, sa := range sas {
		email := sa.s("email")
		if c.Identity == "" {
			c.Identity = email
		}
		if email != "" {
			attr.Relate(r, resource.RelRunsAs, email)
		}
		if strings.HasSuffix(email, defaultSASuffix) {
			def = true
			scopes, _ := sa.strs("scopes")
			for _, s := range scopes {
				if s == cloudPlatformAuth {
					full = true
				}
			}
		}
	}
	if d.c.count() == before {
		c.DefaultServiceAccount, c.DefaultServiceAccountFullAccess = boolp(def), boolp(full)
	} else {
		if def {
			c.DefaultServiceAccount = boolp(true)
		}
		if full {
			c.DefaultServiceAccountFullAccess = boolp(true)
		}
	}
	before = d.c.count()
	serial, set := false, false
	items, _ := d.objs("metadata", "items")
	for _, it := range items {
		if it.s("key") == serialPortKey {
			serial, set = serialPortOn(it.s("value")), true
		}
	}
	if d.c.count() == before || serial {
		c.SerialPortEnabled = boolp(serial)
	}
	if d.c.count() == before && !set && f != nil {
		f.serialUnset = append(f.serialUnset, r)
	}
	c.IPForwarding = d.flag("canIpForward")
	if sh, st := d.obj("shieldedInstanceConfig"); st == ok {
		c.SecureBoot = sh.flag("enableSecureBoot")
	}
	// Compute Engine encrypts every disk at rest; the disks themselves are
	// disk resources (RelUsesDisk), by the URL the instance names them with.
	disks, st := d.objs("disks")
	if st == ok && len(disks) > 0 {
		c.DiskEncrypted = boolp(true)
	}
	for _, dk := range disks {
		if src := dk.s("source"); src != "" {
			attr.Relate(r, resource.RelUsesDisk, src)
		}
	}
	c.State = strings.ToLower(d.s("status"))
	if self := d.s("selfLink"); self != "" {
		r.Aliases = appendAliases(r.Aliases, computeAliases(self)...)
	}
}

func network(_ *file, r *resource.Resource, d, _ node) {
	r.Class = resource.ClassNetwork
	n := &resource.Network{}
	r.Facts.Network = n
	if !d.present() {
		return
	}
	if name, st := d.str("name"); st == ok {
		n.Default = boolp(name == "default")
	}
	networkPeerings(n, d)
	if self := d.s("selfLink"); self != "" {
		r.Aliases = appendAliases(r.Aliases, computeAliases(self)...)
	}
}

func subnetwork(_ *file, r *resource.Resource, d, _ node) {
	r.Class = resource.ClassNetwork
	n := &resource.Network{}
	r.Facts.Network = n
	if !d.present() {
		return
	}
	if lc, st := d.obj("logConfig"); st == ok {
		n.FlowLogs = lc.flag("enable")
	} else if st == absent {
		n.FlowLogs = d.flag("enableFlowLogs")
	}
	if net, st := d.str("network"); st == ok {
		n.Default = boolp(strings.HasSuffix(net, "/networks/default"))
		attr.Relate(r, resource.RelInNetwork, net)
	}
	subnetAddressing(r, d)
	if self := d.s("selfLink"); self != "" {
		r.Aliases = appendAliases(r.Aliases, computeAliases(self)...)
	}
}

func sqlInstance(_ *file, r *resource.Resource, d, _ node) {
	r.Class = resource.ClassDatabase
	db := &resource.Database{}
	r.Facts.Database = db
	if !d.present() {
		return
	}
	db.Engine = strings.ToLower(d.s("databaseVersion"))
	sqlReplicas(r, d)
	// Cloud SQL always encrypts at rest; a KMS key name makes it CMEK.
	db.Encrypted = boolp(true)
	switch key, st := d.str("diskEncryptionConfiguration", "kmsKeyName"); {
	case st == bad:
	case key != "":
		db.KeyManager = "customer"
		attr.Relate(r, resource.RelUsesKey, key)
	default:
		db.KeyManager = "provider"
	}
	s, st := d.obj("settings")
	if st != ok {
		return
	}
	// Cloud SQL keeps its labels in settings.userLabels.
	if labels, st := s.strMap("userLabels"); st == ok && len(labels) > 0 && r.Tags == nil {
		r.Tags = labels
	}
	if ip, st := s.obj("ipConfiguration"); st == ok {
		db.PublicEndpoint = ip.flag("ipv4Enabled")
		before := ip.c.count()
		nets, _ := ip.objs("authorizedNetworks")
		var cidrs []string
		for _, n := range nets {
			if v := n.s("value"); v != "" {
				cidrs = append(cidrs, v)
			}
		}
		if ip.c.count() == before {
			db.AuthorizedNetworks = cidrs
		}
		// sslMode (SSL_MODE_UNSPECIFIED: requireSsl decides); a mode this
		// reader does not know leaves it unknown.
		switch mode, st := ip.str("sslMode"); {
		case st == bad:
		case mode == "" || strings.EqualFold(mode, "SSL_MODE_UNSPECIFIED"):
			db.SSLRequired = ip.flag("requireSsl")
		case strings.EqualFold(mode, "ENCRYPTED_ONLY") || strings.EqualFold(mode, "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"):
			db.SSLRequired = boolp(true)
		case strings.EqualFold(mode, "ALLOW_UNENCRYPTED_AND_ENCRYPTED"):
			db.SSLRequired = boolp(false)
		}
	}
	bc, _ := s.obj("backupConfiguration")
	db.BackupEnabled = s.flag("backupConfiguration", "enabled")
	if attr.Any(db.BackupEnabled) {
		rs := bc.o("backupRetentionSettings")
		unit := rs.s("retentionUnit")
		if n := rs.i("retainedBackups"); n != nil && (unit == "" || unit == "COUNT") {
			db.BackupRetentionDays = n // one automated backup a day
		}
	}
	db.DeletionProtection = s.flag("deletionProtectionEnabled")
	if av := s.s("availabilityType"); av != "" {
		db.MultiAZ = boolp(av == "REGIONAL")
	}
}

func cryptoKey(_ *file, r *resource.Resource, d, _ node) {
	r.Class = resource.ClassKey
	key := &resource.Key{CustomerManaged: boolp(true)}
	r.Facts.Key = key
	if !d.present() {
		return
	}
	if p := d.s("purpose"); p != "" {
		key.Symmetric = boolp(p == "ENCRYPT_DECRYPT")
	}
	rp, st := d.str("rotationPeriod")
	if st != bad {
		key.RotationEnabled = boolp(rp != "")
	}
	if secs, err := strconv.ParseFloat(strings.TrimSuffix(rp, "s"), 64); err == nil && rp != "" && secs >= 0 && secs < 1e12 {
		key.RotationPeriodDays = resource.Int(int(secs / 86400))
	} else if rp != "" {
		d.c.wrong(d.field("rotationPeriod"), "duration", rp)
		key.RotationEnabled = nil
	}
	if st := d.s("primary", "state"); st != "" {
		key.Enabled = boolp(st == "ENABLED")
	}
}

func serviceAccount(_ *file, r *resource.Resource, d, _ node) {
	r.Class = resource.ClassIdentity
	id := &resource.Identity{Kind: "service_account"}
	r.Facts.Identity = id
	if !d.present() {
		return
	}
	id.Disabled = d.flag("disabled")
	if e := d.s("email"); e != "" {
		r.Name = e
		r.Aliases = appendAliases(r.Aliases, e, "serviceAccount:"+e)
	}
	if u := d.s("uniqueId"); u != "" {
		r.Aliases = appendAliases(r.Aliases, u)
	}
}

func project(_ *file, r *resource.Resource, d, asset node) {
	r.Class = resource.ClassAccount
	r.Region = "global"
	if r.Facts.Account == nil {
		r.Facts.Account = &resource.Account{}
	}
	if id := d.s("projectId"); id != "" {
		r.Name = id
		r.Aliases = appendAliases(r.Aliases, "projects/"+id)
	}
	if n := d.s("projectNumber"); n != "" {
		r.Aliases = appendAliases(r.Aliases, "projects/"+n)
	}
	if p := hierarchyParent(d, asset); p != "" {
		r.Facts.Account.Parent = p
		attr.Relate(r, resource.RelChildOf, p)
	}
}

// hierarchyParent is the asset name of the organization or folder above a
// project or folder: the resource's parent, else data.parent ({type, id} in
// Resource Manager v1, "folders/N" in v2/v3), else the second ancestor.
func hierarchyParent(d, asset node) string {
	switch p, st := asset.str("resource", "parent"); {
	case st == bad:
		return ""
	case p != "":
		return p
	}
	if v, st := d.lookup("parent"); st == ok {
		switch t := v.(type) {
		case string:
			return crmName(t)
		case attr.M, *attr.Object:
			pn, _ := nodeOf(t, d.path.Below("parent"), d.c)
			typ, id := pn.s("type"), pn.s("id")
			if typ != "" && id != "" {
				return crmName(typ + "s/" + id)
			}
		default:
			d.c.wrong(d.field("parent"), "string or object", v)
			return ""
		}
	}
	ancestors, _ := asset.strs("ancestors")
	if len(ancestors) > 1 {
		return crmName(ancestors[1])
	}
	return ""
}

// crmName is the asset name of a Resource Manager resource ("folders/1").
func crmName(rel string) string {
	if rel == "" || strings.HasPrefix(rel, "//") {
		return rel
	}
	return "//cloudresourcemanager.googleapis.com/" + rel
}

// orgNode fills an organization or folder: class org_unit with its kind and
// parent (an organization has none).
func orgNode(kind string) normalizer {
	return func(_ *file, r *resource.Resource, d, asset node) {
		r.Class = resource.ClassOrgUnit
		r.Region = "global"
		ou := &resource.OrgUnit{Kind: kind}
		r.Facts.OrgUnit = ou
		if !d.present() {
			return
		}
		if rel := d.s("name"); strings.Contains(rel, "/") {
			r.Aliases = appendAliases(r.Aliases, rel)
		}
		if kind == "folder" {
			if p := hierarchyParent(d, asset); p != "" {
				ou.Parent = p
				attr.Relate(r, resource.RelChildOf, p)
			}
		}
	}
}

// adminPermissions: a role holding one of these can change the IAM policy
// of the organization, a folder or a project where it is granted, so it can
// grant itself or anyone any role there, roles/owner included: it is as
// powerful as roles/owner at that scope, and FullAdmin marks it.
var adminPermissions = map[string]bool{
	"resourcemanager.organizations.setIamPolicy": true,
	"resourcemanager.folders.setIamPolicy":       true,
	"resourcemanager.projects.setIamPolicy":      true,
}

// customRole fills a custom role (iam.googleapis.com/Role): its permissions,
// launch stage and title. Cloud Asset Inventory exports custom roles only.
func customRole(_ *file, r *resource.Resource, d, _ node) {
	r.Class = resource.ClassRole
	rd := &resource.RoleDefinition{Custom: boolp(true)}
	r.Facts.Role = rd
	if !d.present() {
		return
	}
	rd.RoleName = d.s("title")
	rd.Stage = d.s("stage")
	if rel := d.s("name"); rel != "" {
		r.Aliases = appendAliases(r.Aliases, rel) // bindings name the role so
	}
	perms, st := d.strs("includedPermissions")
	switch st {
	case ok:
		rd.IncludedPermissions = perms
		admin := false
		for _, p := range perms {
			if adminPermissions[p] {
				admin = true
			}
		}
		rd.FullAdmin = boolp(admin)
	case absent:
		rd.FullAdmin = boolp(false) // a role without permissions
	}
}

// group fills a Google group (Cloud Identity): its email is how IAM
// bindings name it ("group:<email>").
func group(_ *file, r *resource.Resource, d, _ node) {
	r.Class = resource.ClassGroup
	r.Region = "global"
	r.Facts.Group = &resource.Group{}
	if !d.present() {
		return
	}
	if e := d.s("groupKey", "id"); e != "" {
		r.Name = e
		r.Aliases = appendAliases(r.Aliases, e, "group:"+e)
	}
}

func appendAliases(have []string, add ...string) []string {
	for _, a := range add {
		if a == "" {
			continue
		}
		dup := false
		for _, h := range have {
			if h == a {
				dup = true
				break
			}
		}
		if !dup {
			have = append(have, a)
		}
	}
	return have
}

// computeAliases are the forms a Compute Engine resource is referred to by
// in other resources: its selfLink as written, the same URL on the other
// API host and version, and the relative "projects/..." path.
func computeAliases(self string) []string {
	rel := self
	for _, prefix := range []string{"https://www.googleapis.com/compute/", "https://compute.googleapis.com/compute/"} {
		if rest, found := strings.CutPrefix(self, prefix); found {
			if i := strings.IndexByte(rest, '/'); i >= 0 {
				rel = rest[i+1:] // drop the API version
			}
		}
	}
	if rel != self && strings.HasPrefix(rel, "projects/") {
		return []string{self, rel,
			"https://www.googleapis.com/compute/v1/" + rel,
			"https://compute.googleapis.com/compute/v1/" + rel,
			"https://www.googleapis.com/compute/beta/" + rel}
	}
	return []string{self}
}

var primitiveRoles = map[string]bool{"roles/owner": true, "roles/editor": true, "roles/viewer": true}

// publicRoles are, per class, the roles whose grant to allUsers or
// allAuthenticatedUsers makes the resource public in the sense of its
// class's public fact; nil means any role.
var publicRoles = map[string]map[string]bool{
	TypeCloudFunction:   {"roles/cloudfunctions.invoker": true, "roles/run.invoker": true},
	TypeCloudFunctionV2: {"roles/cloudfunctions.invoker": true, "roles/run.invoker": true},
	TypeRunService:      {"roles/run.invoker": true},
}

// iamPolicy turns an asset's IAM policy into one iam_binding resource per
// (role, member, condition), sets the facts the policy decides on the
// asset itself (a public bucket, key, snapshot, topic, secret, repository
// or function) and, for a project, its audit configuration. Without
// rawDropped each binding keeps its asset, role, member and condition as
// Raw; with it, none (FinishRaw keeps no binding's Raw: at 100,000
// resources that map and its boxed strings were about 7% of an import's
// allocations).
func iamPolicy(res *attr.Result, r *resource.Resource, p node, rawDropped bool) {
	public, condPublic := false, false
	level := scopeLevel(r.Type)
	before := p.c.count()
	bindings, bst := p.objs("bindings")
	for _, b := range bindings {
		role, rst := b.str("role")
		var cond *resource.BindingCondition
		if cn, st := b.obj("condition"); st == ok {
			cond = &resource.BindingCondition{Title: cn.s("title"), Description: cn.s("description"), Expression: cn.s("expression")}
		} else if st == bad {
			// A condition that cannot be read restricts the grant in a way
			// nobody can tell: keep the grant, with an unreadable condition.
			cond = &resource.BindingCondition{Expression: "<unreadable>"}
		}
		members, _ := b.strs("members")
		for _, member := range members {
			isPublic := member == "allUsers" || member == "allAuthenticatedUsers"
			if roles := publicRoles[r.Type]; isPublic && (roles == nil || roles[role]) {
				if cond == nil {
					public = true
				} else {
					// IAM refuses conditions on allUsers and allAuthenticatedUsers;
					// one in the input cannot be judged statically either way.
					condPublic = true
				}
			}
			ptype, _, found := strings.Cut(member, ":")
			if !found {
				ptype = member
			}
			id := r.ID + "#iam/" + role + "/" + member
			if cond != nil {
				id += "#condition/" + cond.Title
			}
			// One allocation for the binding's resource, facts and
			// relationships (at most three below) rather than one each.
			ba := &bindingAlloc{
				b: resource.Binding{
					Principal: member, PrincipalType: ptype, Role: role, RoleName: role, Scope: r.ID, ScopeLevel: level,
					Public:    boolp(isPublic),
					Condition: cond,
				},
			}
			bind := &ba.r
			*bind = resource.Resource{
				Provider: resource.GCP, Account: r.Account, Region: "global", Type: TypeBinding,
				ID: id, Name: role + " " + member, Source: r.Source,
				Class:         resource.ClassIAMBinding,
				Facts:         resource.Facts{Binding: &ba.b},
				Relationships: ba.rels[:0],
			}
			if !rawDropped {
				cond, _ := b.exact("condition")
				bind.Raw = attr.M{"resource": r.ID, "role": role, "member": member, "condition": attr.Plain(cond)}
			}
			custom := strings.HasPrefix(role, "projects/") || strings.HasPrefix(role, "organizations/")
			if rst == ok { // what the role is cannot be told from a role that cannot be read
				bind.Facts.Binding.Primitive = boolp(primitiveRoles[role])
				if !custom {
					bind.Facts.Binding.Privileged = boolp(role == "roles/owner")
				} // a custom role's: from the role, when the inventory holds it (inventory.Derive)
			}
			attr.Relate(bind, "grants_on", r.ID)
			if custom {
				attr.Relate(bind, "grants_role", role)
			}
			if id, found := strings.CutPrefix(member, "serviceAccount:"); found {
				attr.Relate(bind, "grants_to", id)
			} else if found {
				attr.Relate(bind, "grants_to", member)
			}
			res.Resources = append(res.Resources, bind)
		}
	}
	// The resource is public when a binding says so, not public when every
	// binding was read, unknown when one could not be read.
	var pub *bool
	if public {
		pub = boolp(true)
	} else if p.c.count() == before && bst != bad && !condPublic {
		pub = boolp(false)
	}
	switch {
	case r.Facts.Storage != nil:
		r.Facts.Storage.PublicAccess = pub
	case r.Facts.Key != nil:
		r.Facts.Key.PublicAccess = pub
	case r.Facts.Snapshot != nil:
		r.Facts.Snapshot.Public = pub
		if p.c.count() == before && bst != bad {
			sharing(r.Facts.Snapshot, r.Account, bindings)
		}
	case r.Facts.Function != nil:
		r.Facts.Function.PublicInvocation = pub
	case r.Facts.Queue != nil:
		r.Facts.Queue.PublicPolicy = pub
	case r.Facts.Secret != nil:
		r.Facts.Secret.PublicAccess = pub
	case r.Facts.Registry != nil:
		r.Facts.Registry.Public = pub
	}
	switch r.Type {
	case TypeProject:
		auditConfig(res, r, p)
	case TypeOrganization, TypeFolder:
		// Audit configs set here apply to every project below
		// (Finalize joins them); a node without any adds nothing.
		if configs, _ := p.objs(p.firstKey("audit_configs", "auditConfigs")); len(configs) > 0 {
			auditConfig(res, r, p)
		}
	}
}

// bindingAlloc holds a binding iamPolicy makes: its resource, its facts and
// room for its relationships.
type bindingAlloc struct {
	r    resource.Resource
	b    resource.Binding
	rels [3]resource.Relationship
}

func scopeLevel(typ string) string {
	switch typ {
	case TypeProject:
		return "account"
	case TypeOrganization:
		return "organization"
	case TypeFolder:
		return "folder"
	}
	return "resource"
}

// logTypes of google.iam.v1.AuditLogConfig.LogType, by enum number.
var logTypes = map[string]string{"1": "ADMIN_READ", "2": "DATA_WRITE", "3": "DATA_READ"}

// auditConfig records a project's audit configuration as an audit_log
// resource, and whether it covers allServices on the project itself.
func auditConfig(res *attr.Result, r *resource.Resource, p node) {
	before := p.c.count()
	configs, _ := p.objs(p.firstKey("audit_configs", "auditConfigs"))
	allServices, complete := false, false
	for _, c := range configs {
		if c.s("service") != "allServices" {
			continue
		}
		allServices = true
		have := map[string]bool{}
		exempt := false
		lcs, _ := c.objs(c.firstKey("audit_log_configs", "auditLogConfigs"))
		for _, lc := range lcs {
			v, _ := lc.lookup(lc.firstKey("log_type", "logType"))
			lt := attr.AsStr(v)
			if n, found := logTypes[lt]; found {
				lt = n
			}
			have[lt] = true
			if ex, _ := lc.strs(lc.firstKey("exempted_members", "exemptedMembers")); len(ex) > 0 {
				exempt = true
			}
		}
		complete = have["ADMIN_READ"] && have["DATA_READ"] && have["DATA_WRITE"] && !exempt
	}
	al := &resource.AuditLog{MultiRegion: boolp(true)}
	if p.c.count() == before {
		if r.Type == TypeProject && r.Facts.Account != nil {
			r.Facts.Account.AuditLogging = boolp(allServices)
		}
		al.Enabled, al.AllServices = boolp(len(configs) > 0), boolp(complete)
	}
	configsV, _ := p.exact(p.firstKey("audit_configs", "auditConfigs"))
	res.Resources = append(res.Resources, &resource.Resource{
		Provider: resource.GCP, Account: r.Account, Region: "global", Type: TypeAuditConfig,
		ID: r.ID + "#auditConfigs", Name: "audit-config", Source: r.Source,
		Raw:           attr.M{"resource": r.ID, "audit_configs": attr.Plain(configsV)},
		Class:         resource.ClassAuditLog,
		Facts:         resource.Facts{AuditLog: al},
		Relationships: []resource.Relationship{{Type: "configures", TargetID: r.ID}},
	})
}

// sharing fills a snapshot's or image's sharing from its IAM members: the
// projects of the service accounts it is granted to. cross_account is true
// when one belongs to another project, false when every member is a service
// account or a project role (projectOwner:<p>) of the owner's project, and
// unknown otherwise (users, groups and domains belong to no project).
func sharing(s *resource.Snapshot, owner string, bindings []node) {
	if owner == "" {
		return
	}
	foreign, unknown := map[string]bool{}, false
	for _, b := range bindings {
		members, _ := b.strs("members")
		for _, m := range members {
			kind, id, _ := strings.Cut(m, ":")
			switch kind {
			case "serviceAccount":
				proj, found := strings.CutSuffix(id[strings.IndexByte(id, '@')+1:], ".iam.gserviceaccount.com")
				switch {
				case !found || !strings.Contains(id, "@"):
					unknown = true // Google-managed service agents and App Engine accounts
				case proj != owner:
					foreign[proj] = true
				}
			case "projectOwner", "projectEditor", "projectViewer":
				if id != owner {
					unknown = true // the project may be named by number
				}
			default:
				unknown = true
			}
		}
	}
	for proj := range foreign {
		s.SharedWith = append(s.SharedWith, proj)
	}
	sort.Strings(s.SharedWith)
	switch {
	case len(foreign) > 0:
		s.CrossAccount = boolp(true)
	case !unknown:
		s.CrossAccount = boolp(false)
	}
}
