package gcpiam

import (
	"fmt"
	"sort"
	"strings"

	"github.com/gobwas/glob"

	gcproles "github.com/vigil-sec/vigil/internal/identity/refdata/gcp"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
)

const crm = "//cloudresourcemanager.googleapis.com/"

// Options configure an Evaluator.
type Options struct {
	// Roles are the predefined roles; nil means the embedded reference data
	// (gcproles.Default).
	Roles *gcproles.Roles
}

// Request asks whether Member has Permission on Resource.
type Request struct {
	// Member is an IAM member: user:EMAIL, serviceAccount:EMAIL,
	// group:EMAIL, domain:DOMAIN, allUsers, allAuthenticatedUsers,
	// principal://iam.googleapis.com/.../workloadIdentityPools/POOL/subject/S;
	// or the inventory resource ID or email of a service account.
	Member string
	// Permission is a GCP permission (storage.objects.get).
	Permission string
	// Resource is a full resource name (//storage.googleapis.com/BUCKET,
	// //cloudresourcemanager.googleapis.com/projects/NUMBER) or a short
	// one (projects/ID, folders/N, organizations/N).
	Resource string
}

// Evaluator answers effective-permission questions over one inventory. It
// is safe for concurrent use once built.
type Evaluator struct {
	predefined *gcproles.Roles
	custom     map[string]*role // by every name the inventory gives the role, and predefined roles once resolved
	alias      map[string]string
	account    map[string]string // resource ID -> project (account) it is in
	parent     map[string]string // organization node -> parent node
	orgs       map[string]bool   // organizations
	projects   []string          // project IDs of the inventory
	byScope    map[string]*scopeBinds
	// byPrincipal: member -> bindings naming it; special: the bindings
	// whose member is not matched by equality alone.
	byPrincipal map[string][]*bind
	special     []*bind
	orgScopes   []string            // folders and organizations holding bindings
	nodeScopes  []string            // organizations, folders and projects holding bindings
	groupOf     map[string][]string // member -> groups it is a direct member of
	members     map[string][]string // group -> direct members
	known       map[string]bool     // groups whose membership the inventory holds
	info        map[string]*Holder  // member -> what the inventory says of it
	types       map[string]string   // resource ID -> its type (for IAM conditions)
	cond        *conditions
	problems    []source.Problem
}

type scopeBinds struct {
	direct  map[string][]*bind // by member, for members matched by equality
	special []*bind            // every other binding (public, domain, sets, deny rules, groups of unknown membership)
}

type bind struct {
	id        string
	b         *resource.Binding
	principal string // normalized member
	scope     string // canonical
	role      *role  // nil: unknown
	deny      *denyRule
	indexed   bool // in scopeBinds.direct
}

type role struct {
	name, title string
	perms       []string // sorted
	disabled    bool
}

type denyRule struct {
	perms, except []*glob.Pattern
	texts         []string
	exempt        []string // normalized members
}

func (ro *role) has(p string) bool {
	if ro.disabled {
		return false
	}
	i := sort.SearchStrings(ro.perms, p)
	return i < len(ro.perms) && ro.perms[i] == p
}

// New indexes the GCP resources of an inventory: bindings, custom roles,
// the organization, folders and projects, service accounts and groups.
// Resources of other providers are ignored. A resource it cannot use is
// reported in Problems and the rest is indexed.
func New(rs []*resource.Resource, opt Options) (*Evaluator, error) {
	pre := opt.Roles
	if pre == nil {
		var err error
		if pre, err = gcproles.Default(); err != nil {
			return nil, err
		}
	}
	e := &Evaluator{predefined: pre, custom: map[string]*role{}, alias: map[string]string{}, account: map[string]string{}, parent: map[string]string{},
		orgs: map[string]bool{}, byScope: map[string]*scopeBinds{}, byPrincipal: map[string][]*bind{}, groupOf: map[string][]string{}, members: map[string][]string{}, known: map[string]bool{}, info: map[string]*Holder{},
		types: map[string]string{}, cond: newConditions()}
	var gcp []*resource.Resource
	for _, r := range rs {
		if r != nil && r.Provider == resource.GCP {
			gcp = append(gcp, r)
		}
	}
	for _, r := range gcp {
		e.alias[r.ID] = r.ID
		for _, a := range r.Aliases {
			e.alias[a] = r.ID
			if strings.HasPrefix(a, "projects/") || strings.HasPrefix(a, "folders/") || strings.HasPrefix(a, "organizations/") {
				e.alias[crm+a] = r.ID
			}
		}
		if r.Facts.Binding == nil {
			if r.Account != "" {
				e.account[r.ID] = r.Account
			}
			e.types[r.ID] = r.Type
		}
	}
	for _, r := range gcp {
		switch {
		case r.Facts.Role != nil:
			e.addRole(r)
		case r.Facts.Account != nil:
			e.projects = append(e.projects, r.ID)
			e.setParent(r.ID, r.Facts.Account.Parent)
		case r.Facts.OrgUnit != nil:
			if r.Facts.OrgUnit.Kind == "organization" {
				e.orgs[r.ID] = true
			}
			e.setParent(r.ID, r.Facts.OrgUnit.Parent)
		case r.Facts.Identity != nil || r.Facts.Group != nil:
			e.addPrincipal(r)
		}
		for _, rel := range r.Relationships {
			if rel.Type == resource.RelChildOf && (r.Facts.Account != nil || r.Facts.OrgUnit != nil) {
				e.setParent(r.ID, rel.TargetID)
			}
		}
	}
	for _, r := range gcp {
		e.addMembership(r)
	}
	orgScopes := map[string]bool{}
	for _, r := range gcp {
		if r.Facts.Binding == nil {
			continue
		}
		if bd := e.addBinding(r); bd != nil && e.isNode(bd.scope) && !orgScopes[bd.scope] {
			orgScopes[bd.scope] = true
			e.nodeScopes = append(e.nodeScopes, bd.scope)
			if !strings.HasPrefix(bd.scope, crm+"projects/") {
				e.orgScopes = append(e.orgScopes, bd.scope)
			}
		}
	}
	sort.Strings(e.orgScopes)
	sort.Strings(e.nodeScopes)
	sort.Strings(e.projects)
	return e, nil
}

// Problems are the inventory resources the evaluator could not use fully.
func (e *Evaluator) Problems() []source.Problem { return e.problems }

func (e *Evaluator) problem(r *resource.Resource, field, format string, a ...any) {
	e.problems = append(e.problems, source.Problem{Path: r.Source, Resource: r.ID, Field: field, Err: fmt.Sprintf(format, a...)})
}

// node returns the canonical ID of a resource name: the inventory's ID when
// the name is one of a resource's aliases, else the name with short
// organization, folder and project names made full.
func (e *Evaluator) node(name string) string {
	if id, ok := e.alias[name]; ok {
		return id
	}
	if strings.HasPrefix(name, "projects/") || strings.HasPrefix(name, "folders/") || strings.HasPrefix(name, "organizations/") {
		if strings.Count(name, "/") == 1 {
			if id, ok := e.alias[crm+name]; ok {
				return id
			}
			return crm + name
		}
	}
	return name
}

func (e *Evaluator) isNode(id string) bool { return strings.HasPrefix(id, crm) }

func (e *Evaluator) setParent(id, parent string) {
	if parent != "" {
		e.parent[id] = e.node(parent)
	}
}

func (e *Evaluator) addRole(r *resource.Resource) {
	rd := r.Facts.Role
	perms := append([]string(nil), rd.IncludedPermissions...)
	sort.Strings(perms)
	ro := &role{name: r.ID, title: rd.RoleName, perms: perms, disabled: rd.Stage == "DISABLED"}
	if len(r.Aliases) > 0 {
		ro.name = r.Aliases[0]
	}
	e.custom[r.ID] = ro
	e.custom[strings.TrimPrefix(r.ID, "//iam.googleapis.com/")] = ro
	for _, a := range r.Aliases {
		e.custom[a] = ro
	}
}

// roleOf resolves a binding's role: a custom role of the inventory, else a
// predefined role of the reference data; nil when neither has it.
func (e *Evaluator) roleOf(name string) *role {
	if ro := e.custom[name]; ro != nil {
		return ro
	}
	if pr, ok := e.predefined.Role(name); ok {
		ro := &role{name: pr.Name, title: pr.Title, perms: pr.Permissions}
		e.custom[name] = ro // resolved once per role
		return ro
	}
	return nil
}

// member normalizes a member: the prefix kept, emails lower-cased; a
// service account's resource ID or email becomes serviceAccount:EMAIL.
func (e *Evaluator) member(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "principal://") || strings.HasPrefix(s, "principalSet://") {
		return v1Member(s)
	}
	if id, ok := e.alias[s]; ok && !strings.Contains(s, ":") {
		if h := e.info[id]; h != nil {
			return h.Principal
		}
	}
	if i := strings.IndexByte(s, ':'); i > 0 {
		kind := s[:i]
		switch kind {
		case "user", "group", "serviceAccount", "domain":
			return kind + ":" + strings.ToLower(s[i+1:])
		case "deleted":
			return s
		}
		return s
	}
	switch {
	case s == "allUsers" || s == "allAuthenticatedUsers":
		return s
	case strings.HasSuffix(strings.ToLower(s), ".gserviceaccount.com"):
		return "serviceAccount:" + strings.ToLower(s)
	}
	return s
}

// v1Member turns an IAM v2 principal identifier (deny policies) into the
// member form bindings use, where one exists.
func v1Member(s string) string {
	switch {
	case s == "principalSet://goog/public:all":
		return "allUsers"
	case strings.HasPrefix(s, "principal://goog/subject/"):
		return "user:" + strings.ToLower(strings.TrimPrefix(s, "principal://goog/subject/"))
	case strings.HasPrefix(s, "principalSet://goog/group/"):
		return "group:" + strings.ToLower(strings.TrimPrefix(s, "principalSet://goog/group/"))
	case strings.HasPrefix(s, "principal://iam.googleapis.com/projects/-/serviceAccounts/"):
		return "serviceAccount:" + strings.ToLower(strings.TrimPrefix(s, "principal://iam.googleapis.com/projects/-/serviceAccounts/"))
	}
	return s
}

func (e *Evaluator) addPrincipal(r *resource.Resource) {
	var m string
	for _, a := range r.Aliases {
		if strings.HasPrefix(a, "serviceAccount:") || strings.HasPrefix(a, "group:") || strings.HasPrefix(a, "user:") {
			m = e.member(a)
			break
		}
	}
	if m == "" {
		return
	}
	h := &Holder{Principal: m, Resource: r.ID, Name: r.Name, Type: m[:strings.IndexByte(m, ':')]}
	e.info[r.ID] = h
	e.info[m] = h
	if g := r.Facts.Group; g != nil && g.Members != nil {
		e.known[m] = true
	}
}

func (e *Evaluator) addMembership(r *resource.Resource) {
	self := e.member(r.ID)
	if h := e.info[r.ID]; h != nil {
		self = h.Principal
	}
	link := func(member, group string) {
		e.known[group] = true
		for _, g := range e.groupOf[member] {
			if g == group {
				return
			}
		}
		e.groupOf[member] = append(e.groupOf[member], group)
		e.members[group] = append(e.members[group], member)
	}
	if g := r.Facts.Group; g != nil {
		for _, m := range g.Members {
			link(e.member(m), self)
		}
	}
	groupName := func(ref string) string {
		if h := e.info[e.node(ref)]; h != nil {
			return h.Principal
		}
		if strings.HasPrefix(ref, "group:") {
			return e.member(ref)
		}
		return "group:" + strings.ToLower(ref)
	}
	if id := r.Facts.Identity; id != nil {
		for _, g := range id.Groups {
			link(self, groupName(g))
		}
	}
	for _, rel := range r.Relationships {
		if rel.Type == resource.RelMemberOf {
			link(self, groupName(rel.TargetID))
		}
	}
}

func (e *Evaluator) addBinding(r *resource.Resource) *bind {
	b := r.Facts.Binding
	if strings.TrimSpace(b.Scope) == "" || strings.TrimSpace(b.Principal) == "" {
		e.problem(r, "scope", "binding without a resource or member: ignored")
		return nil
	}
	bd := &bind{id: r.ID, b: b, principal: e.member(b.Principal), scope: e.node(b.Scope)}
	if b.Deny != nil && *b.Deny {
		bd.deny = e.newDeny(r)
	} else if bd.role = e.roleOf(b.Role); bd.role == nil {
		e.problem(r, "role", "role %q is neither a custom role of the inventory nor a predefined role: decisions it bears on are uncertain", b.Role)
	}
	sb := e.byScope[bd.scope]
	if sb == nil {
		sb = &scopeBinds{direct: map[string][]*bind{}}
		e.byScope[bd.scope] = sb
	}
	p := bd.principal
	e.byPrincipal[p] = append(e.byPrincipal[p], bd)
	if !strings.HasPrefix(p, "user:") && !strings.HasPrefix(p, "serviceAccount:") && !strings.HasPrefix(p, "principal://") && (!strings.HasPrefix(p, "group:") || !e.known[p]) {
		e.special = append(e.special, bd)
	}
	switch {
	case bd.deny != nil:
		sb.special = append(sb.special, bd)
	case strings.HasPrefix(p, "group:"):
		bd.indexed = true
		sb.direct[p] = append(sb.direct[p], bd)
		if !e.known[p] {
			sb.special = append(sb.special, bd)
		}
	case strings.HasPrefix(p, "user:") || strings.HasPrefix(p, "serviceAccount:") || strings.HasPrefix(p, "principal://"):
		bd.indexed = true
		sb.direct[p] = append(sb.direct[p], bd)
	default:
		sb.special = append(sb.special, bd)
	}
	return bd
}

// newDeny reads a deny rule modelled as a binding (Deny set): Principal the
// denied principal, DenyPermissions' Actions the denied permissions and
// NotActions the exception permissions (IAM v2 form
// storage.googleapis.com/objects.get, or v1 storage.objects.get, * as a
// wildcard), ExcludedPrincipals the exception principals, Condition the
// denial condition.
func (e *Evaluator) newDeny(r *resource.Resource) *denyRule {
	d := &denyRule{}
	for _, p := range r.Facts.Binding.DenyPermissions {
		for _, a := range p.Actions {
			d.perms = append(d.perms, permGlob(a))
			d.texts = append(d.texts, a)
		}
		for _, a := range p.NotActions {
			d.except = append(d.except, permGlob(a))
		}
		if len(p.DataActions)+len(p.NotDataActions) > 0 {
			e.problem(r, "deny_permissions", "data actions in a GCP deny rule: ignored")
		}
	}
	for _, x := range r.Facts.Binding.ExcludedPrincipals {
		d.exempt = append(d.exempt, e.member(x))
	}
	return d
}

// permGlob turns a deny rule permission into a pattern over v1 permission
// names: service.googleapis.com/resource.verb becomes service.resource.verb
// (cloudresourcemanager is resourcemanager in v1 names).
func permGlob(p string) *glob.Pattern {
	if host, rest, ok := strings.Cut(p, "/"); ok {
		svc := strings.TrimSuffix(host, ".googleapis.com")
		if svc == "cloudresourcemanager" {
			svc = "resourcemanager"
		}
		p = svc + "." + rest
	}
	parts := strings.Split(p, "*")
	for i := range parts {
		parts[i] = glob.QuoteMeta(parts[i])
	}
	return glob.MustCompile(strings.Join(parts, "*"))
}

func (d *denyRule) matches(perm string) (string, bool) {
	for i, g := range d.perms {
		if g.Match(perm) {
			for _, x := range d.except {
				if x.Match(perm) {
					return "", false
				}
			}
			return d.texts[i], true
		}
	}
	return "", false
}

// ancestors returns the resource and every node above it, the resource
// first: parent resources named by prefixes of its name, its project, the
// project's folders and organization. When the chain does not reach an
// organization of the inventory, maybe are the other nodes holding bindings
// that may be above it: the folders and organizations, or every node when
// the resource's project is unknown.
func (e *Evaluator) ancestors(name string) (out, maybe []string) {
	c := e.node(name)
	out = []string{c}
	seen := map[string]bool{c: true}
	add := func(s string) bool {
		if s == "" || seen[s] {
			return false
		}
		seen[s] = true
		out = append(out, s)
		return true
	}
	top := c
	if !e.isNode(c) {
		if rest, ok := strings.CutPrefix(c, "//"); ok {
			segs := strings.Split(rest, "/")
			for i := len(segs) - 2; i >= 3; i -= 2 {
				add(e.node("//" + strings.Join(segs[:i], "/")))
			}
		}
		top = e.projectOf(c)
		add(top)
	}
	for top != "" {
		p, ok := e.parent[top]
		if !ok || !add(p) {
			break
		}
		top = p
	}
	if e.orgs[top] {
		return out, nil
	}
	candidates := e.orgScopes
	if top == "" {
		candidates = e.nodeScopes
	}
	for _, s := range candidates {
		if !seen[s] {
			maybe = append(maybe, s)
		}
	}
	return out, maybe
}

// projectOf returns the project a resource is in: the inventory's account
// of the resource, else the projects/X segment of its name.
func (e *Evaluator) projectOf(id string) string {
	if a := e.account[id]; a != "" {
		return e.node("projects/" + a)
	}
	segs := strings.Split(id, "/")
	for i := 0; i+1 < len(segs); i++ {
		if segs[i] == "projects" && segs[i+1] != "_" && segs[i+1] != "-" {
			return e.node("projects/" + segs[i+1])
		}
	}
	return ""
}
