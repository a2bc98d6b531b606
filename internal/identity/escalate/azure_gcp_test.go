package escalate

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/identity/decision"
	"github.com/vigil-sec/vigil/internal/resource"
)

const (
	eveOID  = "eeeeeeee-0000-4000-8000-000000000001"
	miOID   = "eeeeeeee-0000-4000-8000-000000000002"
	spOID   = "eeeeeeee-0000-4000-8000-000000000003"
	appOID  = "eeeeeeee-0000-4000-8000-000000000004"
	vmID    = rg + "/providers/Microsoft.Compute/virtualMachines/vm1"
	siteID  = rg + "/providers/Microsoft.Web/sites/web1"
	autoID  = rg + "/providers/Microsoft.Automation/automationAccounts/auto1"
	uaiID   = rg + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai1"
	adminSb = "admin:" + sub
)

var eve = tenant + "/users/" + eveOID

// azureBase: the attacker eve, a managed identity (system-assigned on the
// given resource, or the user-assigned uai1) that is Owner of the
// subscription.
func azureBase(onResource string) []*resource.Resource {
	mi := entra("managed_identity", "servicePrincipals", miOID, "mi")
	mi.Aliases = append(mi.Aliases, onResource)
	return []*resource.Resource{subscription(), entra("user", "users", eveOID, "eve"), mi, assign("mi-owner", miOID, "ServicePrincipal", owner, sub)}
}

func azureRes(typ, id string, runsAs ...string) *resource.Resource {
	r := &resource.Resource{Provider: resource.Azure, Account: "00000000-0000-4000-8000-000000000001", Type: typ, ID: id, Class: resource.ClassCompute, Facts: resource.Facts{Compute: &resource.Compute{}}}
	for _, x := range runsAs {
		r.Relationships = append(r.Relationships, resource.Relationship{Type: resource.RelRunsAs, TargetID: x})
	}
	return r
}

func withCondition(r *resource.Resource, expr string) *resource.Resource {
	r.Facts.Binding.Condition = &resource.BindingCondition{Expression: expr, Version: "2.0"}
	return r
}

// ownedGroup is an Entra group eve owns.
func ownedGroup() *resource.Resource {
	g := entra("", "groups", "eeeeeeee-0000-4000-8000-0000000000aa", "admins")
	g.Relationships = []resource.Relationship{{Type: resource.RelOwnedBy, TargetID: eve}}
	return g
}

func TestAzureMethods(t *testing.T) {
	inv := func(rs ...*resource.Resource) func(t *testing.T) []*resource.Resource {
		return func(t *testing.T) []*resource.Resource { return rs }
	}
	vm := func(extra ...*resource.Resource) []*resource.Resource {
		return append(append(azureBase(vmID), azureRes("Microsoft.Compute/virtualMachines", vmID)), extra...)
	}
	site := func(extra ...*resource.Resource) []*resource.Resource {
		return append(append(azureBase(uaiID), azureRes("Microsoft.Web/sites", siteID, uaiID)), extra...)
	}
	auto := func(extra ...*resource.Resource) []*resource.Resource {
		return append(append(azureBase(autoID), azureRes("Microsoft.Automation/automationAccounts", autoID)), extra...)
	}
	sp := func(role string, extra ...*resource.Resource) []*resource.Resource {
		app := entra("application", "applications", appOID, "deployer")
		s := entra("service_principal", "servicePrincipals", spOID, "deployer")
		s.Relationships = []resource.Relationship{{Type: resource.RelInstanceOf, TargetID: app.ID}}
		return append([]*resource.Resource{subscription(), entra("user", "users", eveOID, "eve"), app, s, assign("sp-role", spOID, "ServicePrincipal", role, sub)}, extra...)
	}
	owned := func(role string) []*resource.Resource {
		rs := sp(role)
		rs[2].Relationships = append(rs[2].Relationships, resource.Relationship{Type: resource.RelOwnedBy, TargetID: eve})
		return rs
	}
	appAdmin := dirRole("aa", eveOID, "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "Application Administrator")
	eligible := dirRole("aa-e", eveOID, "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "Application Administrator")
	eligible.Type, eligible.Facts.Binding.Eligible = "microsoft.graph.unifiedRoleEligibilityScheduleInstance", resource.Bool(true)
	tenantAdmin := entra("user", "users", eveOID, "eve")
	tenantAdmin.Facts.Identity.Admin = resource.Bool(true)

	runCases(t, []methodCase{
		{"azure-role-assignment-write User Access Administrator", inv(subscription(), entra("user", "users", eveOID, "eve"), assign("a", eveOID, "User", uaa, sub)), eve, "azure-role-assignment-write", decision.Allowed, ""},
		{"azure-role-assignment-write Owner", inv(subscription(), entra("user", "users", eveOID, "eve"), assign("a", eveOID, "User", owner, sub)), eve, "azure-role-assignment-write", decision.Allowed, ""},
		{"azure-role-assignment-write deny assignment", inv(subscription(), entra("user", "users", eveOID, "eve"), assign("a", eveOID, "User", owner, sub), denyAssign("d", sub, "Microsoft.Authorization/roleAssignments/write")), eve, "azure-role-assignment-write", decision.ImplicitDeny, ""},
		{"azure-role-assignment-write Contributor cannot", inv(subscription(), entra("user", "users", eveOID, "eve"), assign("a", eveOID, "User", contrib, sub)), eve, "azure-role-assignment-write", decision.ImplicitDeny, ""},
		{"azure-role-assignment-write ABAC condition", inv(subscription(), entra("user", "users", eveOID, "eve"), withCondition(assign("a", eveOID, "User", uaa, sub), "@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {acdd72a7-3385-48ef-bd42-f606fba81ae7}")), eve, "azure-role-assignment-write", decision.Conditional, ""},
		{"azure-entra-admin", inv(tenantAdmin), eve, "azure-entra-admin", decision.Allowed, ""},

		{"azure-vm-managed-identity", inv(vm(assign("e", eveOID, "User", vmContr, rg))...), eve, "azure-vm-managed-identity", decision.Allowed, adminSb},
		{"azure-vm-managed-identity deny assignment", inv(vm(assign("e", eveOID, "User", vmContr, rg), denyAssign("d", rg, "Microsoft.Compute/virtualMachines/runCommand/action", "Microsoft.Compute/virtualMachines/extensions/write"))...), eve, "azure-vm-managed-identity", decision.ImplicitDeny, adminSb},
		{"azure-vm-managed-identity Reader cannot", inv(vm(assign("e", eveOID, "User", reader, rg))...), eve, "azure-vm-managed-identity", decision.ImplicitDeny, adminSb},
		{"azure-vm-managed-identity conditional assignment", inv(vm(withCondition(assign("e", eveOID, "User", vmContr, rg), "@Resource[Microsoft.Compute/virtualMachines:tags:env] StringEquals 'dev'"))...), eve, "azure-vm-managed-identity", decision.Conditional, adminSb},
		{"azure-app-service-managed-identity", inv(site(assign("e", eveOID, "User", webContr, rg))...), eve, "azure-app-service-managed-identity", decision.Allowed, adminSb},
		{"azure-app-service-managed-identity deny assignment", inv(site(assign("e", eveOID, "User", webContr, rg), denyAssign("d", rg, "Microsoft.Web/sites/write"))...), eve, "azure-app-service-managed-identity", decision.ImplicitDeny, adminSb},
		{"azure-automation-managed-identity", inv(auto(assign("e", eveOID, "User", contrib, rg))...), eve, "azure-automation-managed-identity", decision.Allowed, adminSb},
		{"azure-automation-managed-identity deny assignment on jobs", inv(auto(assign("e", eveOID, "User", contrib, rg), denyAssign("d", rg, "Microsoft.Automation/automationAccounts/jobs/write"))...), eve, "azure-automation-managed-identity", decision.ImplicitDeny, adminSb},

		{"azure-app-credential-owner", inv(owned(owner)...), eve, "azure-app-credential-owner", decision.Allowed, adminSb},
		{"azure-app-credential-owner of a service principal without privilege", inv(owned(reader)...), eve, "azure-app-credential-owner", decision.Allowed, ""},
		{"azure-group-owner", inv(subscription(), entra("user", "users", eveOID, "eve"), ownedGroup(), assign("g", "eeeeeeee-0000-4000-8000-0000000000aa", "Group", owner, sub)), eve, "azure-group-owner", decision.Allowed, adminSb},
		{"azure-app-credential-admin", inv(sp(owner, appAdmin)...), eve, "azure-app-credential-admin", decision.Allowed, adminSb},
		{"azure-app-credential-admin eligible (PIM)", inv(sp(owner, eligible)...), eve, "azure-app-credential-admin", decision.Conditional, adminSb},
		{"azure-app-credential-admin User Administrator cannot", inv(sp(owner, dirRole("ua", eveOID, "fe930be7-5e62-47db-91af-98c3a49a38b1", "User Administrator"))...), eve, "azure-app-credential-admin", decision.ImplicitDeny, adminSb},
		{"azure-app-credential-admin deny assignment on the subscription", inv(sp(owner, appAdmin, denyAssign("d", sub, "Microsoft.Authorization/roleAssignments/write"))...), eve, "azure-app-credential-admin", decision.Allowed, ""},
	})
}

// TestAzurePathBlockedAtTheEnd: eve takes over the service principal, but a
// deny assignment keeps the service principal from writing role
// assignments: no path to the subscription's admin.
func TestAzurePathBlockedAtTheEnd(t *testing.T) {
	app := entra("application", "applications", appOID, "deployer")
	s := entra("service_principal", "servicePrincipals", spOID, "deployer")
	s.Relationships = []resource.Relationship{{Type: resource.RelInstanceOf, TargetID: app.ID}}
	a := analyze(t, []*resource.Resource{subscription(), entra("user", "users", eveOID, "eve"), app, s, assign("sp", spOID, "ServicePrincipal", owner, sub),
		dirRole("aa", eveOID, "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "Application Administrator"), denyAssign("d", sub, "Microsoft.Authorization/*")})
	ps, err := a.Paths(context.Background(), Options{To: []string{adminSb}})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 0 {
		t.Errorf("paths: %v", ps)
	}
}

const (
	proj    = crm + "projects/100"
	adminPj = "admin:" + proj
	alice   = "user:alice@x.com"
	saEmail = "sa@proj-a.iam.gserviceaccount.com"
	saUID   = "123456"
	saRes   = "//iam.googleapis.com/projects/proj-a/serviceAccounts/" + saUID
	sa      = "serviceAccount:" + saEmail
)

// gcpBase: project proj-a under an organization, a service account that
// is owner of the project, and alice's bindings.
func gcpBase(extra ...*resource.Resource) []*resource.Resource {
	return append([]*resource.Resource{
		{Provider: resource.GCP, Type: "cloudresourcemanager.googleapis.com/Organization", ID: crm + "organizations/1", Aliases: []string{"organizations/1"}, Class: resource.ClassOrgUnit, Facts: resource.Facts{OrgUnit: &resource.OrgUnit{Kind: "organization"}}},
		gcpProject("proj-a", "100", crm+"organizations/1"),
		gcpSAres("proj-a", saEmail, saUID),
		bind(proj, "roles/owner", sa),
	}, extra...)
}

func aliceDeny(perms ...string) *resource.Resource {
	return gcpDeny(proj, "principal://goog/subject/alice@x.com", perms...)
}

func TestGCPMethods(t *testing.T) {
	inv := func(rs ...*resource.Resource) func(t *testing.T) []*resource.Resource {
		return func(t *testing.T) []*resource.Resource { return gcpBase(rs...) }
	}
	saUser := bind(saRes, "roles/iam.serviceAccountUser", alice)
	var cases []methodCase
	for _, m := range []struct {
		method, role string
		deny         []string
	}{
		{"gcp-actas-compute", "roles/compute.instanceAdmin.v1", []string{"compute.googleapis.com/instances.create"}},
		// Cloud Functions Developer may also deploy Cloud Run services
		// (second-generation functions): both are denied.
		{"gcp-actas-cloud-function", "roles/cloudfunctions.developer", []string{"cloudfunctions.googleapis.com/functions.create", "run.googleapis.com/services.create"}},
		{"gcp-actas-cloud-run", "roles/run.developer", []string{"run.googleapis.com/services.create"}},
		{"gcp-actas-deployment-manager", "roles/deploymentmanager.editor", []string{"deploymentmanager.googleapis.com/deployments.create"}},
	} {
		cases = append(cases,
			methodCase{m.method, inv(saUser, bind(proj, m.role, alice)), alice, m.method, decision.Allowed, adminPj},
			methodCase{m.method + " GCP deny policy", inv(saUser, bind(proj, m.role, alice), aliceDeny(m.deny...)), alice, m.method, decision.ImplicitDeny, adminPj},
			methodCase{m.method + " without actAs", inv(bind(proj, m.role, alice)), alice, m.method, decision.ImplicitDeny, adminPj},
		)
	}
	for _, m := range []struct{ method, perm, deny string }{
		{"gcp-get-access-token", "iam.serviceAccounts.getAccessToken", "iam.googleapis.com/serviceAccounts.getAccessToken"},
		{"gcp-sign-blob", "iam.serviceAccounts.signBlob", "iam.googleapis.com/serviceAccounts.signBlob"},
		{"gcp-sign-jwt", "iam.serviceAccounts.signJwt", "iam.googleapis.com/serviceAccounts.signJwt"},
		{"gcp-implicit-delegation", "iam.serviceAccounts.implicitDelegation", "iam.googleapis.com/serviceAccounts.implicitDelegation"},
		{"gcp-sa-key-create", "iam.serviceAccountKeys.create", "iam.googleapis.com/serviceAccountKeys.create"},
		{"gcp-sa-set-iam-policy", "iam.serviceAccounts.setIamPolicy", "iam.googleapis.com/serviceAccounts.setIamPolicy"},
	} {
		role := "projects/proj-a/roles/only_" + strings.ReplaceAll(m.perm, ".", "_")
		cr := gcpCustomRole(role, m.perm)
		cond := bind(saRes, role, alice)
		cond.Facts.Binding.Condition = &resource.BindingCondition{Title: "office hours", Expression: "request.time.getHours('UTC') < 18"}
		cases = append(cases,
			methodCase{m.method, inv(cr, bind(saRes, role, alice)), alice, m.method, decision.Allowed, adminPj},
			methodCase{m.method + " GCP deny policy", inv(cr, bind(saRes, role, alice), gcpDeny(proj, "principal://goog/subject/alice@x.com", m.deny)), alice, m.method, decision.ImplicitDeny, adminPj},
			methodCase{m.method + " IAM condition", inv(cr, cond), alice, m.method, decision.Conditional, adminPj},
		)
	}
	custom := gcpCustomRole("projects/proj-a/roles/reader", "storage.objects.get")
	cases = append(cases,
		methodCase{"gcp-set-iam-policy", inv(bind(proj, "roles/resourcemanager.projectIamAdmin", alice)), alice, "gcp-set-iam-policy", decision.Allowed, ""},
		methodCase{"gcp-set-iam-policy GCP deny policy", inv(bind(proj, "roles/resourcemanager.projectIamAdmin", alice), aliceDeny("cloudresourcemanager.googleapis.com/projects.setIamPolicy")), alice, "gcp-set-iam-policy", decision.ImplicitDeny, ""},
		methodCase{"gcp-custom-role-update", inv(custom, bind(proj, "projects/proj-a/roles/reader", alice), bind(proj, "roles/iam.roleAdmin", alice)), alice, "gcp-custom-role-update", decision.Allowed, adminPj},
		methodCase{"gcp-custom-role-update GCP deny policy", inv(custom, bind(proj, "projects/proj-a/roles/reader", alice), bind(proj, "roles/iam.roleAdmin", alice), aliceDeny("iam.googleapis.com/roles.update")), alice, "gcp-custom-role-update", decision.ImplicitDeny, adminPj},
		methodCase{"gcp-custom-role-update of a role it does not hold", inv(custom, bind(proj, "roles/iam.roleAdmin", alice)), alice, "gcp-custom-role-update", decision.ImplicitDeny, adminPj},
	)
	runCases(t, cases)
}

// TestCrossCloud: paths that cross clouds through federation.
func TestCrossCloud(t *testing.T) {
	tokenRole := gcpCustomRole("projects/proj-a/roles/token", "iam.serviceAccounts.getAccessToken")
	for _, c := range []struct {
		name    string
		rs      func(t *testing.T) []*resource.Resource
		from    string
		target  string
		methods []string
	}{
		{"GCP user → service account → AWS role trusting accounts.google.com → AWS admin", func(t *testing.T) []*resource.Resource {
			role := attachAdmin(awsRole(t, acctA, "gcp-bridge", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"accounts.google.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"accounts.google.com:sub":"`+saUID+`"}}}]}`))
			return append(gcpBase(tokenRole, bind(saRes, "projects/proj-a/roles/token", alice)), awsAccount(t, acctA), role)
		}, alice, adminA, []string{"gcp-get-access-token", "federation", "aws-admin-policy"}},
		{"GCP user → service account → Entra application trusting Google → Azure subscription admin", func(t *testing.T) []*resource.Resource {
			app := entra("application", "applications", appOID, "bridge")
			app.Facts.Identity.FederatedCredentials = []resource.FederatedCredential{{Name: "gcp", Issuer: "https://accounts.google.com", Subject: saUID}}
			s := entra("service_principal", "servicePrincipals", spOID, "bridge")
			s.Relationships = []resource.Relationship{{Type: resource.RelInstanceOf, TargetID: app.ID}}
			return append(gcpBase(tokenRole, bind(saRes, "projects/proj-a/roles/token", alice)), subscription(), app, s, assign("o", spOID, "ServicePrincipal", owner, sub))
		}, alice, adminSb, []string{"gcp-get-access-token", "federation", "app-credentials", "azure-role-assignment-write"}},
		{"AWS role → GCP workload identity pool → service account → GCP project admin", func(t *testing.T) []*resource.Resource {
			member := "principalSet://iam.googleapis.com/projects/100/locations/global/workloadIdentityPools/aws/attribute.aws_role/arn:aws:sts::" + acctA + ":assumed-role/ci"
			return append(gcpBase(bind(saRes, "roles/iam.workloadIdentityUser", member)), awsAccount(t, acctA), awsRole(t, acctA, "ci", trustService("codebuild.amazonaws.com")))
		}, attackerR, adminPj, []string{"federation", "gcp-get-access-token", "gcp-set-iam-policy"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := analyze(t, c.rs(t))
			ps, err := a.Paths(context.Background(), Options{To: []string{c.target}})
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(ps, func(p Path) bool { return strings.EqualFold(p.Principal, c.from) })
			if i < 0 {
				t.Fatalf("no path from %s; paths %v; moves %v", c.from, ps, movesOf(a, c.from))
			}
			var got []string
			for _, s := range ps[i].Steps {
				got = append(got, s.Method)
			}
			if !slices.Equal(got, c.methods) {
				t.Errorf("steps %v, want %v:\n%s", got, c.methods, ps[i].Text())
			}
		})
	}
}
