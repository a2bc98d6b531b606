package escalate

import (
	"context"
	"strings"

	"github.com/vigil-sec/vigil/internal/identity/decision"
	gcpiam "github.com/vigil-sec/vigil/internal/identity/gcp"
	"github.com/vigil-sec/vigil/internal/identity/graph"
	"github.com/vigil-sec/vigil/internal/resource"
)

// miMethods are the Azure resource types whose managed identity a writer
// can use: any one of the first list of actions suffices when all is
// false, every one is needed when all is true.
var miMethods = map[string]struct {
	method  string
	actions []string
	all     bool
}{
	"microsoft.compute/virtualmachines":       {"azure-vm-managed-identity", []string{"Microsoft.Compute/virtualMachines/runCommand/action", "Microsoft.Compute/virtualMachines/extensions/write"}, false},
	"microsoft.web/sites":                     {"azure-app-service-managed-identity", []string{"Microsoft.Web/sites/write"}, false},
	"microsoft.automation/automationaccounts": {"azure-automation-managed-identity", []string{"Microsoft.Automation/automationAccounts/runbooks/write", "Microsoft.Automation/automationAccounts/jobs/write"}, true},
}

// Entra directory role templates and Graph application permissions that
// let their holder add credentials to any application.
var appCredentialRoles = map[string]bool{
	"9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3": true, // Application Administrator
	"158c047a-c907-4556-b7ef-446551a6b5f7": true, // Cloud Application Administrator
	"1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9": true, // Application.ReadWrite.All (Graph app role)
	"application.readwrite.all":            true,
}

func (a *Analysis) azureMoves(ctx context.Context) ([]Step, error) {
	g := a.G
	var out []Step
	// Managed identities of resources a principal may write.
	for _, r := range g.Resources {
		if r.Provider != resource.Azure || ctx.Err() != nil {
			continue
		}
		m, ok := miMethods[strings.ToLower(r.Type)]
		ids := g.RunsAs(r.ID)
		if !ok || len(ids) == 0 {
			continue
		}
		best := map[string]Step{}
		count := map[string]int{}
		for _, act := range m.actions {
			for _, h := range g.Azure.WhoCan(act, false, r.ID) {
				n := g.Node(h.Resource)
				if n == nil {
					n = g.Node(h.Principal)
				}
				if n == nil || !usable(h.Decision.Result) {
					continue
				}
				count[n.ID]++
				s, seen := best[n.ID]
				if !seen || graph.Rank(h.Decision.Result) < graph.Rank(s.Result) || m.all {
					res := h.Decision.Result
					if seen && m.all {
						res = worst(res, s.Result)
					}
					best[n.ID] = Step{From: n.ID, Method: m.method, Actions: m.actions, Grant: graph.BindingOf(h.Decision) + " on " + r.ID, Result: res, Reason: strings.Join(h.Decision.Reasons, "; ")}
				}
			}
		}
		for from, s := range best {
			if m.all && count[from] < len(m.actions) {
				continue
			}
			for _, id := range ids {
				s.To = id
				out = append(out, s)
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Ownership of applications, service principals and groups.
	for _, e := range g.Edges() {
		if e.Kind != graph.Owns {
			continue
		}
		t := g.Node(e.To)
		method := "azure-app-credential-owner"
		if t != nil && t.Kind == graph.EntraGroup {
			method = "azure-group-owner"
		}
		out = append(out, Step{From: e.From, To: e.To, Method: method, Grant: e.Grant, Result: e.Result})
	}
	// Directory roles and Graph permissions that add credentials to any
	// application.
	defs := map[string]bool{}
	for _, r := range g.Resources {
		if r.Type == "microsoft.graph.unifiedRoleDefinition" && r.Facts.Role != nil {
			for _, act := range r.Facts.Role.Actions {
				l := strings.ToLower(act)
				if strings.HasPrefix(l, "microsoft.directory/applications/credentials/") || strings.HasPrefix(l, "microsoft.directory/serviceprincipals/credentials/") ||
					l == "microsoft.directory/applications/allproperties/alltasks" || l == "microsoft.directory/serviceprincipals/allproperties/alltasks" {
					defs[strings.ToLower(r.ID)] = true
				}
			}
		}
	}
	var apps []*graph.Node
	for _, n := range g.Nodes() {
		if n.Kind == graph.EntraApp || n.Kind == graph.EntraSP {
			apps = append(apps, n)
		}
	}
	for _, r := range g.Resources {
		b := r.Facts.Binding
		if !strings.HasPrefix(r.Type, "microsoft.graph.") || b == nil || (b.Deny != nil && *b.Deny) {
			continue
		}
		role := strings.ToLower(b.Role)
		tmpl := role[strings.LastIndex(role, "/")+1:]
		if !defs[role] && !appCredentialRoles[tmpl] && !appCredentialRoles[strings.ToLower(b.RoleName)] {
			continue
		}
		actor := g.Node(b.Principal)
		if actor == nil {
			continue
		}
		res, why := decision.Allowed, ""
		if b.Eligible != nil && *b.Eligible {
			res, why = decision.Conditional, "eligible (PIM) assignment: holds the role once activated"
		}
		if b.Condition != nil {
			res, why = decision.Conditional, "condition "+b.Condition.Expression
		}
		grant := r.ID + " (" + cmpOr(b.RoleName, b.Role) + ")"
		tenant := tenantOf(r.ID)
		for _, t := range apps {
			if t.ID == actor.ID || tenantOf(t.ID) != tenant {
				continue
			}
			if sc := strings.TrimPrefix(b.Scope, "/"); b.ScopeLevel != "directory" && sc != "" && !strings.EqualFold(sc, t.Principal) && !strings.EqualFold(b.Scope, t.ID) {
				continue
			}
			out = append(out, Step{From: actor.ID, To: t.ID, Method: "azure-app-credential-admin", Actions: []string{"microsoft.directory/applications/credentials/update"}, Grant: grant, Result: res, Reason: why})
		}
	}
	return out, nil
}

func tenantOf(id string) string {
	if rest, ok := strings.CutPrefix(id, "/tenants/"); ok {
		t, _, _ := strings.Cut(rest, "/")
		return t
	}
	return ""
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// actAsMethods are the GCP methods that need actAs on the service account
// and a create permission in its project.
var actAsMethods = []struct{ id, perm string }{
	{"gcp-actas-compute", "compute.instances.create"},
	{"gcp-actas-cloud-function", "cloudfunctions.functions.create"},
	{"gcp-actas-cloud-run", "run.services.create"},
	{"gcp-actas-deployment-manager", "deploymentmanager.deployments.create"},
}

func (a *Analysis) gcpMoves(ctx context.Context) ([]Step, error) {
	g := a.G
	var out []Step
	type key struct{ member, perm, project string }
	memo := map[key]decision.Decision{}
	check := func(member, perm, project string) decision.Decision {
		k := key{member, perm, project}
		if d, ok := memo[k]; ok {
			return d
		}
		d := g.GCP.Check(gcpiam.Request{Member: member, Permission: perm, Resource: "projects/" + project})
		memo[k] = d
		return d
	}
	for _, e := range g.Edges() {
		if e.Kind != graph.ActAs || ctx.Err() != nil {
			continue
		}
		sa, from := g.Node(e.To), g.Node(e.From)
		if sa == nil || from == nil || sa.Account == "" || from.Principal == "" {
			continue
		}
		for _, m := range actAsMethods {
			d := check(from.Principal, m.perm, sa.Account)
			if !usable(d.Result) {
				continue
			}
			grant := e.Grant
			if b := graph.BindingOf(d); b != grant {
				grant += "; " + b
			}
			out = append(out, Step{From: e.From, To: e.To, Method: m.id, Actions: []string{e.Action, m.perm},
				Grant: grant, Result: worst(e.Result, d.Result), Reason: strings.Join(append([]string{e.Reason}, d.Reasons...), "; ")})
		}
	}
	for _, sa := range g.Nodes() {
		if sa.Kind != graph.GCPSA || sa.Resource == "" || ctx.Err() != nil {
			continue
		}
		for _, m := range []struct{ id, perm string }{{"gcp-sa-key-create", "iam.serviceAccountKeys.create"}, {"gcp-sa-set-iam-policy", "iam.serviceAccounts.setIamPolicy"}} {
			for _, h := range g.GCP.WhoCan(m.perm, sa.Resource) {
				n := g.Node(h.Principal)
				if n == nil || !usable(h.Decision.Result) {
					continue
				}
				out = append(out, Step{From: n.ID, To: sa.ID, Method: m.id, Actions: []string{m.perm}, Grant: graph.BindingOf(h.Decision), Result: h.Decision.Result, Reason: strings.Join(h.Decision.Reasons, "; ")})
			}
		}
	}
	// Custom roles a member holds and may update.
	custom := map[string]string{} // role name -> parent (projects/P, organizations/N)
	for _, r := range g.Resources {
		if r.Provider == resource.GCP && r.Class == resource.ClassRole && r.Facts.Role != nil && r.Facts.Role.Custom != nil && *r.Facts.Role.Custom {
			name := strings.TrimPrefix(r.ID, "//iam.googleapis.com/")
			if i := strings.Index(name, "/roles/"); i > 0 {
				custom[name] = name[:i]
			}
		}
	}
	for _, r := range g.Resources {
		b := r.Facts.Binding
		if r.Provider != resource.GCP || b == nil || (b.Deny != nil && *b.Deny) {
			continue
		}
		parent, ok := custom[b.Role]
		if !ok {
			continue
		}
		actor := g.Node(b.Principal)
		if actor == nil || actor.Principal == "" {
			continue
		}
		d := g.GCP.Check(gcpiam.Request{Member: actor.Principal, Permission: "iam.roles.update", Resource: parent})
		if !usable(d.Result) {
			continue
		}
		res, why := d.Result, strings.Join(d.Reasons, "; ")
		if b.Condition != nil {
			res, why = worst(res, decision.Conditional), "the role's binding has condition "+b.Condition.Expression
		}
		out = append(out, Step{From: actor.ID, To: "admin:" + b.Scope, Method: "gcp-custom-role-update", Actions: []string{"iam.roles.update"},
			Grant: graph.BindingOf(d) + "; holds " + b.Role + " by " + r.ID, Result: res, Reason: why})
	}
	return out, ctx.Err()
}
