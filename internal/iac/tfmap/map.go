package tfmap

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
)

// A typeMapper fills the facts of one Terraform resource type, with the
// meaning the export importer gives them for the same native type (so the
// same rules judge both). Where an argument is absent, the provider's
// documented default (current major version) is what deploys.
type typeMapper struct {
	provider resource.Provider
	// native is the cloud's type name the export importers use.
	native string
	class  resource.Class
	fill   func(m *mapper, r *inst, out *resource.Resource)
}

// inst is an instance being mapped.
type inst struct {
	in *Instance
	a  map[string]any
	// base is the address without its last instance key.
	base string
	out  *resource.Resource
	// joined is true once another resource took it in.
	joined bool
}

func (r *inst) typ() string { return r.in.Type }

// mapper maps the instances of one call of Map.
type mapper struct {
	ctx    context.Context
	all    []*inst
	byAddr map[string]*inst
	byBase map[string][]*inst
	byType map[string][]*inst
	// byKey maps type + "\x00" + a literal identifying value (id, ARN,
	// name) to the instances carrying it.
	byKey map[string][]*inst
	// attached maps an instance to the instances that configure it.
	attached map[*inst][]*inst
	probs    []source.Problem
	cur      *inst
	// data are the data source instances, by address (read where a
	// resource refers to one, as a policy document).
	data map[string]*Instance
	// extra are resources added beside the instances' own (one IAM
	// binding resource per member of a google_*_iam_binding).
	extra []*resource.Resource
	// eol caches runtime end-of-support lookups.
	eol map[string]string
	// rev are the reverse reference indexes referrers builds.
	rev map[string]map[*inst][]*inst
}

// referrers returns the instances of type src whose attribute attr
// designates r (as one of targetTypes), from an index built once per
// question, so joining stays linear in the number of instances.
func (m *mapper) referrers(r *inst, src, attr string, targetTypes ...string) []*inst {
	key := src + "\x00" + attr + "\x00" + strings.Join(targetTypes, ",")
	idx, found := m.rev[key]
	if !found {
		idx = map[*inst][]*inst{}
		for _, s := range m.byType[src] {
			for _, t := range m.targets(s.a[attr], targetTypes...) {
				idx[t] = append(idx[t], s)
			}
		}
		m.rev[key] = idx
	}
	return idx[r]
}

// Map maps instances to resources.
//
// Facts mean what the export importers' facts mean for the same native type
// (AWS::S3::Bucket, Microsoft.Storage/storageAccounts, ...), so the built-in
// rules judge Terraform as they judge live inventories. An absent argument
// takes the provider's documented default (what deploys with the current
// major version); a value known only after apply (Unknown) leaves the facts
// that depend on it nil, and a value of the wrong type is a problem naming
// the address and the attribute, with the same effect. A split resource
// whose parent is outside the configuration is judged on what it says alone
// (a rule opening SSH); aws_iam_policy_document and google_iam_policy data
// sources are read where a policy refers to them.
//
// Instances of types it does not model
// are returned in unsupported (resource ID → Terraform type), as are split
// resources (a security group rule, a bucket policy) that configure
// nothing of the configuration and say nothing on their own; data sources
// are not resources and are left out. Problems name the instance and the
// attribute. References and names are resolved within each root module
// (or plan file): instances of different roots never join.
func Map(ctx context.Context, insts []Instance) (rs []*resource.Resource, unsupported map[string]string, problems []source.Problem) {
	unsupported = map[string]string{}
	var order []string
	roots := map[string][]*Instance{}
	for i := range insts {
		sc := scope(&insts[i])
		if roots[sc] == nil {
			order = append(order, sc)
		}
		roots[sc] = append(roots[sc], &insts[i])
	}
	eol := map[string]string{}
	for _, sc := range order {
		if ctx.Err() != nil {
			break
		}
		m := &mapper{ctx: ctx, byAddr: map[string]*inst{}, byBase: map[string][]*inst{}, byType: map[string][]*inst{},
			byKey: map[string][]*inst{}, attached: map[*inst][]*inst{}, data: map[string]*Instance{}, eol: eol, rev: map[string]map[*inst][]*inst{}}
		m.run(roots[sc])
		for _, r := range m.all {
			switch {
			case r.out != nil:
				rs = append(rs, r.out)
			case !r.joined:
				unsupported[rid(r.in)] = r.typ()
			}
		}
		rs = append(rs, m.extra...)
		problems = append(problems, m.probs...)
	}
	return rs, unsupported, problems
}

// run maps the instances of one root module.
func (m *mapper) run(insts []*Instance) {
	for _, in := range insts {
		if in.Mode == "data" || IsDataAddr(in.Address) {
			m.data[in.Address] = in
			if b := baseAddr(in.Address); b != in.Address && m.data[b] == nil {
				m.data[b] = in
			}
			continue
		}
		a := in.Attrs
		if a == nil {
			a = map[string]any{}
		}
		r := &inst{in: in, a: a, base: baseAddr(in.Address)}
		m.all = append(m.all, r)
		m.byAddr[in.Address] = r
		if r.base != in.Address {
			m.byBase[r.base] = append(m.byBase[r.base], r)
		}
		m.byType[in.Type] = append(m.byType[in.Type], r)
		for _, k := range keyAttrs(in.Type) {
			if s, isStr := a[k].(string); isStr && s != "" {
				key := in.Type + "\x00" + s
				m.byKey[key] = append(m.byKey[key], r)
			}
		}
	}
	m.index()
	for i, r := range m.all {
		if i%256 == 0 && m.ctx.Err() != nil {
			return
		}
		tm, found := mappers[r.typ()]
		if !found {
			continue
		}
		m.cur = r
		r.out = m.newResource(r, tm)
		tm.fill(m, r, r.out)
		if r.out.Class == "" {
			r.out = nil // the mapper declined: not a resource of its class
		}
	}
	m.cur = nil
	m.metricAlarms() // aws_alarms.go: account facts from trails, filters and alarms
}

// baseAddr drops the instance key of the last step of an address:
// aws_s3_bucket.b["x"] → aws_s3_bucket.b.
func baseAddr(a string) string {
	if !strings.HasSuffix(a, "]") {
		return a
	}
	depth := 0
	inStr := false
	for i := len(a) - 1; i >= 0; i-- {
		switch c := a[i]; {
		case c == '"' && (i == 0 || a[i-1] != '\\'):
			inStr = !inStr
		case inStr:
		case c == ']':
			depth++
		case c == '[':
			depth--
			if depth == 0 {
				return a[:i]
			}
		}
	}
	return a
}

// keyAttrs are the attributes other resources may name an instance by.
func keyAttrs(typ string) []string {
	if k, found := extraKeys[typ]; found {
		return k
	}
	return defaultKeys
}

var defaultKeys = []string{"id", "arn", "name", "self_link"}

var extraKeys = map[string][]string{
	"aws_s3_bucket":             {"id", "arn", "bucket"},
	"aws_lambda_function":       {"id", "arn", "function_name", "invoke_arn"},
	"aws_rds_cluster":           {"id", "arn", "cluster_identifier"},
	"aws_db_instance":           {"id", "arn", "identifier"},
	"aws_kms_key":               {"id", "arn", "key_id"},
	"aws_sqs_queue":             {"id", "arn", "name", "url"},
	"aws_route53_zone":          {"id", "arn", "zone_id", "name"},
	"aws_secretsmanager_secret": {"id", "arn", "name"},
	// Method settings name their stage by stage_name (with rest_api_id).
	"aws_api_gateway_stage":  {"id", "arn", "stage_name"},
	"google_service_account": {"id", "name", "email", "account_id", "unique_id"},
	"google_storage_bucket":  {"id", "name", "self_link", "url"},
	"google_kms_crypto_key":  {"id", "name", "self_link"},
	// Named by their IDs within the project (dataset_id = x.dataset_id).
	"google_bigquery_dataset":             {"id", "dataset_id", "self_link"},
	"google_secret_manager_secret":        {"id", "name", "secret_id"},
	"google_artifact_registry_repository": {"id", "name", "repository_id"},
	"google_compute_network":              {"id", "name", "self_link"},
	"azurerm_storage_account":             {"id", "name"},
	"azurerm_key_vault":                   {"id", "name", "vault_uri"},
	"azurerm_mssql_server":                {"id", "name"},
	"azurerm_network_security_group":      {"id", "name"},
}

// targets are the instances of the given types a value designates: by a
// reference (Unknown.Refs, whole resource or one instance), or by a
// literal ID, ARN or name (the last element of an ARN or path too).
func (m *mapper) targets(v any, types ...string) []*inst {
	var out []*inst
	add := func(r *inst) {
		if r == nil || !contains(types, r.typ()) {
			return
		}
		for _, x := range out {
			if x == r {
				return
			}
		}
		out = append(out, r)
	}
	switch t := v.(type) {
	case string:
		if t == "" {
			return nil
		}
		for _, typ := range types {
			for _, r := range m.byKey[typ+"\x00"+t] {
				add(r)
			}
			if i := strings.LastIndexAny(t, "/:"); i >= 0 && i < len(t)-1 {
				for _, r := range m.byKey[typ+"\x00"+t[i+1:]] {
					add(r)
				}
			}
		}
	case []any:
		for _, e := range t {
			for _, r := range m.targets(e, types...) {
				add(r)
			}
		}
	default:
		if u, isU := unknownOf(v); isU {
			for _, ref := range u.Refs {
				if r := m.byAddr[ref]; r != nil {
					add(r)
					continue
				}
				for _, r := range m.byBase[ref] {
					add(r)
				}
			}
		}
	}
	return out
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// attachment says which attributes of a split resource name the
// resources it configures, and their types.
type attachment struct {
	// on maps each attribute to the types of the resources it may name.
	on map[string][]string
	// own is true when the attachment is also a resource of its own (an
	// IAM policy, a listener, a flow log): it is not marked joined.
	own bool
}

// index records, for every split resource, the resources it configures;
// one that configures none stays unjoined (unsupported).
func (m *mapper) index() {
	for _, r := range m.all {
		a, found := attachments[r.typ()]
		if !found {
			continue
		}
		for p, types := range a.on {
			for _, t := range sameKey(r, m.targets(r.a[p], types...)) {
				if !containsInst(m.attached[t], r) {
					m.attached[t] = append(m.attached[t], r)
				}
			}
		}
	}
}

// sameKey narrows the several instances a reference to a whole resource
// designates to the one with the referring instance's own key, as with
// bucket = aws_s3_bucket.b[each.key].id read without its key.
func sameKey(r *inst, ts []*inst) []*inst {
	if len(ts) < 2 || r.base == r.in.Address {
		return ts
	}
	key := r.in.Address[len(r.base):]
	for _, t := range ts {
		if t.base != t.in.Address && t.in.Address[len(t.base):] == key {
			return []*inst{t}
		}
	}
	return ts
}

func containsInst(l []*inst, r *inst) bool {
	for _, x := range l {
		if x == r {
			return true
		}
	}
	return false
}

// attachedTo returns the split resources of the given types configuring
// r, and marks them joined.
func (m *mapper) attachedTo(r *inst, types ...string) []*inst {
	var out []*inst
	for _, a := range m.attached[r] {
		if contains(types, a.typ()) {
			if !attachments[a.typ()].own {
				a.joined = true
			}
			out = append(out, a)
		}
	}
	return out
}

// ofType returns the instances of the given types.
func (m *mapper) ofType(types ...string) []*inst {
	if len(types) == 1 {
		return m.byType[types[0]]
	}
	var out []*inst
	for _, t := range types {
		out = append(out, m.byType[t]...)
	}
	return out
}

// problem reports a problem with an attribute of the instance being mapped.
func (m *mapper) problem(field, format string, args ...any) {
	m.problemAt(m.cur, field, format, args...)
}

func (m *mapper) problemAt(r *inst, field, format string, args ...any) {
	if r == nil {
		return
	}
	m.probs = append(m.probs, source.Problem{Path: r.in.Location.File, Line: r.in.Location.StartLine, Resource: r.in.Address,
		Field: field, Err: fmt.Sprintf(format, args...)})
}

// wouldFail reports, as a warning, an argument the provider's API refuses:
// the configuration reads, but the apply would fail on it. It is not an
// input error (the exit status is unchanged).
func (m *mapper) wouldFail(field, format string, args ...any) {
	m.problem(field, "would fail to deploy: "+format, args...)
	if m.cur != nil {
		m.probs[len(m.probs)-1].Warning = true
	}
}

// rid is the resource ID of an instance: the root module's directory (or
// the plan or state file) and the address, unique within a scan.
func rid(in *Instance) string {
	return scope(in) + ":" + in.Address
}

func scope(in *Instance) string {
	f := in.Location.File
	if len(in.Location.Calls) > 0 {
		f = in.Location.Calls[0].File
	}
	if f == "" {
		return "."
	}
	if strings.HasSuffix(f, ".json") {
		return f
	}
	return path.Dir(f)
}

func (m *mapper) newResource(r *inst, tm typeMapper) *resource.Resource {
	name := r.in.Name
	for _, k := range nameAttrs {
		if s, isStr := r.a[k].(string); isStr && s != "" {
			name = s
			break
		}
	}
	loc := r.in.Location
	if loc.Address == "" {
		loc.Address = r.in.Address
	}
	// Raw is the instance's own attributes (shared, not copied): a plan's
	// or state's id, arn and self_link name the deployed resource (vigil
	// drift matches them with an inventory's). inventory.Collect drops it
	// unless KeepRaw is set.
	return &resource.Resource{
		Provider: tm.provider, Region: r.in.Region, Account: accountOf(r, tm.provider), Type: tm.native, ID: rid(r.in), Name: name,
		Tags: instanceTags(r), Source: r.in.Location.File, Class: tm.class, Location: &loc, Raw: r.a,
	}
}

// accountOf is the account an instance deploys to, as live inventories
// name it: a Google resource's own project argument (a project's
// project_id; none for folders, organizations and billing accounts),
// else the provider configuration's account; "" when unknown (then the
// scan judges the root module's resources as one account scope).
func accountOf(r *inst, p resource.Provider) string {
	if p != resource.GCP {
		return r.in.Account
	}
	attr := "project"
	switch t := r.in.Type; {
	case t == "google_project":
		attr = "project_id"
	case strings.HasPrefix(t, "google_folder"), strings.HasPrefix(t, "google_organization"), strings.HasPrefix(t, "google_billing"):
		return ""
	}
	v, st := look(r.a, attr)
	switch st {
	case absent:
		return r.in.Account
	case ok:
		if s, isText := text(v); isText {
			return strings.TrimPrefix(s, "projects/")
		}
	}
	return "" // set, but known only at apply (another resource's project)
}

var nameAttrs = []string{"bucket", "function_name", "name", "account_id", "cluster_identifier", "identifier", "zone_name"}

// instanceTags returns the tags or labels the resource will carry: in a
// plan or state, what the provider computed (tags_all on AWS, with the
// provider's default tags; terraform_labels or effective_labels on
// Google); in a configuration, the provider's default tags under the
// resource's own tags (AWS, Azure) or labels (Google).
func instanceTags(r *inst) map[string]string {
	for _, k := range []string{"tags_all", "terraform_labels", "effective_labels"} {
		if t := tags(r.a[k]); t != nil {
			return t
		}
	}
	own := tags(r.a["tags"])
	if own == nil {
		own = tags(r.a["labels"])
	}
	def := tags(r.in.DefaultTags)
	if def == nil || unlabelled(r.in.Type) {
		return own
	}
	for k, v := range own {
		def[k] = v
	}
	return def
}

// unlabelled reports the Google resource types without labels (Compute
// Engine firewalls, networks, subnetworks, routes, load balancer backends,
// URL maps, proxies and SSL policies, KMS key rings, IAM members, bindings
// and policies): the provider's default_labels do not reach them, and
// Cloud Asset Inventory shows none on them.
func unlabelled(typ string) bool {
	if !strings.HasPrefix(typ, "google_") {
		return false
	}
	switch typ {
	case "google_compute_firewall", "google_compute_network", "google_compute_subnetwork", "google_compute_route",
		"google_compute_backend_service", "google_compute_region_backend_service", "google_compute_url_map",
		"google_compute_target_http_proxy", "google_compute_target_https_proxy", "google_compute_ssl_policy",
		"google_kms_key_ring":
		return true
	}
	return strings.Contains(typ, "_iam_")
}

// tags reads a tags (or labels) map; values not known before apply are
// left out.
func tags(v any) map[string]string {
	t, _ := v.(map[string]any)
	if len(t) == 0 {
		return nil
	}
	out := make(map[string]string, len(t))
	for k, x := range t {
		if s, isText := text(x); isText {
			out[k] = s
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// relate adds relationships of type typ to what v designates: the
// instances of the configuration it refers to (by their resource ID), or
// the literal IDs it holds.
func (m *mapper) relate(out *resource.Resource, typ string, v any, types ...string) {
	switch t := v.(type) {
	case string:
		if t == "" {
			return
		}
		if ts := m.targets(t, types...); len(ts) > 0 {
			for _, x := range ts {
				out.Relationships = append(out.Relationships, resource.Relationship{Type: typ, TargetID: rid(x.in)})
			}
			return
		}
		out.Relationships = append(out.Relationships, resource.Relationship{Type: typ, TargetID: t})
	case []any:
		for _, e := range t {
			m.relate(out, typ, e, types...)
		}
	default:
		if u, isU := unknownOf(v); isU {
			for _, ref := range u.Refs {
				if r := m.byAddr[ref]; r != nil {
					out.Relationships = append(out.Relationships, resource.Relationship{Type: typ, TargetID: rid(r.in)})
					continue
				}
				for _, r := range m.byBase[ref] {
					out.Relationships = append(out.Relationships, resource.Relationship{Type: typ, TargetID: rid(r.in)})
				}
			}
		}
	}
}
