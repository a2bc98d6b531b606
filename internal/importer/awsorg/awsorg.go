package awsorg

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/vigil-sec/vigil/internal/iam/awspolicy"
	awsref "github.com/vigil-sec/vigil/internal/identity/refdata/aws"
	"github.com/vigil-sec/vigil/internal/importer/awsconfig"
	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Format is the name of the input format this package reads.
const Format = "aws-organizations"

// Native types of the resources this package produces. Member accounts are
// awsconfig.TypeAccount resources with ID awsconfig.AccountID, so they merge
// with the account resources the other AWS inputs give.
const (
	TypeOrganization = "AWS::Organizations::Organization"
	TypeRoot         = "AWS::Organizations::Root"
	TypeOU           = "AWS::Organizations::OrganizationalUnit"
	TypePolicy       = "AWS::Organizations::Policy"
)

// Organizations policy types that restrict requests, and their kinds.
const (
	SCP = "SERVICE_CONTROL_POLICY"
	RCP = "RESOURCE_CONTROL_POLICY"
)

var policyKinds = map[string]string{SCP: "service_control_policy", RCP: "resource_control_policy"}

// sections are the top-level keys of the format besides Organization.
var sections = []string{"Roots", "OrganizationalUnits", "Accounts", "Policies", "OrganizationsFeatures", "DelegatedAdministrators", "ResourcePolicy"}

// Detect returns Format when doc is the AWS Organizations object: an
// object with an Organization object, or with two of Roots,
// OrganizationalUnits, Accounts, Policies, OrganizationsFeatures and
// DelegatedAdministrators (keys as the CLI spells them).
func Detect(doc any) string {
	d, isObj := doc.(attr.M)
	if !isObj {
		return ""
	}
	if _, isObj := d["Organization"].(attr.M); isObj {
		return Format
	}
	n := 0
	for _, k := range sections {
		if _, has := d[k]; has {
			n++
		}
	}
	if n >= 2 {
		return Format
	}
	return ""
}

type (
	node  = attr.Node
	state = attr.State
)

const (
	absent = attr.Absent
	ok     = attr.OK
	bad    = attr.Bad
)

// treeNode is a root, OU or account of the organization tree.
type treeNode struct {
	short  string // r-…, ou-…, or the 12-digit account ID
	parent string // the parent's short ID, "" when not given
	r      *resource.Resource
	root   bool
}

// policy is an authorization policy with where it is attached.
type policy struct {
	r       *resource.Resource
	typ     string
	named   resource.NamedPolicy
	targets []string // short IDs of the nodes
	known   bool     // the targets were listed
}

type reader struct {
	res        *attr.Result
	orgID      string
	mgmt       string // management account ID
	orgARN     string
	consBill   bool             // FeatureSet CONSOLIDATED_BILLING: no authorization policies
	enabled    map[string]*bool // policy type → enabled on the root
	nodes      map[string]*treeNode
	roots      []*treeNode
	accounts   []*treeNode
	policies   []*policy
	byTarget   map[string][]*policy // short ID → policies attached to it
	policyRead bool                 // the Policies list was read
	org        *resource.Resource   // the organization, when the input names it
}

// Parse imports a decoded document Detect accepted. A field of the wrong
// type or a required field missing is a problem naming the field (and the
// resource when known); the rest of the document is still read.
func Parse(ctx context.Context, path string, doc any) *attr.Result {
	rd := &reader{res: &attr.Result{Format: Format}, enabled: map[string]*bool{}, nodes: map[string]*treeNode{}, byTarget: map[string][]*policy{}}
	d, _ := doc.(attr.M)
	top := &attr.Checker{}
	root := node{M: d, C: top}
	rd.organization(root)
	rd.orgSettings(root)
	for _, step := range []struct {
		key  string
		read func(node)
	}{
		{"Roots", rd.root},
		{"OrganizationalUnits", rd.ou},
		{"Accounts", rd.account},
		{"Policies", rd.policy},
	} {
		if ctx.Err() != nil {
			return rd.res
		}
		items, st := list(root, step.key)
		if step.key == "Policies" {
			rd.policyRead = st == ok
		}
		for _, it := range items {
			if it.M == nil {
				continue // reported by list
			}
			step.read(it)
		}
	}
	rd.res.Problems = append(top.Problems, rd.res.Problems...)
	rd.relate()
	for _, a := range rd.accounts {
		af := a.r.Facts.Account
		af.SCPs = rd.chain(a, SCP)
		af.RCPs = rd.chain(a, RCP)
		if g := guardrails(af.SCPs, af.RCPs); g != nil {
			if af.CIS == nil {
				af.CIS = &resource.AccountCIS{}
			}
			af.CIS.OrgGuardrails = g
		}
		if rd.mgmt != "" {
			if af.CIS == nil {
				af.CIS = &resource.AccountCIS{}
			}
			af.CIS.ManagementAccount = resource.Bool(a.short == rd.mgmt)
		}
	}
	for _, r := range rd.res.Resources {
		r.Source = path
	}
	return rd.res
}

// list reads a top-level section: an array, or the CLI output object that
// holds it ({"Roots":[...]}). Elements that are not objects are returned
// as zero nodes and reported by the caller.
func list(root node, key string) ([]node, state) {
	v, st := root.Lookup(key)
	if st != ok {
		return nil, st
	}
	if o := attr.AsObj(v); o != nil {
		if inner, has := o[key]; has {
			v = inner
		}
	}
	a := attr.AsArr(v)
	if a == nil {
		root.C.Wrong(root.Field(key), "array", v)
		return nil, bad
	}
	out := make([]node, len(a))
	for i, e := range a {
		field := fmt.Sprintf("%s[%d]", root.Field(key), i)
		o := attr.AsObj(e)
		if o == nil {
			out[i] = node{C: &attr.Checker{}}
			if e != nil {
				root.C.Wrong(field, "object", e)
			}
			continue
		}
		out[i] = node{M: o, Path: attr.PathOf(field), C: &attr.Checker{ID: field}}
	}
	return out, ok
}

// finish moves an element's problems to the result.
func (rd *reader) finish(n node) { rd.res.Problems = append(rd.res.Problems, n.C.Problems...) }

// unwrap returns the object under key when n holds one (the whole output
// of a describe call, {"OrganizationalUnit":{...}}), else n itself.
func unwrap(n node, key string) node {
	if in, st := n.Obj(key); st == ok {
		return in
	}
	return n
}

func (rd *reader) organization(root node) {
	o, st := root.Obj("Organization")
	if st != ok {
		return
	}
	o = unwrap(o, "Organization")
	rd.orgID = o.S("Id")
	rd.mgmt = o.S("MasterAccountId")
	if rd.mgmt == "" {
		rd.mgmt = awspolicy.AccountOf(o.S("MasterAccountArn"))
	}
	rd.consBill = strings.EqualFold(o.S("FeatureSet"), "CONSOLIDATED_BILLING")
	// AvailablePolicyTypes is deprecated in favour of the root's
	// PolicyTypes, which win when both are given.
	rd.policyTypes(o, "AvailablePolicyTypes")
	rd.orgARN = o.S("Arn")
	if rd.orgARN == "" && rd.orgID != "" {
		rd.orgARN = "arn:aws:organizations::" + rd.mgmt + ":organization/" + rd.orgID
	}
	if rd.orgARN == "" {
		root.C.Problems = append(root.C.Problems, attr.Problem{Field: o.Field("Id"), Err: "Organization has neither Id nor Arn: the organization node is not imported"})
		return
	}
	name := rd.orgID
	if name == "" {
		name = rd.orgARN
	}
	r := rd.add(TypeOrganization, rd.orgARN, name)
	r.Class = resource.ClassOrgUnit
	r.Facts.OrgUnit = &resource.OrgUnit{Kind: "organization"}
	rd.org = r
}

// orgSettings reads the organization-wide settings CIS AWS 7.0 section
// 2.1 checks onto the organization: IAM's organizations features
// (OrganizationsFeatures: aws iam list-organizations-features, 2.1.1) and
// the delegated administrators (DelegatedAdministrators: aws
// organizations list-delegated-administrators, the list or the whole
// output, 2.1.6). A section of the wrong type leaves its fact unknown.
func (rd *reader) orgSettings(root node) {
	if rd.org == nil {
		return
	}
	o := rd.org.Facts.OrgUnit
	if f, st := root.Obj("OrganizationsFeatures"); st == ok {
		if feats, fst := f.Strs("EnabledFeatures"); fst == ok {
			on := false
			for _, x := range feats {
				on = on || strings.EqualFold(x, "RootCredentialsManagement")
			}
			o.RootCredentialsManagement = resource.Bool(on)
		}
	}
	rd.policyDelegation(root)
	admins, st := list(root, "DelegatedAdministrators")
	if st != ok {
		return
	}
	ids := []string{}
	for _, a := range admins {
		id, ist := a.Str("Id")
		if a.M == nil || ist != ok || id == "" {
			rd.finish(a)
			return // one unreadable entry: who administers what is unknown
		}
		if !strings.EqualFold(a.S("Status"), "SUSPENDED") {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	o.DelegatedAdministration = resource.Bool(len(ids) > 0)
	if len(ids) > 0 {
		o.DelegatedAdministrators = ids
	}
}

// policyTypes reads [{Type, Status}] into rd.enabled.
func (rd *reader) policyTypes(n node, key string) {
	pts, st := n.Objs(key)
	if st != ok {
		return
	}
	for _, t := range []string{SCP, RCP} {
		on := false
		for _, pt := range pts {
			if strings.EqualFold(pt.S("Type"), t) && strings.EqualFold(pt.S("Status"), "ENABLED") {
				on = true
			}
		}
		rd.enabled[t] = resource.Bool(on)
	}
}

// add makes a resource of the organization (in the management account).
func (rd *reader) add(typ, id, name string) *resource.Resource {
	r := &resource.Resource{Provider: resource.AWS, Account: rd.mgmt, Region: "global", Type: typ, ID: id, Name: name}
	rd.res.Resources = append(rd.res.Resources, r)
	return r
}

// arn synthesizes the ARN of a node or policy the input names only by ID
// ("aws-organizations/<id>" when the organization is not known).
func (rd *reader) arn(kind, id string) string {
	if rd.orgID == "" || rd.mgmt == "" {
		return "aws-organizations/" + id
	}
	return "arn:aws:organizations::" + rd.mgmt + ":" + kind + "/" + rd.orgID + "/" + id
}

var (
	accountIDRe = regexp.MustCompile(`^[0-9]{12}$`)
	// orgARNRe: Organizations ARNs name the management account and the
	// organization (arn:aws:organizations::111111111111:root/o-x/r-y).
	orgARNRe = regexp.MustCompile(`^arn:aws[a-z-]*:organizations::([0-9]{12}):[a-z_]+/(o-[a-z0-9]+)/`)
)

// learn takes the management account and organization ID from an ARN
// when the Organization object did not give them.
func (rd *reader) learn(arn string) {
	if rd.mgmt != "" && rd.orgID != "" {
		return
	}
	if m := orgARNRe.FindStringSubmatch(arn); m != nil {
		if rd.mgmt == "" {
			rd.mgmt = m[1]
		}
		if rd.orgID == "" {
			rd.orgID = m[2]
		}
	}
}

// nodeID is the resource ID of the node with short ID id, whether or not
// the input lists it.
func (rd *reader) nodeID(id string) string {
	if n := rd.nodes[id]; n != nil {
		return n.r.ID
	}
	switch {
	case accountIDRe.MatchString(id):
		return awsconfig.AccountID(id)
	case strings.HasPrefix(id, "r-"):
		return rd.arn("root", id)
	}
	return rd.arn("ou", id)
}

// ident reads an element's Id; "" (reported) when missing.
func ident(n node) string {
	id, st := n.Str("Id")
	if st == absent || (st == ok && id == "") {
		n.C.Problems = append(n.C.Problems, attr.Problem{Resource: n.C.ID, Field: n.Field("Id"), Err: n.Field("Id") + ": missing: element skipped"})
	}
	return id
}

// orgNode makes the org_unit resource of a root or an OU (in: its
// describe object, n: the element); nil when it has no Id.
func (rd *reader) orgNode(n, in node, typ, arnKind, kind string) (*resource.Resource, string) {
	id := ident(in)
	if id == "" {
		return nil, ""
	}
	arn := in.S("Arn")
	rd.learn(arn)
	if arn == "" {
		arn = rd.arn(arnKind, id)
	}
	n.C.ID = arn
	name := in.S("Name")
	if name == "" {
		name = id
	}
	r := rd.add(typ, arn, name)
	r.Aliases = []string{id}
	r.Class = resource.ClassOrgUnit
	r.Facts.OrgUnit = &resource.OrgUnit{Kind: kind}
	return r, id
}

func (rd *reader) root(n node) {
	defer rd.finish(n)
	r, id := rd.orgNode(n, n, TypeRoot, "root", "root")
	if r == nil {
		return
	}
	r.Facts.OrgUnit.Parent = rd.orgARN
	attr.Relate(r, resource.RelChildOf, rd.orgARN)
	if n.Has("PolicyTypes") {
		rd.policyTypes(n, "PolicyTypes")
	}
	t := &treeNode{short: id, r: r, root: true}
	rd.nodes[id] = t
	rd.roots = append(rd.roots, t)
}

func (rd *reader) ou(n node) {
	defer rd.finish(n)
	in := unwrap(n, "OrganizationalUnit")
	r, id := rd.orgNode(n, in, TypeOU, "ou", "organizational_unit")
	if r == nil {
		return
	}
	rd.nodes[id] = &treeNode{short: id, parent: parentOf(n, in), r: r}
}

// parentOf reads ParentId beside the describe output or inside it.
func parentOf(outer, inner node) string {
	if p := outer.S("ParentId"); p != "" {
		return p
	}
	if inner.M != nil && inner.Path.String() != outer.Path.String() {
		return inner.S("ParentId")
	}
	return ""
}

func (rd *reader) account(n node) {
	defer rd.finish(n)
	in := unwrap(n, "Account")
	id := ident(in)
	if id == "" {
		return
	}
	if !accountIDRe.MatchString(id) {
		in.C.Problems = append(in.C.Problems, attr.Problem{Resource: in.C.ID, Field: in.Field("Id"), Err: fmt.Sprintf("%s: %q is not a 12-digit account ID: element skipped", in.Field("Id"), id)})
		return
	}
	r := &resource.Resource{Provider: resource.AWS, Account: id, Region: "global", Type: awsconfig.TypeAccount, ID: awsconfig.AccountID(id), Name: in.S("Name")}
	n.C.ID = r.ID
	if r.Name == "" {
		r.Name = id
	}
	if arn := in.S("Arn"); arn != "" {
		rd.learn(arn)
		r.Aliases = []string{arn}
	}
	r.Class = resource.ClassAccount
	r.Facts.Account = &resource.Account{}
	rd.res.Resources = append(rd.res.Resources, r)
	t := &treeNode{short: id, parent: parentOf(n, in), r: r}
	rd.nodes[id] = t
	rd.accounts = append(rd.accounts, t)
}

func (rd *reader) policy(n node) {
	defer rd.finish(n)
	in := unwrap(n, "Policy")
	sum, st := in.Obj("PolicySummary")
	if st != ok {
		if st == absent {
			n.C.Problems = append(n.C.Problems, attr.Problem{Resource: n.C.ID, Field: in.Field("PolicySummary"), Err: in.Field("PolicySummary") + ": missing: policy skipped"})
		}
		return
	}
	id := ident(sum)
	if id == "" {
		return
	}
	typ := strings.ToUpper(sum.S("Type"))
	arn := sum.S("Arn")
	if arn == "" {
		arn = rd.arn("policy", strings.ToLower(typ)+"/"+id)
	}
	n.C.ID = arn
	name := sum.S("Name")
	if name == "" {
		name = id
	}
	r := rd.add(TypePolicy, arn, name)
	r.Aliases = []string{id}
	kind, authz := policyKinds[typ]
	if !authz {
		// Tag, backup, AI opt-out and other management policies grant
		// and deny nothing: kept, not evaluated.
		r.Class = resource.ClassOther
		rd.res.AddUnsupported(r)
		return
	}
	r.Class = resource.ClassOrgPolicy
	op := &resource.OrgPolicy{Kind: kind}
	r.Facts.OrgPolicy = op
	if m := sum.B("AwsManaged"); m != nil {
		op.Managed = map[bool]string{true: "aws", false: "customer"}[*m]
	}
	if v, st := in.Lookup("Content"); st == ok {
		switch v.(type) {
		case string, attr.M:
			op.Document = awspolicy.Parse(v)
			if op.Document != nil && op.Document.Error != "" {
				n.C.Problems = append(n.C.Problems, attr.Problem{Resource: arn, Field: in.Field("Content"),
					Err: fmt.Sprintf("%s: policy %q (%s) does not parse: %s", in.Field("Content"), name, id, op.Document.Error)})
			}
		default:
			in.C.Wrong(in.Field("Content"), "string", v)
		}
	}
	p := &policy{r: r, typ: typ, named: resource.NamedPolicy{ID: arn, Name: name, Document: op.Document}}
	rd.policies = append(rd.policies, p)
	// Targets beside the describe-policy output, or the whole
	// list-targets-for-policy output ({"Targets":[...]}).
	tn := n
	if !n.Has("Targets") {
		tn = in
	}
	ts, tst := list(tn, "Targets")
	if tst != ok {
		return
	}
	p.known = true
	for _, t := range ts {
		if t.M == nil {
			p.known = false // reported by list
			continue
		}
		tid, st := t.Str("TargetId")
		if tid == "" {
			if st != bad {
				t.C.Problems = append(t.C.Problems, attr.Problem{Resource: arn, Field: t.Field("TargetId"), Err: t.Field("TargetId") + ": missing"})
			}
			rd.finish(t)
			p.known = false
			continue
		}
		rd.finish(t)
		p.targets = append(p.targets, tid)
		rd.byTarget[tid] = append(rd.byTarget[tid], p)
	}
	op.Attached = resource.Bool(len(p.targets) > 0)
	if !p.known {
		op.Attached = nil
		if len(p.targets) > 0 {
			op.Attached = resource.Bool(true)
		}
	}
}

// relate sets the parent of every OU and account and the targets of every
// policy, now that every node is known.
func (rd *reader) relate() {
	for _, t := range rd.nodes {
		if t.root || t.parent == "" {
			continue
		}
		pid := rd.nodeID(t.parent)
		attr.Relate(t.r, resource.RelChildOf, pid)
		if t.r.Facts.OrgUnit != nil {
			t.r.Facts.OrgUnit.Parent = pid
		} else if t.r.Facts.Account != nil {
			t.r.Facts.Account.Parent = pid
		}
	}
	for _, p := range rd.policies {
		op := p.r.Facts.OrgPolicy
		for _, tid := range p.targets {
			id := rd.nodeID(tid)
			op.Targets = append(op.Targets, id)
			attr.Relate(p.r, resource.RelAttachedTo, id)
		}
	}
}

// maxDepth bounds a walk up the tree (AWS allows five levels of OUs).
const maxDepth = 64

// chain returns the policies of type typ over account a, root first.
func (rd *reader) chain(a *treeNode, typ string) *resource.OrgPolicies {
	ch := &resource.OrgPolicies{Levels: []resource.OrgPolicyLevel{}}
	switch en := rd.enabled[typ]; {
	case rd.consBill || (en != nil && !*en):
		ch.Applies = resource.Bool(false)
	case rd.mgmt == "":
		// Any account may be the management account, which no policy
		// restricts.
	case a.short == rd.mgmt:
		ch.Applies = resource.Bool(false)
	default:
		ch.Applies = en
	}
	incomplete := func(format string, args ...any) { ch.Incomplete = append(ch.Incomplete, fmt.Sprintf(format, args...)) }
	path := []*treeNode{a}
	for cur := a; !cur.root; {
		if len(path) > maxDepth {
			incomplete("the parents of account %s loop or go deeper than %d levels", a.short, maxDepth)
			break
		}
		if cur.parent == "" {
			incomplete("the parent of %s is not in the input", cur.short)
			break
		}
		next := rd.nodes[cur.parent]
		if next == nil {
			incomplete("%s, the parent of %s, is not in the input", cur.parent, cur.short)
			break
		}
		path = append(path, next)
		cur = next
	}
	if top := path[len(path)-1]; !top.root && len(rd.roots) == 1 {
		// An organization has one root, above every account.
		path = append(path, rd.roots[0])
	}
	if !rd.policyRead {
		incomplete("the organization's policies are not in the input")
	}
	for _, p := range rd.policies {
		if p.typ == typ && !p.known {
			incomplete("the targets of policy %s are not in the input", p.named.Name)
		}
	}
	for i := len(path) - 1; i >= 0; i-- {
		t := path[i]
		lvl := resource.OrgPolicyLevel{Target: t.r.ID, Policies: []resource.NamedPolicy{}}
		for _, p := range rd.byTarget[t.short] {
			if p.typ == typ {
				lvl.Policies = append(lvl.Policies, p.named)
			}
		}
		if len(lvl.Policies) == 0 && (ch.Applies == nil || *ch.Applies) {
			// AWS keeps at least one policy of an enabled type on every
			// node (FullAWSAccess, RCPFullAWSAccess by default).
			incomplete("no %s attached to %s in the input", strings.ReplaceAll(policyKinds[typ], "_", " "), t.short)
		}
		ch.Levels = append(ch.Levels, lvl)
	}
	return ch
}

// policyActions are the AWS Organizations actions that manage policies
// (CIS AWS 7.0 2.1.5: their management delegated to a member account).
var policyActions = []string{"organizations:createpolicy", "organizations:updatepolicy", "organizations:deletepolicy",
	"organizations:attachpolicy", "organizations:detachpolicy", "organizations:enablepolicytype", "organizations:disablepolicytype"}

// policyDelegation reads the organization's resource-based delegation
// policy (ResourcePolicy: aws organizations describe-resource-policy's
// ResourcePolicy, or null when the organization has none): whether an
// Allow statement grants a principal one of the policy-management actions
// (a wildcard covering one counts).
func (rd *reader) policyDelegation(root node) {
	v, st := root.Lookup("ResourcePolicy")
	switch {
	case st == absent && root.Has("ResourcePolicy"): // null: no resource policy
		rd.org.Facts.OrgUnit.PolicyDelegation = resource.Bool(false)
		return
	case st != ok:
		return
	}
	rp := node{M: attr.AsObj(v), Path: attr.PathOf("ResourcePolicy"), C: root.C}
	if rp.M == nil {
		root.C.Wrong("ResourcePolicy", "object or null", v)
		rd.finish(root)
		return
	}
	content, cst := rp.Str("Content")
	if cst != ok {
		if cst == absent {
			root.C.Wrong("ResourcePolicy.Content", "the policy text", nil)
		}
		rd.finish(root)
		return
	}
	doc := awspolicy.ParseText(content)
	if doc.Error != "" {
		root.C.Wrong("ResourcePolicy.Content", "a policy document ("+doc.Error+")", content)
		rd.finish(root)
		return
	}
	on := false
	for _, s := range doc.Statements {
		if !strings.EqualFold(s.Effect, "Allow") || len(s.Principals) == 0 {
			continue
		}
		for _, a := range s.Actions {
			for _, p := range policyActions {
				on = on || awsref.Wildcard(strings.ToLower(a), p)
			}
		}
	}
	rd.org.Facts.OrgUnit.PolicyDelegation = resource.Bool(on)
}

// defaultPolicies are the AWS-managed policies AWS attaches to every node
// of an enabled type, which restrict nothing.
var defaultPolicies = []string{"p-FullAWSAccess", "p-RCPFullAWSAccess"}

// guardrails tells whether an account under policies restricting it has a
// baseline authorization policy over it (CIS AWS 7.0 2.1.2): a service or
// resource control policy other than the defaults at some level. false
// only when no level of an applying chain lacks policies or parents in the
// input; nil when no chain applies (the management account, consolidated
// billing) or the answer is not known.
func guardrails(chains ...*resource.OrgPolicies) *bool {
	applying, complete := false, true
	for _, ch := range chains {
		if ch == nil || (ch.Applies != nil && !*ch.Applies) {
			continue
		}
		if ch.Applies == nil || len(ch.Incomplete) > 0 {
			complete = false
		}
		applying = applying || (ch.Applies != nil && *ch.Applies)
		for _, l := range ch.Levels {
			for _, p := range l.Policies {
				id := p.ID[strings.LastIndexByte(p.ID, '/')+1:]
				if !slices.ContainsFunc(defaultPolicies, func(d string) bool { return strings.EqualFold(d, id) }) {
					return resource.Bool(true)
				}
			}
		}
	}
	if !applying || !complete {
		return nil
	}
	return resource.Bool(false)
}
