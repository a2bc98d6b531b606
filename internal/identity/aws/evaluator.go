package awsiam

import (
	"fmt"
	"sort"
	"strings"

	awsref "github.com/vigil-sec/vigil/internal/identity/refdata/aws"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Options configure New.
type Options struct {
	// Ref is the reference data (AWS managed policies, action catalog);
	// nil loads the embedded data.
	Ref *awsref.Data
	// ResourcePolicies are resource-based policies by resource ARN (bucket,
	// queue, key, secret, function policies), over those the inventory's
	// resources carry (Facts.ResourcePolicy). Role trust policies come
	// from the roles themselves.
	ResourcePolicies map[string]*resource.PolicyDocument
}

// Evaluator answers permission questions over an AWS inventory: every
// policy is compiled once in New (a managed policy once for all the
// principals it is attached to), so that IsAllowed and Actions only match.
// It is immutable after New and safe for concurrent use.
type Evaluator struct {
	ref        *awsref.Data
	principals map[string]*Principal
	// roles by ARN without path, for role sessions.
	roles map[string]*Principal
	// tags of the inventory's AWS resources that carry them, by ID: they
	// decide aws:PrincipalTag and aws:ResourceTag conditions.
	tags map[string]map[string]string
	// Resource policies by ARN: the given ones and role trust policies.
	resPolicies map[string]*Policy
	accounts    map[string]*accountOrg
	problems    []Problem
	// fast holds the action bitsets of AllowedActionNames.
	fast *fastIndex
}

// Principal is an AWS principal of the inventory with the policies that
// apply to it, resolved and compiled.
type Principal struct {
	ARN     string
	Account string
	// Kind: user, role, root.
	Kind string
	// Identity: attached managed policies, inline policies and those of
	// its groups; a policy that could not be resolved is a Broken one.
	Identity []*Policy
	// Boundary is the permissions boundary, nil when none.
	Boundary *Policy
	// Groups are the ARNs of the groups the user is in.
	Groups []string
}

type accountOrg struct {
	scps, rcps *OrgChain
}

// rootPolicy stands for the root user's implicit full access.
var rootPolicy, _ = Compile("root user (full access)", &resource.PolicyDocument{Version: "2012-10-17", Statements: []resource.Statement{{Effect: "Allow", Actions: []string{"*"}, Resources: []string{"*"}}}}, nil)

// New builds an evaluator from the AWS resources of an inventory (other
// providers' resources are ignored): users, roles and root users with
// their attached, inline and group policies and boundaries; customer
// managed policies; groups; accounts with their SCP and RCP chains.
// Problems lists the policies that could not be read or resolved.
func New(rs []*resource.Resource, o Options) (*Evaluator, error) {
	ref := o.Ref
	if ref == nil {
		var err error
		if ref, err = awsref.Load(); err != nil {
			return nil, fmt.Errorf("loading AWS IAM reference data: %w", err)
		}
	}
	e := &Evaluator{ref: ref, principals: map[string]*Principal{}, roles: map[string]*Principal{}, tags: map[string]map[string]string{}, resPolicies: map[string]*Policy{}, accounts: map[string]*accountOrg{}, fast: &fastIndex{}}
	b := &builder{e: e, managed: map[string]*Policy{}, byID: map[string]*resource.Resource{}, groups: map[string]*resource.Resource{}, org: map[string]*Policy{}, groupInline: map[string][]*Policy{}}
	for _, r := range rs {
		if r.Provider != resource.AWS {
			continue
		}
		if r.Tags != nil {
			e.tags[r.ID] = r.Tags
		}
		f := &r.Facts
		if f.Identity == nil && f.Policy == nil && f.Group == nil {
			continue // only IAM resources are looked up by ID
		}
		b.byID[r.ID] = r
		for _, a := range r.Aliases {
			b.byID[a] = r
		}
		if r.Facts.Group != nil {
			b.groups[r.Account+"/"+r.Name] = r
		}
	}
	for _, r := range rs {
		if r.Provider != resource.AWS {
			continue
		}
		switch {
		case r.Facts.Identity != nil:
			b.principal(r)
		case r.Facts.Account != nil:
			b.account(r)
		}
	}
	// Resource-based policies in the inventory (Facts.ResourcePolicy), by
	// the resource's ARN; Options.ResourcePolicies win over them.
	for _, r := range rs {
		doc := r.Facts.ResourcePolicy
		if r.Provider != resource.AWS || doc == nil {
			continue
		}
		for _, arn := range append([]string{r.ID}, r.Aliases...) {
			if !strings.HasPrefix(arn, "arn:") || o.ResourcePolicies[arn] != nil || e.resPolicies[arn] != nil {
				continue
			}
			p, probs := Compile(arn, doc, ref)
			e.problems = append(e.problems, probs...)
			e.resPolicies[arn] = p
		}
	}
	for arn, doc := range o.ResourcePolicies {
		p, probs := Compile(arn, doc, ref)
		e.problems = append(e.problems, probs...)
		e.resPolicies[arn] = p
	}
	sort.SliceStable(e.problems, func(i, j int) bool { return e.problems[i].String() < e.problems[j].String() })
	return e, nil
}

type builder struct {
	e       *Evaluator
	managed map[string]*Policy // compiled managed policies by ARN
	byID    map[string]*resource.Resource
	groups  map[string]*resource.Resource // account/name
	org     map[string]*Policy
	// groupInline: the compiled inline policies of each group.
	groupInline map[string][]*Policy
}

func (b *builder) problem(principal string, probs []Problem) {
	for _, p := range probs {
		p.Principal = principal
		b.e.problems = append(b.e.problems, p)
	}
}

// managedPolicy resolves an attachment (ARN or name) to a compiled policy;
// an unknown one is a Broken policy named after it.
func (b *builder) managedPolicy(principal, account, ref string) *Policy {
	key := ref
	if !strings.HasPrefix(ref, "arn:") {
		if r := b.byID["arn:aws:iam::"+account+":policy/"+ref]; r != nil && r.Facts.Policy != nil {
			key = r.ID
		} else if b.e.ref.ManagedPolicy("arn:aws:iam::aws:policy/"+ref) != nil {
			key = "arn:aws:iam::aws:policy/" + ref
		}
	}
	if p, ok := b.managed[key]; ok {
		return p
	}
	var p *Policy
	var probs []Problem
	switch r := b.byID[key]; {
	case r != nil && r.Facts.Policy != nil:
		p, probs = Compile(r.ID, r.Facts.Policy.Document, b.e.ref)
	case awsref.IsAWSManagedARN(key):
		if doc := b.e.ref.ManagedPolicy(key); doc != nil {
			p, probs = Compile(key, doc, nil)
		} else {
			p = &Policy{Name: key, Broken: "AWS managed policy not in the reference data (refresh it: scripts/refresh-aws-iam-data.sh)"}
			probs = []Problem{{Policy: key, Message: p.Broken}}
		}
	default:
		p = &Policy{Name: key, Broken: "attached policy not in the inventory"}
		probs = []Problem{{Policy: key, Message: p.Broken}}
	}
	b.managed[key] = p
	b.problem(principal, probs)
	return p
}

func (b *builder) inline(principal string, docs []resource.NamedPolicy, names []string) []*Policy {
	var out []*Policy
	have := map[string]bool{}
	for _, d := range docs {
		have[d.Name] = true
		p, probs := Compile(principal+"#"+d.Name, d.Document, b.e.ref)
		b.problem(principal, probs)
		out = append(out, p)
	}
	for _, n := range names {
		if !have[n] {
			p := &Policy{Name: principal + "#" + n, Broken: "inline policy document not in the inventory"}
			b.problem(principal, []Problem{{Policy: p.Name, Message: p.Broken}})
			out = append(out, p)
		}
	}
	return out
}

func (b *builder) attachments(principal, account string, names []string, rels []resource.Relationship) []*Policy {
	seen := map[string]bool{}
	var out []*Policy
	add := func(ref string) {
		p := b.managedPolicy(principal, account, ref)
		if !seen[p.Name] {
			seen[p.Name] = true
			out = append(out, p)
		}
	}
	for _, n := range names {
		add(n)
	}
	for _, rel := range rels {
		if rel.Type == resource.RelHasPolicy {
			if r := b.byID[rel.TargetID]; r != nil && r.Facts.Policy != nil {
				add(r.ID)
			} else {
				add(rel.TargetID)
			}
		}
	}
	return out
}

func (b *builder) principal(r *resource.Resource) {
	id := r.Facts.Identity
	pr := &Principal{ARN: r.ID, Account: r.Account, Kind: id.Kind}
	switch id.Kind {
	case "root":
		pr.Identity = []*Policy{rootPolicy}
	case "user", "role":
		pr.Identity = b.attachments(r.ID, r.Account, id.AttachedPolicies, r.Relationships)
		pr.Identity = append(pr.Identity, b.inline(r.ID, id.InlineDocuments, id.InlinePolicies)...)
		if id.PermissionsBoundary != "" {
			pr.Boundary = b.managedPolicy(r.ID, r.Account, id.PermissionsBoundary)
		}
		if id.Kind == "user" {
			groups, missing := b.userGroups(r)
			for _, n := range missing {
				// The group's policies are unknown: they may allow or deny.
				p := &Policy{Name: "group " + n, Broken: "group not in the inventory"}
				b.problem(r.ID, []Problem{{Policy: p.Name, Message: p.Broken}})
				pr.Identity = append(pr.Identity, p)
			}
			for _, g := range groups {
				pr.Groups = append(pr.Groups, g.ID)
				gf := g.Facts.Group
				pr.Identity = append(pr.Identity, b.attachments(r.ID, g.Account, gf.AttachedPolicies, g.Relationships)...)
				inl, ok := b.groupInline[g.ID]
				if !ok {
					// Compiled (and reported) once per group, not per member.
					inl = b.inline(g.ID, gf.InlineDocuments, nil)
					b.groupInline[g.ID] = inl
				}
				pr.Identity = append(pr.Identity, inl...)
			}
		}
		if id.Kind == "role" && id.TrustPolicy != nil {
			p, probs := Compile(r.ID+" (trust policy)", id.TrustPolicy, b.e.ref)
			b.problem(r.ID, probs)
			b.e.resPolicies[r.ID] = p
		}
	default:
		return
	}
	b.e.principals[r.ID] = pr
	if pr.Kind == "role" {
		b.e.roles[roleARNWithoutPath(pr.ARN)] = pr
	}
}

// userGroups resolves a user's groups from member_of relationships and the
// group names of its facts.
func (b *builder) userGroups(r *resource.Resource) (groups []*resource.Resource, missing []string) {
	seen := map[string]bool{}
	var out []*resource.Resource
	add := func(g *resource.Resource) {
		if g != nil && g.Facts.Group != nil && !seen[g.ID] {
			seen[g.ID] = true
			out = append(out, g)
		}
	}
	for _, rel := range r.Relationships {
		if rel.Type == resource.RelMemberOf {
			add(b.byID[rel.TargetID])
		}
	}
	for _, n := range r.Facts.Identity.Groups {
		if g := b.byID[n]; g != nil {
			add(g)
		} else if g := b.groups[r.Account+"/"+n]; g != nil {
			add(g)
		} else if !seen[n] {
			seen[n] = true
			missing = append(missing, n)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, missing
}

func (b *builder) account(r *resource.Resource) {
	a := r.Facts.Account
	acct := r.Account
	ao := &accountOrg{scps: b.chain(acct, a.SCPs), rcps: b.chain(acct, a.RCPs)}
	b.e.accounts[acct] = ao
}

func (b *builder) chain(account string, op *resource.OrgPolicies) *OrgChain {
	if op == nil || (op.Applies != nil && !*op.Applies) {
		return nil
	}
	c := &OrgChain{}
	if op.Applies == nil {
		c.Incomplete = "whether the organization policies apply to account " + account + " is unknown"
	}
	if len(op.Incomplete) > 0 {
		c.Incomplete = strings.Join(op.Incomplete, "; ")
	}
	for _, lv := range op.Levels {
		l := OrgLevel{Target: lv.Target}
		for _, np := range lv.Policies {
			key := np.ID
			if key == "" {
				key = lv.Target + "#" + np.Name
			}
			p, ok := b.org[key]
			if !ok {
				var probs []Problem
				p, probs = Compile(key, np.Document, b.e.ref)
				b.problem("", probs)
				b.org[key] = p
			}
			l.Policies = append(l.Policies, p)
		}
		c.Levels = append(c.Levels, l)
	}
	return c
}

// Problems are the policies that could not be read or resolved, with the
// principal they apply to.
func (e *Evaluator) Problems() []Problem { return e.problems }

// Principal returns a principal of the inventory by ARN, nil when unknown.
func (e *Evaluator) Principal(arn string) *Principal { return e.principals[arn] }

// Principals returns the ARNs of the inventory's principals, sorted.
func (e *Evaluator) Principals() []string {
	out := make([]string, 0, len(e.principals))
	for a := range e.principals {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// Context is the request context of a question.
type Context struct {
	// Values are context keys and their values (aws:SourceIp,
	// aws:PrincipalTag/team...). The evaluator adds those it knows from
	// the principal and resource (aws:PrincipalArn, aws:PrincipalAccount,
	// aws:username, aws:ResourceAccount).
	Values map[string][]string
	// Complete: keys absent from Values are absent from the request.
	// False (the usual case for questions about an inventory): a condition
	// on an absent key makes the answer Conditional.
	Complete bool
	// ResourceAccount is the account that owns the resource when its ARN
	// does not say (S3); "" assumes the principal's account.
	ResourceAccount string
	// SessionPolicies restrict a role session (optional).
	SessionPolicies []*resource.PolicyDocument
}

// PolicySet returns the policies that apply to a request by principal on a
// resource: for callers that evaluate many actions on one pair.
func (e *Evaluator) PolicySet(principal, resourceARN, resourceAccount string) *PolicySet {
	ps := &PolicySet{}
	pi := parsePrincipal(principal)
	if pr := e.lookupPrincipal(pi); pr != nil {
		ps.Identity, ps.Boundary = pr.Identity, pr.Boundary
	} else if pi.kind != "service" && pi.kind != "anonymous" && pi.kind != "provider" {
		ps.Identity = []*Policy{{Name: principal, Broken: "principal not in the inventory"}}
	}
	if ao := e.accounts[pi.account]; ao != nil {
		ps.SCPs = ao.scps
	}
	resAcct := resourceAccount
	if resAcct == "" {
		resAcct = arnAccount(resourceARN)
		if resAcct == "" || resAcct == "aws" {
			resAcct = pi.account
		}
	}
	if ao := e.accounts[resAcct]; ao != nil && ao.rcps != nil {
		svc := ""
		if parts := strings.SplitN(resourceARN, ":", 4); len(parts) >= 3 {
			svc = parts[2]
		}
		if e.ref.RCPSupported(svc) {
			ps.RCPs = ao.rcps
		}
	}
	if p := e.resourcePolicy(resourceARN); p != nil {
		ps.Resource = p
	}
	return ps
}

// resourcePolicy is the resource-based policy governing resourceARN: its
// own, else its owner's — the bucket's for an S3 object
// (arn:aws:s3:::bucket/key), the function's for a qualified Lambda ARN
// (...:function:name:alias).
func (e *Evaluator) resourcePolicy(resourceARN string) *Policy {
	if p := e.resPolicies[resourceARN]; p != nil {
		return p
	}
	switch {
	case strings.HasPrefix(resourceARN, "arn:") && strings.Contains(resourceARN, ":s3:::"):
		if bucket, _, found := strings.Cut(resourceARN, "/"); found {
			return e.resPolicies[bucket]
		}
	case strings.Contains(resourceARN, ":lambda:") && strings.Contains(resourceARN, ":function:"):
		parts := strings.Split(resourceARN, ":")
		if len(parts) == 8 { // arn:partition:lambda:region:account:function:name:qualifier
			return e.resPolicies[strings.Join(parts[:7], ":")]
		}
	}
	return nil
}

func (e *Evaluator) lookupPrincipal(pi principalInfo) *Principal {
	if pr := e.principals[pi.arn]; pr != nil {
		return pr
	}
	if pi.kind == "session" {
		return e.roles[pi.roleARN]
	}
	return nil
}

// IsAllowed decides whether principal may perform action on resource (an
// ARN, or "*" for actions without a resource) under every policy of the
// inventory that applies.
func (e *Evaluator) IsAllowed(principal, action, resourceARN string, ctx Context) Decision {
	return e.ActionsOn(principal, resourceARN, []string{action}, ctx)[0].Decision
}

// ActionsOn answers IsAllowed for several actions of one principal on one
// resource, resolving the policies once.
func (e *Evaluator) ActionsOn(principal, resourceARN string, actions []string, ctx Context) []Grant {
	ps := e.PolicySet(principal, resourceARN, ctx.ResourceAccount)
	for i, d := range ctx.SessionPolicies {
		p, _ := Compile(fmt.Sprintf("session policy %d", i), d, nil)
		ps.Session = append(ps.Session, p)
	}
	values, prefixes := e.tagContext(principal, resourceARN, ctx)
	out := make([]Grant, 0, len(actions))
	for _, action := range actions {
		req := &Request{Principal: principal, Action: action, Resource: resourceARN, ResourceAccount: ctx.ResourceAccount, Context: values, ContextComplete: ctx.Complete, CompletePrefixes: prefixes}
		set := ps
		if ps.Resource == nil && requiresResourcePolicy(strings.ToLower(action), resourceARN) {
			// Every role has a trust policy and every KMS key a key
			// policy: not knowing it, the answer cannot be certain.
			cp := *ps
			cp.ResourceUnknown = true
			set = &cp
		}
		out = append(out, Grant{Action: action, Decision: e.checkAction(action, Evaluate(req, set))})
	}
	return out
}

// tagContext adds the principal's and the resource's tags from the
// inventory to the question's context (aws:PrincipalTag/..., for a role
// session its role's; aws:ResourceTag/...) unless the question sets them,
// and says those key families are then complete.
func (e *Evaluator) tagContext(principal, resourceARN string, ctx Context) (map[string][]string, []string) {
	values := ctx.Values
	copied := false
	var prefixes []string
	add := func(prefix string, tags map[string]string) {
		for k := range ctx.Values {
			if len(k) >= len(prefix) && strings.EqualFold(k[:len(prefix)], prefix) {
				return // the question decides these keys
			}
		}
		if !copied {
			copied = true
			values = make(map[string][]string, len(ctx.Values)+len(tags))
			for k, v := range ctx.Values {
				values[k] = v
			}
		}
		for k, v := range tags {
			values[prefix+k] = []string{v}
		}
		prefixes = append(prefixes, prefix)
	}
	pi := parsePrincipal(principal)
	if pr := e.lookupPrincipal(pi); pr != nil {
		if tags, ok := e.tags[pr.ARN]; ok {
			add("aws:PrincipalTag/", tags)
		}
	}
	if tags, ok := e.tags[resourceARN]; ok {
		add("aws:ResourceTag/", tags)
	}
	return values, prefixes
}

// checkAction makes an answer about an action the catalog does not know
// Uncertain (the catalog may be older than the action), except an explicit
// deny.
func (e *Evaluator) checkAction(action string, d Decision) Decision {
	if d.Result == ExplicitDeny || e.ref.Known(action) || strings.EqualFold(action, "sts:GetCallerIdentity") {
		return d
	}
	d.Result = Uncertain
	d.Reasons = append(d.Reasons, "action "+action+" is not in the action catalog")
	return d
}

// Grant is what Actions answers for one action.
type Grant struct {
	Action   string   `json:"action"`
	Decision Decision `json:"decision"`
	// Resources are the Resource patterns of the statements that allow
	// the action ("*" for all); NotResource patterns are prefixed "not ".
	Resources []string `json:"resources,omitempty"`
}

// Actions answers, for each action, whether the principal can perform it
// on some resource of its own account, from its identity policies,
// boundary and SCPs: an Allow statement with any Resource counts, a Deny
// only when it covers every resource. Resource policies (which may grant
// more, or across accounts) are not consulted: ask IsAllowed for a given
// resource. It is the question escalation-path search asks ("which of
// these sensitive actions can this principal do"), answered from the
// compiled action index without a resource to name.
func (e *Evaluator) Actions(principal string, actions []string, ctx Context) []Grant {
	pi := parsePrincipal(principal)
	ps := e.PolicySet(principal, "", "")
	ps.RCPs = nil
	out := make([]Grant, 0, len(actions))
	// One prepared request serves every action (the context map is only
	// read).
	values, prefixes := e.tagContext(principal, "", ctx)
	base := newRequestState(&Request{Principal: principal, Resource: "*", Context: values, ContextComplete: ctx.Complete, CompletePrefixes: prefixes})
	base.anyResource = true
	base.resAcct = pi.account
	for _, a := range actions {
		s := *base
		s.req = &Request{Principal: principal, Action: a, Resource: "*", Context: values, ContextComplete: ctx.Complete, CompletePrefixes: prefixes}
		s.action = strings.ToLower(a)
		s.service, _, _ = strings.Cut(s.action, ":")
		d := e.checkAction(a, evaluate(&s, ps))
		g := Grant{Action: a, Decision: d}
		if d.Result != ExplicitDeny && d.Result != ImplicitDeny {
			g.Resources = allowResources(ps, s.action)
		}
		out = append(out, g)
	}
	return out
}

// allowResources lists the Resource patterns of the identity Allow
// statements for an action.
func allowResources(ps *PolicySet, action string) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range ps.Identity {
		p.forEach(action, func(st *stmt) {
			if !st.allow {
				return
			}
			prefix := ""
			if st.notRes {
				prefix = "not "
			}
			if st.resAll {
				seen["*"] = true
			}
			for _, r := range st.res {
				k := prefix + r.raw
				if !seen[k] {
					seen[k] = true
					out = append(out, k)
				}
			}
		})
	}
	if seen["*"] && len(out) == 0 {
		out = []string{"*"}
	}
	sort.Strings(out)
	return out
}

// AllowedActions lists every catalog action the principal can perform on
// some resource (see Actions), expanding the wildcards and NotAction of
// its identity policies through the action catalog: what-can.
func (e *Evaluator) AllowedActions(principal string, ctx Context) []Grant {
	ps := e.PolicySet(principal, "", "")
	var out []Grant
	for _, g := range e.Actions(principal, allowedCandidates(e, ps), ctx) {
		if !g.Decision.Result.Denied() {
			out = append(out, g)
		}
	}
	return out
}

// allowedCandidates are the catalog actions some Allow statement of the
// identity policies may grant: every action when one has NotAction or
// Action "*" (in catalog order), else their actions and expanded
// wildcards, sorted.
func allowedCandidates(e *Evaluator, ps *PolicySet) []string {
	cand := map[string]bool{}
	all := false
	for _, p := range ps.Identity {
		if p.Broken != "" {
			continue
		}
		for i := range p.stmts {
			st := &p.stmts[i]
			if !st.allow {
				continue
			}
			if st.notAction || st.actAll {
				all = true
				break
			}
			for _, a := range st.actExact {
				if act, ok := e.ref.Lookup(a); ok {
					cand[act.Name] = true
				}
			}
			for _, g := range st.actGlobs {
				for _, a := range e.ref.Expand(g) {
					cand[a] = true
				}
			}
		}
	}
	if all {
		return e.ref.Expand("*")
	}
	actions := make([]string, 0, len(cand))
	for a := range cand {
		actions = append(actions, a)
	}
	sort.Strings(actions)
	return actions
}

// Access is one principal's answer in WhoCan.
type Access struct {
	Principal string   `json:"principal"`
	Decision  Decision `json:"decision"`
}

// WhoCan answers who-can for AWS: every principal of the inventory, and
// every principal the resource's policy names that is not in the inventory
// (another account, a service, a federated provider, "*" for anyone),
// that is allowed the action on the resource, or may be (Conditional,
// Uncertain). Denied principals are left out. Sorted by principal.
func (e *Evaluator) WhoCan(action, resourceARN string, ctx Context) []Access {
	var out []Access
	ask := func(p string) {
		if d := e.IsAllowed(p, action, resourceARN, ctx); !d.Result.Denied() {
			out = append(out, Access{Principal: p, Decision: d})
		}
	}
	for _, p := range e.Principals() {
		ask(p)
	}
	if rp := e.resourcePolicy(resourceARN); rp != nil && rp.Broken == "" {
		seen := map[string]bool{}
		for i := range rp.stmts {
			st := &rp.stmts[i]
			if !st.allow || st.notPrin {
				continue
			}
			for _, pr := range st.principals {
				id := pr.ID
				switch {
				case pr.Type == "*" || id == "*":
					id = "" // anyone: asked as an unsigned request
				case pr.Type == "AWS" && len(id) == 12 && strings.Trim(id, "0123456789") == "":
					id = "arn:aws:iam::" + id + ":root"
				}
				if seen[id] || e.principals[id] != nil {
					continue
				}
				seen[id] = true
				ask(id)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Principal < out[j].Principal })
	return out
}
