package escalate

import (
	"context"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/iam/awspolicy"
	"github.com/vigil-sec/vigil/internal/identity/graph"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Builders of small inventories, in the shapes the importers produce.

const (
	acctA = "111111111111"
	acctB = "222222222222"
	crm   = "//cloudresourcemanager.googleapis.com/"
)

func doc(t testing.TB, text string) *resource.PolicyDocument {
	d := awspolicy.ParseText(text)
	if d == nil || d.Error != "" {
		t.Fatalf("policy %s: %+v", text, d)
	}
	return d
}

func awsARN(acct, kind, name string) string { return "arn:aws:iam::" + acct + ":" + kind + "/" + name }

// awsUser is an IAM user with inline policy documents (JSON texts).
func awsUser(t testing.TB, acct, name string, inline ...string) *resource.Resource {
	id := &resource.Identity{Kind: "user"}
	for i, p := range inline {
		id.InlineDocuments = append(id.InlineDocuments, resource.NamedPolicy{Name: "p" + string(rune('0'+i)), Document: doc(t, p)})
	}
	return &resource.Resource{Provider: resource.AWS, Account: acct, Region: "global", Type: "AWS::IAM::User", ID: awsARN(acct, "user", name), Name: name, Class: resource.ClassIdentity, Facts: resource.Facts{Identity: id}}
}

// awsRole is a role with a trust policy and inline policies.
func awsRole(t testing.TB, acct, name, trust string, inline ...string) *resource.Resource {
	r := awsUser(t, acct, name, inline...)
	r.Type, r.ID, r.Facts.Identity.Kind = "AWS::IAM::Role", awsARN(acct, "role", name), "role"
	r.Facts.Identity.TrustPolicy = doc(t, trust)
	return r
}

func awsGroup(t testing.TB, acct, name string, admin bool, members ...*resource.Resource) *resource.Resource {
	g := &resource.Resource{Provider: resource.AWS, Account: acct, Region: "global", Type: "AWS::IAM::Group", ID: awsARN(acct, "group", name), Name: name, Class: resource.ClassGroup,
		Facts: resource.Facts{Group: &resource.Group{Admin: resource.Bool(admin)}}}
	if admin {
		g.Facts.Group.AttachedPolicies = []string{"arn:aws:iam::aws:policy/AdministratorAccess"}
	}
	for _, m := range members {
		m.Facts.Identity.Groups = append(m.Facts.Identity.Groups, g.ID)
		m.Relationships = append(m.Relationships, resource.Relationship{Type: resource.RelMemberOf, TargetID: g.ID})
	}
	return g
}

func awsManaged(t testing.TB, acct, name, text string, attached ...*resource.Resource) *resource.Resource {
	p := &resource.Resource{Provider: resource.AWS, Account: acct, Region: "global", Type: "AWS::IAM::Policy", ID: "arn:aws:iam::" + acct + ":policy/" + name, Name: name, Class: resource.ClassIAMPolicy,
		Facts: resource.Facts{Policy: &resource.Policy{Managed: "customer", Document: doc(t, text)}}}
	for _, a := range attached {
		a.Facts.Identity.AttachedPolicies = append(a.Facts.Identity.AttachedPolicies, p.ID)
		a.Relationships = append(a.Relationships, resource.Relationship{Type: resource.RelHasPolicy, TargetID: p.ID})
	}
	return p
}

func attachAdmin(r *resource.Resource) *resource.Resource {
	r.Facts.Identity.AttachedPolicies = append(r.Facts.Identity.AttachedPolicies, "arn:aws:iam::aws:policy/AdministratorAccess")
	r.Relationships = append(r.Relationships, resource.Relationship{Type: resource.RelHasPolicy, TargetID: "arn:aws:iam::aws:policy/AdministratorAccess"})
	return r
}

func awsAccount(t testing.TB, acct string, scps ...string) *resource.Resource {
	a := &resource.Resource{Provider: resource.AWS, Account: acct, Region: "global", Type: "AWS::::Account", ID: "aws-account/" + acct, Class: resource.ClassAccount, Facts: resource.Facts{Account: &resource.Account{}}}
	if len(scps) > 0 {
		full := resource.NamedPolicy{ID: "p-full", Name: "FullAWSAccess", Document: doc(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)}
		lvl := resource.OrgPolicyLevel{Target: "r-root", Policies: []resource.NamedPolicy{full}}
		for i, s := range scps {
			lvl.Policies = append(lvl.Policies, resource.NamedPolicy{ID: "p-scp" + string(rune('0'+i)), Name: "scp", Document: doc(t, s)})
		}
		a.Facts.Account.SCPs = &resource.OrgPolicies{Applies: resource.Bool(true), Levels: []resource.OrgPolicyLevel{lvl, {Target: a.ID, Policies: []resource.NamedPolicy{full}}}}
	}
	return a
}

func allow(actions string, res string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[` + quoteList(actions) + `],"Resource":"` + res + `"}]}`
}

func quoteList(s string) string {
	var q []string
	for _, a := range strings.Split(s, ",") {
		q = append(q, `"`+a+`"`)
	}
	return strings.Join(q, ",")
}

func trustAWS(principal string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + principal + `"},"Action":"sts:AssumeRole"}]}`
}

func trustService(svc string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"` + svc + `"},"Action":"sts:AssumeRole"}]}`
}

// Azure / Entra.

const (
	tenant   = "/tenants/t1"
	sub      = "/subscriptions/00000000-0000-4000-8000-000000000001"
	rg       = sub + "/resourceGroups/rg1"
	defs     = "/providers/Microsoft.Authorization/roleDefinitions/"
	owner    = defs + "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
	uaa      = defs + "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
	contrib  = defs + "b24988ac-6180-42a0-ab88-20f7382dd24c"
	vmContr  = defs + "9980e02c-c2be-4d73-94e8-173b1dc7cf3c"
	webContr = defs + "de139f84-1756-47ae-9be6-808fbbe84772"
	reader   = defs + "acdd72a7-3385-48ef-bd42-f606fba81ae7"
)

func entra(kind, coll, oid, name string) *resource.Resource {
	r := &resource.Resource{Provider: resource.Azure, Region: "global", Type: "microsoft.graph." + map[string]string{"users": "user", "groups": "group", "servicePrincipals": "servicePrincipal", "applications": "application"}[coll],
		ID: tenant + "/" + coll + "/" + oid, Name: name, Aliases: []string{oid}}
	if coll == "groups" {
		r.Class, r.Facts.Group = resource.ClassGroup, &resource.Group{}
	} else {
		r.Class, r.Facts.Identity = resource.ClassIdentity, &resource.Identity{Kind: kind}
	}
	return r
}

func subscription() *resource.Resource {
	return &resource.Resource{Provider: resource.Azure, Account: "00000000-0000-4000-8000-000000000001", Type: "Microsoft.Resources/subscriptions", ID: sub, Class: resource.ClassAccount, Facts: resource.Facts{Account: &resource.Account{}}}
}

func assign(name, principal, ptype, role, scope string) *resource.Resource {
	return &resource.Resource{Provider: resource.Azure, Type: "Microsoft.Authorization/roleAssignments", ID: scope + "/providers/Microsoft.Authorization/roleAssignments/" + name, Class: resource.ClassIAMBinding,
		Facts: resource.Facts{Binding: &resource.Binding{Principal: principal, PrincipalType: ptype, Role: sub + role, Scope: scope}}}
}

func denyAssign(name, scope string, actions ...string) *resource.Resource {
	r := assign(name, "00000000-0000-0000-0000-000000000000", "SystemDefined", "", scope)
	r.Type = "Microsoft.Authorization/denyAssignments"
	r.Facts.Binding.Role = ""
	r.Facts.Binding.Deny = resource.Bool(true)
	r.Facts.Binding.DenyPermissions = []resource.RolePermission{{Actions: actions}}
	return r
}

// dirRole is an Entra directory role assignment at the tenant.
func dirRole(name, principal, template, roleName string) *resource.Resource {
	return &resource.Resource{Provider: resource.Azure, Region: "global", Type: "microsoft.graph.unifiedRoleAssignment", ID: tenant + "/roleManagement/directory/roleAssignments/" + name, Class: resource.ClassIAMBinding,
		Facts: resource.Facts{Binding: &resource.Binding{Principal: principal, Role: tenant + "/roleManagement/directory/roleDefinitions/" + template, RoleName: roleName, Scope: "/", ScopeLevel: "directory"}}}
}

// GCP.

func gcpProject(id, number, parent string) *resource.Resource {
	return &resource.Resource{Provider: resource.GCP, Account: id, Type: "cloudresourcemanager.googleapis.com/Project", ID: crm + "projects/" + number, Aliases: []string{"projects/" + id, "projects/" + number},
		Class: resource.ClassAccount, Facts: resource.Facts{Account: &resource.Account{Parent: parent}}}
}

func gcpSAres(project, email, unique string) *resource.Resource {
	return &resource.Resource{Provider: resource.GCP, Account: project, Region: "global", Type: "iam.googleapis.com/ServiceAccount", ID: "//iam.googleapis.com/projects/" + project + "/serviceAccounts/" + unique,
		Aliases: []string{email, "serviceAccount:" + email, unique}, Class: resource.ClassIdentity, Facts: resource.Facts{Identity: &resource.Identity{Kind: "service_account"}}}
}

func bind(scope, role, member string) *resource.Resource {
	return &resource.Resource{Provider: resource.GCP, Type: "iam.googleapis.com/Binding", ID: scope + "#iam/" + role + "/" + member, Class: resource.ClassIAMBinding,
		Facts: resource.Facts{Binding: &resource.Binding{Principal: member, Role: role, Scope: scope}}}
}

func gcpDeny(scope, member string, perms ...string) *resource.Resource {
	r := bind(scope, "", member)
	r.ID = scope + "#deny/" + member
	r.Facts.Binding.Deny = resource.Bool(true)
	r.Facts.Binding.DenyPermissions = []resource.RolePermission{{Actions: perms}}
	return r
}

func gcpCustomRole(id string, perms ...string) *resource.Resource {
	return &resource.Resource{Provider: resource.GCP, Type: "iam.googleapis.com/Role", ID: "//iam.googleapis.com/" + id, Aliases: []string{id}, Class: resource.ClassRole,
		Facts: resource.Facts{Role: &resource.RoleDefinition{Custom: resource.Bool(true), IncludedPermissions: perms, RoleName: id}}}
}

// analyze builds the graph and the analysis of an inventory.
func analyze(t testing.TB, rs []*resource.Resource) *Analysis {
	t.Helper()
	g, err := graph.Build(context.Background(), rs, graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := Analyze(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
