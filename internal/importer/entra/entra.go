package entra

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Format is the name of the input format this package reads.
const Format = "entra-id"

// Native types of the resources this package produces (the Graph types).
const (
	TypeUser              = "microsoft.graph.user"
	TypeGroup             = "microsoft.graph.group"
	TypeServicePrincipal  = "microsoft.graph.servicePrincipal"
	TypeApplication       = "microsoft.graph.application"
	TypeRoleDefinition    = "microsoft.graph.unifiedRoleDefinition"
	TypeRoleAssignment    = "microsoft.graph.unifiedRoleAssignment"
	TypeRoleEligibility   = "microsoft.graph.unifiedRoleEligibilityScheduleInstance"
	TypeAppRoleAssignment = "microsoft.graph.appRoleAssignment"
	TypeConditionalAccess = "microsoft.graph.conditionalAccessPolicy"
	TypeTenant            = "microsoft.graph.organization"
)

// Template IDs of the built-in directory roles that hold full control of
// the tenant: Global Administrator, and Privileged Role Administrator (who
// can assign any role, Global Administrator included).
const (
	GlobalAdministrator         = "62e90394-69f5-4237-9190-012177145e10"
	PrivilegedRoleAdministrator = "e8611ab8-c189-46e8-94e1-60213ab1f814"
)

// Microsoft Graph application permissions (app role IDs) that let an
// application grant itself any directory role or any other permission: its
// service principal is a tenant admin.
const (
	RoleManagementReadWriteDirectory = "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8"
	AppRoleAssignmentReadWriteAll    = "06b708a9-e830-4db3-a914-8e69da51d44f"
)

// graphAppRoles names Microsoft Graph application permissions by app role
// ID, for a tenant whose Microsoft Graph service principal is not in the
// input with its appRoles.
var graphAppRoles = map[string]string{
	RoleManagementReadWriteDirectory:       "RoleManagement.ReadWrite.Directory",
	AppRoleAssignmentReadWriteAll:          "AppRoleAssignment.ReadWrite.All",
	"1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9": "Application.ReadWrite.All",
	"19dbc75e-c2e2-444c-a770-ec69d8559fc7": "Directory.ReadWrite.All",
}

// ObjectID returns the resource ID of the directory object of the given
// collection ("users", "groups", "servicePrincipals", "applications") and
// object ID in a tenant. Principals also have their object ID as an alias,
// so Azure role assignments' principalId resolves to them.
func ObjectID(tenant, collection, id string) string {
	return "/tenants/" + tenant + "/" + collection + "/" + id
}

// RoleDefinitionID returns the resource ID of a directory role definition.
func RoleDefinitionID(tenant, id string) string {
	return "/tenants/" + tenant + "/roleManagement/directory/roleDefinitions/" + id
}

// Detect returns Format when doc is an object with tenantId and responses.
func Detect(doc any) string {
	d, isObj := doc.(attr.M)
	if !isObj {
		return ""
	}
	_, tenant := d["tenantId"]
	_, responses := d["responses"]
	if tenant && responses {
		return Format
	}
	return ""
}

type node = attr.Node

const (
	absent = attr.Absent
	ok     = attr.OK
)

// principal is a directory object that can hold a role.
type principal struct {
	r    *resource.Resource
	kind string // User | Group | ServicePrincipal (as Azure role assignments name them)
}

type reader struct {
	res    *attr.Result
	tenant string
	at     time.Time // collectedAt, zero when not given
	top    *attr.Checker
	// pages: normalized request path (lower case) → the response bodies
	// (pages), in the order of their keys.
	pages map[string][]pageBody
	// byObject: object ID → principal, for members, owners and assignments.
	byObject map[string]*principal
	apps     map[string]*resource.Resource // appId → application
	roleDefs map[string]*resource.Resource // role definition ID → resource
	// admin: object IDs holding a tenant-admin role at "/"; adminKnown
	// when the input lists the tenant's role holders.
	admin      map[string]bool
	adminKnown bool
	// memberKnown: group object IDs whose members were read.
	memberKnown map[string]bool
	groupsOf    map[string][]string // member object ID → group object IDs
	assigned    map[assignment]bool // role assignments read
	appRoles    map[string]string   // app role ID → value, from the service principals' appRoles
	// appPermsKnown: service principals whose app role assignments were read.
	appPermsKnown map[string]bool
	// caMFA, caDeviceMFA: what the conditional access policies require
	// (see resource.EntraTenant), nil when they were not read in full.
	caMFA, caDeviceMFA *bool
}

type pageBody struct {
	key  string // the request path as the file gives it
	body any
}

// Parse imports a decoded document Detect accepted. A Graph path absent
// from responses (a collector denied it) leaves what it would tell
// unknown; a response of the wrong shape is a problem naming the path and
// the field; the rest is still read.
func Parse(ctx context.Context, path string, doc any) *attr.Result {
	d, _ := doc.(attr.M)
	rd := &reader{
		res: &attr.Result{Format: Format}, top: &attr.Checker{},
		pages: map[string][]pageBody{}, byObject: map[string]*principal{}, apps: map[string]*resource.Resource{},
		roleDefs: map[string]*resource.Resource{}, admin: map[string]bool{}, appRoles: map[string]string{}, appPermsKnown: map[string]bool{}, memberKnown: map[string]bool{}, groupsOf: map[string][]string{},
	}
	root := node{M: d, C: rd.top}
	rd.tenant = root.S("tenantId")
	if rd.tenant == "" {
		rd.top.Problems = append(rd.top.Problems, attr.Problem{Field: "tenantId", Err: "tenantId: missing or empty: nothing imported from this file"})
		rd.res.Problems = rd.top.Problems
		return rd.res
	}
	if s := root.S("collectedAt"); s != "" {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			rd.at = t
		} else {
			rd.top.Problems = append(rd.top.Problems, attr.Problem{Field: "collectedAt", Err: "collectedAt: not an RFC 3339 time: " + err.Error()})
		}
	}
	if v := root.S("apiVersion"); v != "" && v != "v1.0" {
		rd.top.Problems = append(rd.top.Problems, attr.Problem{Field: "apiVersion", Warning: true,
			Err: fmt.Sprintf("apiVersion %q: read as v1.0 (fields that differ are left unknown)", v)})
	}
	resp, st := root.Obj("responses")
	if st == ok {
		keys := make([]string, 0, len(resp.M))
		for k := range resp.M {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			np := strings.ToLower(normPath(k)) // Graph paths are case-insensitive
			switch b := resp.M[k].(type) {
			case []any:
				for _, p := range b {
					rd.pages[np] = append(rd.pages[np], pageBody{k, p})
				}
			default:
				rd.pages[np] = append(rd.pages[np], pageBody{k, b})
			}
		}
	}
	for _, step := range []func(){rd.users, rd.groups, rd.applications, rd.servicePrincipals, rd.memberships,
		rd.owners, rd.roleDefinitions, rd.roleAssignments, rd.directoryRoles, rd.appPermissions, rd.conditionalAccess, rd.admins, rd.tenantSettings} {
		if ctx.Err() != nil {
			break
		}
		step()
	}
	rd.res.Problems = append(rd.top.Problems, rd.res.Problems...)
	for _, r := range rd.res.Resources {
		r.Source = path
		if !rd.at.IsZero() {
			at := rd.at
			r.CapturedAt = &at
		}
	}
	return rd.res
}

// normPath reduces a request key to its path: no scheme and host, no
// version segment, no query string, no trailing slash.
func normPath(k string) string {
	k = strings.TrimSpace(k)
	if u, err := url.Parse(k); err == nil && u.Host != "" {
		k = u.Path
	}
	k, _, _ = strings.Cut(k, "?")
	for _, v := range []string{"/v1.0", "/beta"} {
		if len(k) > len(v) && strings.EqualFold(k[:len(v)], v) && k[len(v)] == '/' {
			k = k[len(v):]
		}
	}
	k = strings.TrimRight(k, "/")
	if !strings.HasPrefix(k, "/") {
		k = "/" + k
	}
	return k
}

// values returns the objects of a collection path over all its pages;
// known is false when the path is absent, denied, or a page is unreadable.
func (rd *reader) values(path string) (items []node, known bool) {
	pages, has := rd.pages[strings.ToLower(path)]
	if !has {
		return nil, false
	}
	known = true
	for i, p := range pages {
		field := fmt.Sprintf("responses[%q]", p.key)
		if len(pages) > 1 {
			field += fmt.Sprintf("[%d]", i)
		}
		c := &attr.Checker{ID: field}
		body := attr.AsObj(p.body)
		if body == nil {
			c.Wrong(field, "object (a Graph collection response)", p.body)
			rd.res.Problems = append(rd.res.Problems, c.Problems...)
			known = false
			continue
		}
		pn := node{M: body, Path: attr.PathOf(field), C: c}
		if e, st := pn.Obj("error"); st == ok {
			// The collector kept Graph's error: the path is unknown.
			rd.res.Problems = append(rd.res.Problems, attr.Problem{Field: field, Warning: true,
				Err: fmt.Sprintf("%s: Graph answered %s: %s (left unknown)", field, e.S("code"), e.S("message"))})
			known = false
			continue
		}
		v, st := pn.Lookup("value")
		arr := attr.AsArr(v)
		if st != ok || arr == nil {
			if st == absent {
				c.Problems = append(c.Problems, attr.Problem{Field: pn.Field("value"), Err: pn.Field("value") + ": missing: not a Graph collection response"})
			} else if st == ok {
				c.Wrong(pn.Field("value"), "array", v)
			}
			rd.res.Problems = append(rd.res.Problems, c.Problems...)
			known = false
			continue
		}
		// An element of the wrong type is reported and the collection is
		// incomplete; the other objects are still read.
		for j, e := range arr {
			ef := fmt.Sprintf("%s[%d]", pn.Field("value"), j)
			o := attr.AsObj(e)
			if o == nil {
				c.Wrong(ef, "object", e)
				known = false
				continue
			}
			items = append(items, node{M: o, Path: attr.PathOf(ef), C: &attr.Checker{ID: ef}})
		}
		if i == len(pages)-1 && pn.S("@odata.nextLink") != "" {
			rd.res.Problems = append(rd.res.Problems, attr.Problem{Field: pn.Field("@odata.nextLink"), Warning: true,
				Err: pn.Field("@odata.nextLink") + ": set on the last page: the collection is incomplete"})
			known = false
		}
		rd.res.Problems = append(rd.res.Problems, c.Problems...)
	}
	return items, known
}

// finish moves an item's problems to the result.
func (rd *reader) finish(n node) { rd.res.Problems = append(rd.res.Problems, n.C.Problems...) }

// object makes the resource of a directory object; nil when it has no id.
func (rd *reader) object(n node, typ, collection string) (*resource.Resource, string) {
	id := n.S("id")
	if id == "" {
		if n.C.Count() == 0 {
			n.C.Problems = append(n.C.Problems, attr.Problem{Field: n.Field("id"), Err: n.Field("id") + ": missing: object skipped"})
		}
		return nil, ""
	}
	r := &resource.Resource{Provider: resource.Azure, Region: "global", Type: typ, ID: ObjectID(rd.tenant, collection, id), Name: n.S("displayName")}
	if r.Name == "" {
		r.Name = id
	}
	n.C.ID = r.ID
	r.Aliases = []string{id}
	rd.res.Resources = append(rd.res.Resources, r)
	return r, id
}

func (rd *reader) users() {
	items, _ := rd.values("/users")
	users := map[string]*resource.Identity{}
	for _, n := range items {
		r, id := rd.object(n, TypeUser, "users")
		if r != nil {
			if upn := n.S("userPrincipalName"); upn != "" {
				r.Name = upn
			}
			r.Class = resource.ClassIdentity
			// Entra users sign in with passwords and other methods, never
			// with keys: an empty list is the whole list.
			f := &resource.Identity{Kind: "user", AccessKeysKnown: resource.Bool(true)}
			r.Facts.Identity = f
			switch n.Enum([]string{"userType"}, "Guest", "Member") {
			case 0:
				f.Guest = resource.Bool(true)
			case 1:
				f.Guest = resource.Bool(false)
			}
			f.Disabled = attr.Not(n.B("accountEnabled"))
			f.LastActivity = n.S("signInActivity", "lastSignInDateTime")
			rd.byObject[id] = &principal{r: r, kind: "User"}
			users[id] = f
		}
		rd.finish(n)
	}
	// Authentication methods registration: whether each user has
	// registered a multifactor method.
	regs, _ := rd.values("/reports/authenticationMethods/userRegistrationDetails")
	for _, n := range regs {
		if f := users[n.S("id")]; f != nil {
			f.MFAEnabled = n.B("isMfaRegistered")
		}
		rd.finish(n)
	}
}

func (rd *reader) groups() {
	items, _ := rd.values("/groups")
	for _, n := range items {
		r, id := rd.object(n, TypeGroup, "groups")
		if r != nil {
			r.Class = resource.ClassGroup
			g := &resource.Group{}
			r.Facts.Group = g
			switch n.Enum([]string{"visibility"}, "Public", "Private", "HiddenMembership") {
			case 0:
				g.Public = resource.Bool(true)
			case 1, 2:
				g.Public = resource.Bool(false)
			}
			rd.byObject[id] = &principal{r: r, kind: "Group"}
		}
		rd.finish(n)
	}
}

// credentials reads passwordCredentials and keyCredentials into f's access
// keys, known only when both lists are there with the right type.
func (rd *reader) credentials(n node, f *resource.Identity) {
	var keys []resource.AccessKey
	known := true
	now := rd.at
	if now.IsZero() {
		now = time.Now()
	}
	for _, list := range []string{"passwordCredentials", "keyCredentials"} {
		creds, st := n.Objs(list)
		if st != ok {
			known = false
			continue
		}
		for _, c := range creds {
			k := resource.AccessKey{ID: c.S("keyId"), Created: c.S("startDateTime"), UserManaged: resource.Bool(true)}
			k.Active = true
			if end := c.S("endDateTime"); end != "" {
				if t, err := time.Parse(time.RFC3339, end); err == nil && t.Before(now) {
					k.Active = false
				}
			}
			keys = append(keys, k)
		}
	}
	f.AccessKeys = keys
	if known {
		f.AccessKeysKnown = resource.Bool(true)
	}
}

func (rd *reader) applications() {
	items, _ := rd.values("/applications")
	for _, n := range items {
		r, id := rd.object(n, TypeApplication, "applications")
		if r != nil {
			r.Class = resource.ClassIdentity
			f := &resource.Identity{Kind: "application"}
			r.Facts.Identity = f
			rd.credentials(n, f)
			if appID := n.S("appId"); appID != "" {
				rd.apps[appID] = r
			}
			fics, _ := rd.values("/applications/" + id + "/federatedIdentityCredentials")
			for _, fc := range fics {
				auds, _ := fc.Strs("audiences")
				if iss, sub := fc.S("issuer"), fc.S("subject"); iss != "" {
					f.FederatedCredentials = append(f.FederatedCredentials, resource.FederatedCredential{Name: fc.S("name"), Issuer: iss, Subject: sub, Audiences: auds})
				}
				rd.finish(fc)
			}
		}
		rd.finish(n)
	}
}

func (rd *reader) servicePrincipals() {
	items, _ := rd.values("/servicePrincipals")
	for _, n := range items {
		r, id := rd.object(n, TypeServicePrincipal, "servicePrincipals")
		if r != nil {
			r.Class = resource.ClassIdentity
			f := &resource.Identity{Kind: "service_principal"}
			r.Facts.Identity = f
			if strings.EqualFold(n.S("servicePrincipalType"), "ManagedIdentity") {
				f.Kind = "managed_identity"
				// alternativeNames holds the managed identity's ARM ID.
				names, _ := n.Strs("alternativeNames")
				for _, a := range names {
					if strings.HasPrefix(a, "/subscriptions/") {
						r.Aliases = append(r.Aliases, a)
					}
				}
			}
			f.Disabled = attr.Not(n.B("accountEnabled"))
			rd.credentials(n, f)
			roles, _ := n.Objs("appRoles")
			for _, ar := range roles {
				if rid, v := ar.S("id"), ar.S("value"); rid != "" && v != "" {
					rd.appRoles[rid] = v
				}
			}
			if app := rd.apps[n.S("appId")]; app != nil {
				attr.Relate(r, resource.RelInstanceOf, app.ID)
			}
			rd.byObject[id] = &principal{r: r, kind: "ServicePrincipal"}
		}
		rd.finish(n)
	}
}

// ref returns the resource ID of a directory object, or its object ID when
// the input does not hold it.
func (rd *reader) ref(objectID string) string {
	if p := rd.byObject[objectID]; p != nil {
		return p.r.ID
	}
	return objectID
}

// name returns the name of a directory object, its object ID when the
// input does not hold it.
func (rd *reader) name(objectID string) string {
	if p := rd.byObject[objectID]; p != nil {
		return p.r.Name
	}
	return objectID
}

// memberships reads /groups/{id}/members for every group. Members is
// nil when the listing was not read in full, else the (possibly empty) list.
func (rd *reader) memberships() {
	for _, gr := range rd.res.Resources {
		if gr.Type != TypeGroup {
			continue
		}
		gid := gr.Aliases[0]
		gp := rd.byObject[gid]
		members, known := rd.values("/groups/" + gid + "/members")
		g := gp.r.Facts.Group
		for _, m := range members {
			if mid := m.S("id"); mid != "" {
				g.Members = append(g.Members, rd.ref(mid))
				rd.groupsOf[mid] = append(rd.groupsOf[mid], gid)
				if p := rd.byObject[mid]; p != nil {
					attr.Relate(p.r, resource.RelMemberOf, gp.r.ID)
					if id := p.r.Facts.Identity; id != nil {
						id.Groups = append(id.Groups, gp.r.ID)
					}
				}
			}
			rd.finish(m)
		}
		if known {
			// Read: an empty list means no members, never "not read".
			rd.memberKnown[gid] = true
			if g.Members == nil {
				g.Members = []string{}
			}
		} else {
			// Not read, denied or incomplete: the group's members are
			// unknown; the memberships read stay on the members' side.
			g.Members = nil
		}
	}
}

// owners reads the owners of applications, service principals and groups.
func (rd *reader) owners() {
	for _, r := range rd.res.Resources {
		var coll string
		switch r.Type {
		case TypeApplication:
			coll = "applications"
		case TypeServicePrincipal:
			coll = "servicePrincipals"
		case TypeGroup:
			coll = "groups"
		default:
			continue
		}
		owners, _ := rd.values("/" + coll + "/" + r.Aliases[0] + "/owners")
		for _, o := range owners {
			if oid := o.S("id"); oid != "" {
				attr.Relate(r, resource.RelOwnedBy, rd.ref(oid))
			}
			rd.finish(o)
		}
	}
}

func (rd *reader) roleDefinitions() {
	items, _ := rd.values("/roleManagement/directory/roleDefinitions")
	for _, n := range items {
		id := n.S("id")
		if id == "" {
			n.C.Problems = append(n.C.Problems, attr.Problem{Field: n.Field("id"), Err: n.Field("id") + ": missing: role definition skipped"})
			rd.finish(n)
			continue
		}
		r := &resource.Resource{Provider: resource.Azure, Region: "global", Type: TypeRoleDefinition, ID: RoleDefinitionID(rd.tenant, id), Name: n.S("displayName")}
		n.C.ID = r.ID
		if r.Name == "" {
			r.Name = id
		}
		r.Class = resource.ClassRole
		rdf := &resource.RoleDefinition{RoleName: n.S("displayName"), SubscriptionScope: resource.Bool(false)}
		r.Facts.Role = rdf
		if b := n.B("isBuiltIn"); b != nil {
			rdf.Custom = resource.Bool(!*b)
		}
		tmpl := n.S("templateId")
		if tmpl == "" {
			tmpl = id
		}
		rdf.FullAdmin = resource.Bool(tmpl == GlobalAdministrator)
		if perms, st := n.Objs("rolePermissions"); st == ok {
			for _, p := range perms {
				acts, _ := p.Strs("allowedResourceActions")
				rdf.Permissions = append(rdf.Permissions, resource.RolePermission{Actions: acts})
				rdf.Actions = append(rdf.Actions, acts...)
			}
		}
		rd.roleDefs[id] = r
		if tmpl != id {
			rd.roleDefs[tmpl] = r
		}
		rd.res.Resources = append(rd.res.Resources, r)
		rd.finish(n)
	}
}

// assignment records a role held by a principal at a directory scope.
type assignment struct{ principal, role, scope string }

// grant makes the binding of a directory role to a principal; an eligible
// one (PIM) is held only once activated.
func (rd *reader) grant(id string, a assignment, cond string, eligible bool) *resource.Resource {
	typ := TypeRoleAssignment
	if eligible {
		typ = TypeRoleEligibility
	}
	r := &resource.Resource{Provider: resource.Azure, Region: "global", Type: typ, ID: id}
	r.Class = resource.ClassIAMBinding
	b := &resource.Binding{Principal: a.principal, Scope: a.scope, ScopeLevel: scopeLevel(a.scope),
		Primitive: resource.Bool(false), Public: resource.Bool(false), Eligible: resource.Bool(eligible)}
	r.Facts.Binding = b
	if p := rd.byObject[a.principal]; p != nil {
		b.PrincipalType = p.kind
	}
	b.Role = RoleDefinitionID(rd.tenant, a.role)
	tenantAdmin := a.role == GlobalAdministrator || a.role == PrivilegedRoleAdministrator
	if def := rd.roleDefs[a.role]; def != nil {
		b.Role = def.ID
		b.RoleName = def.Facts.Role.RoleName
		tenantAdmin = tenantAdmin || attr.Any(def.Facts.Role.FullAdmin)
		r.Name = def.Name + " → " + rd.name(a.principal)
	}
	b.Privileged = resource.Bool(tenantAdmin)
	if r.Name == "" {
		r.Name = a.role + " → " + rd.name(a.principal)
	}
	if strings.TrimSpace(cond) != "" {
		b.Condition = &resource.BindingCondition{Expression: cond}
	}
	attr.Relate(r, "grants_role", b.Role)
	attr.Relate(r, resource.RelGrantedTo, rd.ref(a.principal))
	if tenantAdmin && a.scope == "/" && !eligible {
		rd.admin[a.principal] = true
	}
	rd.res.Resources = append(rd.res.Resources, r)
	return r
}

// scopeLevel classifies a directoryScopeId.
func scopeLevel(scope string) string {
	switch {
	case scope == "/":
		return "directory"
	case strings.HasPrefix(strings.ToLower(scope), "/administrativeunits/"):
		return "administrative_unit"
	}
	return "resource"
}

func (rd *reader) roleAssignments() {
	rd.assigned = map[assignment]bool{}
	rd.adminKnown = rd.assignments("roleAssignments", false)
	// PIM eligible assignments: roles a principal may activate.
	rd.assignments("roleEligibilityScheduleInstances", true)
}

// assignments reads /roleManagement/directory/<coll>; known is false when
// the collection or one of its assignments could not be read.
func (rd *reader) assignments(coll string, eligible bool) (known bool) {
	items, known := rd.values("/roleManagement/directory/" + coll)
	for _, n := range items {
		id, pid, role := n.S("id"), n.S("principalId"), n.S("roleDefinitionId")
		if id == "" || pid == "" || role == "" {
			for _, f := range []string{"id", "principalId", "roleDefinitionId"} {
				if n.S(f) == "" {
					n.C.Problems = append(n.C.Problems, attr.Problem{Field: n.Field(f), Err: n.Field(f) + ": missing: role assignment skipped"})
				}
			}
			known = false
			rd.finish(n)
			continue
		}
		scope := n.S("directoryScopeId")
		if scope == "" {
			scope = "/"
		}
		a := assignment{pid, role, scope}
		if eligible {
			rd.grant("/tenants/"+rd.tenant+"/roleManagement/directory/"+coll+"/"+id, a, "", true)
			rd.finish(n)
			continue
		}
		rd.assigned[a] = true
		rd.grant("/tenants/"+rd.tenant+"/roleManagement/directory/roleAssignments/"+id, a, n.S("condition"), false)
		rd.finish(n)
	}
	return known
}

// directoryRoles reads the activated directory roles and their members:
// tenant-wide assignments, added when roleAssignments does not list them.
func (rd *reader) directoryRoles() {
	items, known := rd.values("/directoryRoles")
	complete := known
	for _, n := range items {
		id, tmpl := n.S("id"), n.S("roleTemplateId")
		if id == "" || tmpl == "" {
			rd.finish(n)
			complete = false
			continue
		}
		members, mknown := rd.values("/directoryRoles/" + id + "/members")
		complete = complete && mknown
		for _, m := range members {
			if mid := m.S("id"); mid != "" {
				a := assignment{mid, tmpl, "/"}
				if !rd.assigned[a] {
					rd.assigned[a] = true
					rd.grant("/tenants/"+rd.tenant+"/directoryRoles/"+id+"/members/"+mid, a, "", false)
				}
			}
			rd.finish(m)
		}
		rd.finish(n)
	}
	if complete {
		rd.adminKnown = true
	}
}

// appPermissions reads the application permissions granted to every
// service principal (/servicePrincipals/{id}/appRoleAssignments) as
// bindings: the app role on the resource API's service principal.
func (rd *reader) appPermissions() {
	for _, sp := range rd.res.Resources {
		if sp.Type != TypeServicePrincipal {
			continue
		}
		spID := sp.Aliases[0]
		items, known := rd.values("/servicePrincipals/" + spID + "/appRoleAssignments")
		for _, n := range items {
			id, role, res := n.S("id"), n.S("appRoleId"), n.S("resourceId")
			if id == "" || role == "" || res == "" {
				for _, f := range []string{"id", "appRoleId", "resourceId"} {
					if n.S(f) == "" {
						n.C.Problems = append(n.C.Problems, attr.Problem{Field: n.Field(f), Err: n.Field(f) + ": missing: app role assignment skipped"})
					}
				}
				known = false
				rd.finish(n)
				continue
			}
			pid := n.S("principalId")
			if pid == "" {
				pid = spID
			}
			name := rd.appRoles[role]
			if name == "" {
				name = graphAppRoles[role]
			}
			admin := role == RoleManagementReadWriteDirectory || role == AppRoleAssignmentReadWriteAll
			r := &resource.Resource{Provider: resource.Azure, Region: "global", Type: TypeAppRoleAssignment,
				ID: ObjectID(rd.tenant, "servicePrincipals", spID) + "/appRoleAssignments/" + id, Class: resource.ClassIAMBinding}
			scope := ObjectID(rd.tenant, "servicePrincipals", res)
			r.Facts.Binding = &resource.Binding{Principal: pid, PrincipalType: "ServicePrincipal", Role: role, RoleName: name,
				Scope: scope, ScopeLevel: "resource", Primitive: resource.Bool(false), Public: resource.Bool(false),
				Eligible: resource.Bool(false), Privileged: resource.Bool(admin)}
			r.Name = cmp.Or(name, role) + " on " + cmp.Or(n.S("resourceDisplayName"), rd.name(res)) + " → " + rd.name(pid)
			attr.Relate(r, resource.RelGrantedTo, rd.ref(pid))
			attr.Relate(r, "grants_on", rd.ref(res))
			if admin {
				rd.admin[pid] = true
			}
			rd.res.Resources = append(rd.res.Resources, r)
			rd.finish(n)
		}
		rd.appPermsKnown[spID] = known
	}
}

func (rd *reader) conditionalAccess() {
	items, known := rd.values("/identity/conditionalAccess/policies")
	var mfa, deviceMFA bool
	for _, n := range items {
		id := n.S("id")
		if id == "" {
			n.C.Problems = append(n.C.Problems, attr.Problem{Field: n.Field("id"), Err: n.Field("id") + ": missing: policy skipped"})
			rd.finish(n)
			known = false
			continue
		}
		before := n.C.Count()
		r := &resource.Resource{Provider: resource.Azure, Region: "global", Type: TypeConditionalAccess,
			ID: "/tenants/" + rd.tenant + "/identity/conditionalAccess/policies/" + id, Name: cmp.Or(n.S("displayName"), id),
			Class: resource.ClassConditionalAccess}
		n.C.ID = r.ID
		ca := &resource.ConditionalAccess{State: n.S("state")}
		r.Facts.ConditionalAccess = ca
		users, apps, grant := n.O("conditions", "users"), n.O("conditions", "applications"), n.O("grantControls")
		for _, l := range []struct {
			n    node
			key  string
			dest *[]string
		}{
			{users, "includeUsers", &ca.IncludeUsers}, {users, "excludeUsers", &ca.ExcludeUsers},
			{users, "includeGroups", &ca.IncludeGroups}, {users, "excludeGroups", &ca.ExcludeGroups},
			{users, "includeRoles", &ca.IncludeRoles}, {users, "excludeRoles", &ca.ExcludeRoles},
			{apps, "includeApplications", &ca.IncludeApplications}, {apps, "excludeApplications", &ca.ExcludeApplications},
			{n, "conditions.clientAppTypes", &ca.ClientAppTypes}, {grant, "builtInControls", &ca.GrantControls},
		} {
			keys := strings.Split(l.key, ".")
			*l.dest, _ = l.n.Strs(keys...)
		}
		ca.GrantOperator = grant.S("operator")
		ca.AuthenticationStrength = grant.S("authenticationStrength", "id")
		actions, _ := apps.Strs("includeUserActions")
		if n.C.Count() > before {
			known = false // a field of the wrong type: what the policy requires is unknown
		} else if requiresMFAOfAll(ca) {
			mfa = mfa || slices.Contains(ca.IncludeApplications, "All")
			deviceMFA = deviceMFA || slices.ContainsFunc(actions, func(a string) bool { return strings.EqualFold(a, userActionRegisterDevice) })
		}
		rd.res.Resources = append(rd.res.Resources, r)
		rd.finish(n)
	}
	rd.caMFA, rd.caDeviceMFA = found(mfa, known), found(deviceMFA, known)
}

// admins sets identity.admin and group.admin: true for a holder of a
// tenant-admin role at "/" (directly, or through a group whose members
// are listed); false when the role holders and the principal's groups'
// roles are known and none is.
func (rd *reader) admins() {
	// A holder of an admin role the input does not hold, or a holder group
	// whose members are not listed, may have any principal in it.
	hidden := false
	for g := range rd.admin {
		if gp := rd.byObject[g]; gp == nil || (gp.kind == "Group" && !rd.memberKnown[g]) {
			hidden = true
		}
	}
	for oid, p := range rd.byObject {
		var v *bool
		switch {
		case rd.admin[oid]:
			v = resource.Bool(true)
		case p.kind != "Group":
			for _, g := range rd.groupsOf[oid] {
				if rd.admin[g] {
					v = resource.Bool(true)
				}
			}
		}
		if v == nil && rd.adminKnown && (p.kind != "ServicePrincipal" || rd.appPermsKnown[oid]) {
			v = resource.Bool(false)
			if p.kind != "Group" && hidden {
				v = nil
			}
		}
		switch {
		case p.r.Facts.Identity != nil:
			p.r.Facts.Identity.Admin = v
		case p.r.Facts.Group != nil:
			p.r.Facts.Group.Admin = v
		}
	}
}
