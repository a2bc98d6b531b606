package azurerbac

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/gobwas/glob"

	"github.com/vigil-sec/vigil/internal/identity/decision"
	refazure "github.com/vigil-sec/vigil/internal/identity/refdata/azure"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
)

// Everyone is the principal ID of a deny assignment that applies to all
// principals (principalType SystemDefined).
const Everyone = "00000000-0000-0000-0000-000000000000"

// Options configure an Evaluator.
type Options struct {
	// Roles are the built-in role definitions; nil means the embedded
	// reference data (refazure.Default).
	Roles *refazure.Roles
}

// Request asks whether Principal may perform Action at Scope.
type Request struct {
	// Principal is an Entra object ID, or the resource ID of an Entra
	// object in the inventory (/tenants/T/users/ID).
	Principal string
	// Action is a control-plane action (Microsoft.Compute/virtualMachines/write)
	// or, with Data set, a data action
	// (Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read).
	Action string
	Data   bool
	// Scope is a management group, subscription, resource group or resource
	// ID ("/" for the tenant root), compared case-insensitively.
	Scope string
}

// Evaluator answers effective-permission questions over one inventory. It
// is safe for concurrent use once built.
type Evaluator struct {
	roles    map[string]*role // lower GUID -> role (custom from the inventory, built-in from the reference data)
	builtins *refazure.Roles
	byScope  map[string]*scopeBinds // lower scope -> role and deny assignments at it
	// byPrincipal: lower principal -> assignments naming it; special: the
	// assignments every principal may fall under (see scopeBinds).
	byPrincipal map[string][]*bind
	special     []*bind
	mgScopes    []string          // lower scopes of management groups holding assignments
	parent      map[string]string // lower subscription or management group ID -> lower parent ID
	mgs         map[string]bool   // lower IDs of the management groups in the inventory
	subs        []string          // subscription IDs of the inventory
	root        string            // lower ID of the tenant root management group, "" when not one known
	// principals
	alias    map[string]string   // lower resource ID or alias -> lower object ID
	info     map[string]*Holder  // lower object ID -> what the inventory says of it
	groupOf  map[string][]string // lower object ID -> groups it is a direct member of
	members  map[string][]string // lower group ID -> direct members
	known    map[string]bool     // groups whose membership the inventory holds
	roleBy   sync.Map            // lower role ref -> *role, for refs resolved by name
	problems []source.Problem
}

// scopeBinds are the assignments at one scope: all of them, the role
// assignments by principal, and those every check must look at (deny
// assignments, groups of unknown membership).
type scopeBinds struct {
	all     []*bind
	direct  map[string][]*bind
	special []*bind
}

type bind struct {
	id        string
	b         *resource.Binding
	principal string // lower object ID
	group     bool   // the principal is a group
	role      *role  // nil: unknown (allow) or n/a (deny)
	deny      *role  // a deny assignment's permissions as a role
	scope     string // lower
}

type role struct {
	id, name string
	blocks   []block
	cache    sync.Map // action key -> match
}

type block struct {
	actions, notActions, dataActions, notDataActions []pattern
	condition                                        string
}

type pattern struct {
	text string
	g    *glob.Pattern
}

type match struct {
	ok        bool
	pattern   string
	condition string
}

// New indexes the Azure and Entra resources of an inventory: role
// definitions, role and deny assignments, subscriptions and management
// groups, users, groups and service principals. Resources of other
// providers are ignored. A resource it cannot use is reported in Problems
// and the rest is indexed.
func New(rs []*resource.Resource, opt Options) (*Evaluator, error) {
	builtins := opt.Roles
	if builtins == nil {
		var err error
		if builtins, err = refazure.Default(); err != nil {
			return nil, err
		}
	}
	e := &Evaluator{
		roles: map[string]*role{}, builtins: builtins, byScope: map[string]*scopeBinds{}, byPrincipal: map[string][]*bind{}, parent: map[string]string{}, mgs: map[string]bool{},
		alias: map[string]string{}, info: map[string]*Holder{}, groupOf: map[string][]string{}, members: map[string][]string{}, known: map[string]bool{},
	}
	for _, r := range rs {
		if r == nil || r.Provider != resource.Azure {
			continue
		}
		switch {
		case r.Facts.Role != nil:
			if !entra(r) {
				e.addRole(r)
			}
		case r.Facts.Identity != nil || r.Facts.Group != nil:
			e.addPrincipal(r)
		case r.Facts.Account != nil:
			if isSubscription(r.ID) {
				e.subs = append(e.subs, r.ID)
			}
			if r.Facts.Account.Parent != "" {
				e.parent[strings.ToLower(r.ID)] = strings.ToLower(r.Facts.Account.Parent)
			}
		case r.Facts.OrgUnit != nil:
			e.mgs[strings.ToLower(r.ID)] = true
			if r.Facts.OrgUnit.Parent != "" {
				e.parent[strings.ToLower(r.ID)] = strings.ToLower(r.Facts.OrgUnit.Parent)
			}
		}
	}
	// Membership after every principal is known, so references resolve.
	for _, r := range rs {
		if r == nil || r.Provider != resource.Azure {
			continue
		}
		if r.Facts.Identity != nil || r.Facts.Group != nil {
			e.addMembership(r)
		}
	}
	mgs := map[string]bool{}
	for _, r := range rs {
		if r == nil || r.Provider != resource.Azure || r.Facts.Binding == nil || entra(r) {
			continue
		}
		b := e.addBinding(r)
		if b != nil && strings.HasPrefix(b.scope, "/providers/microsoft.management/managementgroups/") && !mgs[b.scope] {
			mgs[b.scope] = true
			e.mgScopes = append(e.mgScopes, b.scope)
		}
	}
	sort.Strings(e.mgScopes)
	var roots []string
	for mg := range e.mgs {
		if _, ok := e.parent[mg]; !ok {
			roots = append(roots, mg)
		}
	}
	if len(roots) == 1 {
		e.root = roots[0]
	}
	return e, nil
}

// entra reports whether r is an Entra ID (Microsoft Graph) object: directory
// role definitions and assignments and app role assignments authorize in
// the directory, not in Azure RBAC, and are left to the identity graph.
func entra(r *resource.Resource) bool {
	return len(r.Type) >= 16 && strings.EqualFold(r.Type[:16], "microsoft.graph.")
}

// Problems are the inventory resources the evaluator could not use fully.
func (e *Evaluator) Problems() []source.Problem { return e.problems }

func (e *Evaluator) problem(r *resource.Resource, field, format string, a ...any) {
	e.problems = append(e.problems, source.Problem{Path: r.Source, Resource: r.ID, Field: field, Err: fmt.Sprintf(format, a...)})
}

func guid(id string) string {
	if i := strings.LastIndexByte(id, '/'); i >= 0 {
		id = id[i+1:]
	}
	return strings.ToLower(id)
}

func compile(list []string) []pattern {
	out := make([]pattern, 0, len(list))
	for _, p := range list {
		parts := strings.Split(strings.ToLower(p), "*")
		for i := range parts {
			parts[i] = glob.QuoteMeta(parts[i])
		}
		out = append(out, pattern{text: p, g: glob.MustCompile(strings.Join(parts, "*"))})
	}
	return out
}

func newRole(id, name string, perms []resource.RolePermission, conds []string) *role {
	ro := &role{id: id, name: name}
	for i, p := range perms {
		b := block{actions: compile(p.Actions), notActions: compile(p.NotActions), dataActions: compile(p.DataActions), notDataActions: compile(p.NotDataActions)}
		if i < len(conds) {
			b.condition = conds[i]
		}
		ro.blocks = append(ro.blocks, b)
	}
	return ro
}

func fromReference(r refazure.Role) *role {
	perms := make([]resource.RolePermission, len(r.Permissions))
	conds := make([]string, len(r.Permissions))
	for i, p := range r.Permissions {
		perms[i], conds[i] = p.RolePermission, p.Condition
	}
	return newRole("/providers/Microsoft.Authorization/roleDefinitions/"+r.ID, r.Name, perms, conds)
}

// addRole keeps a custom role of the inventory. A built-in role is resolved
// from the reference data instead (the rule: built-in roles from the
// shipped definitions); one the reference data lacks is kept as exported.
func (e *Evaluator) addRole(r *resource.Resource) {
	rd := r.Facts.Role
	g := guid(r.ID)
	if rd.Custom == nil || !*rd.Custom {
		if _, ok := e.builtins.ByID(g); ok {
			return
		}
	}
	if len(rd.Permissions) == 0 && len(rd.Actions) > 0 {
		e.problem(r, "permissions", "role definition %q has actions but no permission blocks: notActions and dataActions unknown, actions used alone", rd.RoleName)
		e.roles[g] = newRole(r.ID, rd.RoleName, []resource.RolePermission{{Actions: rd.Actions}}, nil)
		return
	}
	name := rd.RoleName
	if name == "" {
		name = r.Name
	}
	e.roles[g] = newRole(r.ID, name, rd.Permissions, nil)
}

// resolve finds the role an assignment names: by definition GUID among the
// inventory's custom roles and the built-in reference data, else by name.
func (e *Evaluator) resolve(ref, name string) *role {
	g := guid(ref)
	if ro := e.roles[g]; ro != nil {
		return ro
	}
	key := g + "\x00" + strings.ToLower(name)
	if v, ok := e.roleBy.Load(key); ok {
		return v.(*role)
	}
	var ro *role
	if br, ok := e.builtins.ByID(g); ok {
		ro = fromReference(br)
	} else if br, ok := e.builtins.ByName(ref); ok {
		ro = fromReference(br)
	} else if br, ok := e.builtins.ByName(name); ok && ref == "" {
		ro = fromReference(br)
	}
	if ro == nil {
		return nil
	}
	v, _ := e.roleBy.LoadOrStore(key, ro)
	return v.(*role)
}

// objectID returns the Entra object ID of a principal resource: its first
// alias that is not a path (Entra objects carry their object ID so), else
// the last segment of an Entra object's ID; "" for a principal the
// inventory names only by an ARM ID (a user-assigned managed identity
// without its principalId), which role assignments cannot name.
func objectID(r *resource.Resource) string {
	for _, a := range r.Aliases {
		if a != "" && !strings.Contains(a, "/") {
			return strings.ToLower(a)
		}
	}
	if strings.HasPrefix(r.ID, "/tenants/") {
		return guid(r.ID)
	}
	return ""
}

func (e *Evaluator) addPrincipal(r *resource.Resource) {
	oid := objectID(r)
	if oid == "" {
		e.problem(r, "aliases", "principal without an object ID: assignments to it cannot be matched (a managed identity needs its principalId)")
		return
	}
	e.alias[strings.ToLower(r.ID)] = oid
	e.alias[oid] = oid
	for _, a := range r.Aliases {
		e.alias[strings.ToLower(a)] = oid
	}
	h := &Holder{Principal: oid, Resource: r.ID, Name: r.Name}
	if r.Facts.Group != nil {
		h.Type = "Group"
		if r.Facts.Group.Members != nil {
			e.known[oid] = true
		}
	} else {
		h.Type = r.Facts.Identity.Kind
	}
	e.info[oid] = h
}

func (e *Evaluator) key(p string) string {
	p = strings.ToLower(p)
	if k, ok := e.alias[p]; ok {
		return k
	}
	return p
}

func (e *Evaluator) addMembership(r *resource.Resource) {
	oid := objectID(r)
	if oid == "" {
		return
	}
	link := func(member, group string) {
		for _, g := range e.groupOf[member] {
			if g == group {
				return
			}
		}
		e.groupOf[member] = append(e.groupOf[member], group)
		e.members[group] = append(e.members[group], member)
	}
	if g := r.Facts.Group; g != nil {
		if g.Members != nil {
			// The group's own listing was read in full (a member's side,
			// member_of, may come from an incomplete one).
			e.known[oid] = true
		}
		for _, m := range g.Members {
			link(e.key(m), oid)
		}
	}
	if id := r.Facts.Identity; id != nil {
		for _, g := range id.Groups {
			link(oid, e.key(g))
		}
	}
	for _, rel := range r.Relationships {
		if rel.Type == resource.RelMemberOf {
			link(oid, e.key(rel.TargetID))
		}
	}
}

func (e *Evaluator) addBinding(r *resource.Resource) *bind {
	b := r.Facts.Binding
	if strings.TrimSpace(b.Scope) == "" {
		e.problem(r, "scope", "assignment without a scope: ignored")
		return nil
	}
	bd := &bind{id: r.ID, b: b, principal: e.key(b.Principal), scope: normScope(b.Scope)}
	bd.group = strings.EqualFold(b.PrincipalType, "Group") || e.info[bd.principal] != nil && e.info[bd.principal].Type == "Group"
	if b.Deny != nil && *b.Deny {
		bd.deny = newRole("", b.RoleName, b.DenyPermissions, nil)
	} else if bd.role = e.resolve(b.Role, b.RoleName); bd.role == nil {
		e.problem(r, "role", "role definition %q (%s) is neither in the inventory nor a built-in role: decisions it bears on are uncertain", b.Role, b.RoleName)
	}
	sb := e.byScope[bd.scope]
	if sb == nil {
		sb = &scopeBinds{direct: map[string][]*bind{}}
		e.byScope[bd.scope] = sb
	}
	sb.all = append(sb.all, bd)
	e.byPrincipal[bd.principal] = append(e.byPrincipal[bd.principal], bd)
	if bd.deny != nil || bd.principal == Everyone || bd.group && !e.known[bd.principal] {
		sb.special = append(sb.special, bd)
		e.special = append(e.special, bd)
	} else {
		sb.direct[bd.principal] = append(sb.direct[bd.principal], bd)
	}
	return bd
}

func normScope(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) > 1 {
		s = strings.TrimRight(s, "/")
	}
	if !strings.HasPrefix(s, "/") {
		s = "/" + s
	}
	return s
}

// matches reports whether the role grants action (a data action when
// data): some block lists it in actions (dataActions) and not in its
// notActions (notDataActions).
func (ro *role) matches(action string, data bool) match {
	key := action
	if data {
		key = "d\x00" + action
	}
	if v, ok := ro.cache.Load(key); ok {
		return v.(match)
	}
	a := strings.ToLower(action)
	var m match
	for _, b := range ro.blocks {
		allow, not := b.actions, b.notActions
		if data {
			allow, not = b.dataActions, b.notDataActions
		}
		p, ok := first(allow, a)
		if !ok {
			continue
		}
		if _, excluded := first(not, a); excluded {
			continue
		}
		if !m.ok || (m.condition != "" && b.condition == "") {
			m = match{ok: true, pattern: p, condition: b.condition}
		}
	}
	ro.cache.Store(key, m)
	return m
}

func first(ps []pattern, a string) (string, bool) {
	for _, p := range ps {
		if p.g.Match(a) {
			return p.text, true
		}
	}
	return "", false
}

// ancestors returns the scope and every scope above it, the scope first:
// each segment prefix of the ID, then the subscription's management
// groups up to the tenant root, then "/". chainKnown is false when a
// subscription or management group in the chain has no known parent.
func (e *Evaluator) ancestors(scope string) (out []string, chainKnown bool) {
	s := normScope(scope)
	if s == "/" {
		return []string{"/"}, true
	}
	segs := strings.Split(s[1:], "/")
	for i := len(segs); i >= 1; i-- {
		out = append(out, "/"+strings.Join(segs[:i], "/"))
	}
	// Climb from the subscription or management group through parents.
	top := ""
	switch {
	case len(segs) >= 2 && segs[0] == "subscriptions":
		top = "/subscriptions/" + segs[1]
	case len(segs) >= 4 && segs[0] == "providers" && segs[1] == "microsoft.management" && segs[2] == "managementgroups":
		top = "/providers/microsoft.management/managementgroups/" + segs[3]
	}
	chainKnown = true
	if top != "" {
		seen := map[string]bool{top: true}
		for {
			p, ok := e.parent[top]
			if !ok {
				// A management group without a parent is the tenant root
				// when the inventory holds it; a subscription's must be known.
				chainKnown = e.mgs[top]
				if !chainKnown && e.root != "" {
					// Whatever the chain, it ends at the tenant root.
					out = append(out, e.root)
				}
				break
			}
			if seen[p] {
				break
			}
			seen[p] = true
			out = append(out, p)
			top = p
		}
	}
	return append(out, "/"), chainKnown
}

// Check answers one request.
func (e *Evaluator) Check(req Request) Decision {
	p := e.key(req.Principal)
	in := decision.Memberships(p, e.groupOf)
	keys := slices.Sorted(maps.Keys(in)) // a stable order of grants
	scopes, chainKnown := e.ancestors(req.Scope)
	var allows, denies []Grant
	visit := func(bd *bind, at, uncertainScope string) {
		if bd.deny != nil && bd.b.ChildScopes != nil && !*bd.b.ChildScopes && at != scopes[0] {
			return // a deny assignment that does not apply below its scope
		}
		via, member := in[bd.principal]
		certain := member
		reason := ""
		switch {
		case member:
		case bd.deny != nil && bd.principal == Everyone:
			member, certain = true, true
		case bd.group && !e.known[bd.principal]:
			member, certain = true, false
			reason = fmt.Sprintf("membership of group %s is not in the inventory", bd.b.Principal)
		}
		if !member {
			return
		}
		if uncertainScope != "" {
			certain = false
			reason = uncertainScope
		}
		g := Grant{Binding: bd.id, Principal: bd.b.Principal, Via: via, Scope: bd.b.Scope, RoleName: bd.b.RoleName}
		if bd.deny != nil {
			m := bd.deny.matches(req.Action, req.Data)
			if !m.ok {
				return
			}
			if e.excluded(bd, in) {
				return
			}
			g.Deny, g.Pattern, g.Match = true, m.pattern, MatchTrue
			if ex := e.maybeExcluded(bd, in); ex != "" && certain {
				certain, reason = false, ex
			}
			e.settle(&g, certain, reason, bd.b, "")
			denies = append(denies, g)
			return
		}
		g.Role = bd.b.Role
		if bd.role == nil {
			g.Match = MatchUncertain
			g.Reason = fmt.Sprintf("role definition %s (%s) is not in the inventory nor a built-in role", bd.b.Role, bd.b.RoleName)
			allows = append(allows, g)
			return
		}
		m := bd.role.matches(req.Action, req.Data)
		if !m.ok {
			return
		}
		g.Pattern, g.Match = m.pattern, MatchTrue
		if g.RoleName == "" {
			g.RoleName = bd.role.name
		}
		e.settle(&g, certain, reason, bd.b, m.condition)
		allows = append(allows, g)
	}
	scan := func(s, outside string) {
		sb := e.byScope[s]
		if sb == nil {
			return
		}
		for _, k := range keys {
			for _, bd := range sb.direct[k] {
				visit(bd, s, outside)
			}
		}
		for _, bd := range sb.special {
			visit(bd, s, outside)
		}
	}
	for _, s := range scopes {
		scan(s, "")
	}
	if !chainKnown {
		seen := map[string]bool{}
		for _, s := range scopes {
			seen[s] = true
		}
		for _, s := range e.mgScopes {
			if !seen[s] {
				scan(s, fmt.Sprintf("the management group chain above %s is not in the inventory: assignments at %s may apply", req.Scope, s))
			}
		}
	}
	return decision.Decide(allows, denies)
}

// settle sets how a grant applies from what is known: certain and without
// condition, MatchTrue; a condition or an eligible (not active) assignment
// makes it MatchConditional, an uncertainty MatchUncertain.
func (e *Evaluator) settle(g *Grant, certain bool, reason string, b *resource.Binding, roleCond string) {
	cond := roleCond
	if bc := b.Condition; bc != nil && bc.Expression != "" {
		cond = bc.Expression
		if roleCond != "" {
			cond = "(" + bc.Expression + ") AND (" + roleCond + ")"
		}
	}
	g.Condition = cond
	switch {
	case !certain:
		g.Match, g.Reason = MatchUncertain, reason
	case cond != "":
		g.Match, g.Reason = MatchConditional, "condition: "+cond
	case b.Eligible != nil && *b.Eligible:
		g.Match, g.Reason = MatchConditional, "eligible assignment: the principal holds the role once it activates it (PIM)"
	}
}

// excluded reports whether the principal (or a group it is in) is among
// the deny assignment's excluded principals.
func (e *Evaluator) excluded(bd *bind, in map[string][]string) bool {
	for _, x := range bd.b.ExcludedPrincipals {
		if _, ok := in[e.key(x)]; ok {
			return true
		}
	}
	return false
}

// maybeExcluded names an excluded group whose membership is unknown.
func (e *Evaluator) maybeExcluded(bd *bind, in map[string][]string) string {
	for i, x := range bd.b.ExcludedPrincipals {
		if i < len(bd.b.ExcludedPrincipalTypes) {
			if t := bd.b.ExcludedPrincipalTypes[i]; t != "" && !strings.EqualFold(t, "Group") {
				continue // the export says what it is: not a group
			}
		}
		k := e.key(x)
		if h := e.info[k]; (h == nil || h.Type == "Group") && !e.known[k] {
			if _, ok := in[k]; !ok {
				return fmt.Sprintf("deny assignment %s excludes %s, which may be a group holding the principal: its kind or membership is not in the inventory", bd.id, x)
			}
		}
	}
	return ""
}
