package entra

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

const tenant = "t-1"

func parse(t *testing.T, responses string) *attr.Result {
	t.Helper()
	text := `{"tenantId":"` + tenant + `","apiVersion":"v1.0","collectedAt":"2026-12-01T00:00:00Z","responses":{` + responses + `}}`
	var doc any
	if err := attr.Decode([]byte(text), &doc); err != nil {
		t.Fatalf("test input: %v\n%s", err, text)
	}
	if Detect(doc) != Format {
		t.Fatalf("not detected")
	}
	return Parse(context.Background(), "entra.json", doc)
}

func coll(items ...string) string { return `{"value":[` + strings.Join(items, ",") + `]}` }

func get(rs []*resource.Resource, coll, id string) *resource.Resource {
	want := ObjectID(tenant, coll, id)
	for _, r := range rs {
		if r.ID == want {
			return r
		}
	}
	return nil
}

func tri(b *bool) string {
	if b == nil {
		return "unknown"
	}
	return fmt.Sprint(*b)
}

func problems(res *attr.Result) string {
	var out []string
	for _, p := range res.Problems {
		w := ""
		if p.Warning {
			w = "warning: "
		}
		out = append(out, w+p.Error())
	}
	return strings.Join(out, "\n")
}

const (
	ga  = GlobalAdministrator
	pra = PrivilegedRoleAdministrator
)

func assign(id, principal, role, scope string) string {
	return fmt.Sprintf(`{"id":%q,"principalId":%q,"roleDefinitionId":%q,"directoryScopeId":%q}`, id, principal, role, scope)
}

// TestAdmin: identity.admin from tenant-admin roles, directly or through a
// group; unknown whenever the role holders or a holder group's members are.
func TestAdmin(t *testing.T) {
	users := `"/users":` + coll(`{"id":"u1","userType":"Member"}`, `{"id":"u2"}`, `{"id":"u3"}`)
	groups := `"/groups":` + coll(`{"id":"g1","isAssignableToRole":true}`)
	tests := []struct {
		name      string
		responses string
		want      string // admin of u1 u2 u3
	}{
		{"direct and through a group", users + "," + groups + `,"/groups/g1/members":` + coll(`{"id":"u2"}`) +
			`,"/roleManagement/directory/roleAssignments":` + coll(assign("a1", "u1", ga, "/"), assign("a2", "g1", pra, "/")), "true true false"},
		{"a role at an administrative unit is not tenant admin", users +
			`,"/roleManagement/directory/roleAssignments":` + coll(assign("a1", "u1", ga, "/administrativeUnits/au1")), "false false false"},
		{"an eligible role is not held until activated", users +
			`,"/roleManagement/directory/roleAssignments":` + coll() +
			`,"/roleManagement/directory/roleEligibilityScheduleInstances":` + coll(assign("e1", "u1", ga, "/")), "false false false"},
		{"role assignments not collected", users + "," + groups, "unknown unknown unknown"},
		{"a holder group's members not collected", users + "," + groups +
			`,"/roleManagement/directory/roleAssignments":` + coll(assign("a1", "u1", ga, "/"), assign("a2", "g1", ga, "/")), "true unknown unknown"},
		{"a holder the input does not hold may be a group", users +
			`,"/roleManagement/directory/roleAssignments":` + coll(assign("a1", "x9", ga, "/")), "unknown unknown unknown"},
		{"directory roles and their members instead", users +
			`,"/directoryRoles":` + coll(`{"id":"d1","roleTemplateId":"`+ga+`"}`) + `,"/directoryRoles/d1/members":` + coll(`{"id":"u3"}`), "false false true"},
		{"a directory role whose members were denied", users +
			`,"/directoryRoles":` + coll(`{"id":"d1","roleTemplateId":"`+ga+`"}`) + `,"/directoryRoles/d1/members":{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges"}}`, "unknown unknown unknown"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := parse(t, tc.responses)
			var got []string
			for _, u := range []string{"u1", "u2", "u3"} {
				r := get(res.Resources, "users", u)
				if r == nil {
					t.Fatalf("user %s not imported\n%s", u, problems(res))
				}
				got = append(got, tri(r.Facts.Identity.Admin))
			}
			if g := strings.Join(got, " "); g != tc.want {
				t.Errorf("admin = %s, want %s\n%s", g, tc.want, problems(res))
			}
		})
	}
}

// TestBindings: role assignments become bindings with the role's name,
// scope, privilege and principal type; directory role members add the
// assignments roleAssignments does not list, once.
func TestBindings(t *testing.T) {
	res := parse(t, `"/users":`+coll(`{"id":"u1","userPrincipalName":"u1@x"}`)+
		`,"/servicePrincipals":`+coll(`{"id":"s1","appId":"app-1","displayName":"svc"}`)+
		`,"/roleManagement/directory/roleDefinitions":`+coll(`{"id":"`+ga+`","displayName":"Global Administrator","isBuiltIn":true,"templateId":"`+ga+`","rolePermissions":[{"allowedResourceActions":["microsoft.directory/users/allProperties/allTasks"]}]}`,
		`{"id":"c1","displayName":"Custom","isBuiltIn":false,"rolePermissions":[{"allowedResourceActions":["microsoft.directory/applications/credentials/update"]}]}`)+
		`,"/roleManagement/directory/roleAssignments":`+coll(assign("a1", "u1", ga, "/"), assign("a2", "s1", "c1", "/app-object")+``)+
		`,"/roleManagement/directory/roleEligibilityScheduleInstances":`+coll(assign("e1", "u1", "c1", "/"))+
		`,"/directoryRoles":`+coll(`{"id":"d1","roleTemplateId":"`+ga+`"}`)+`,"/directoryRoles/d1/members":`+coll(`{"id":"u1"}`, `{"id":"s1"}`))
	if p := problems(res); p != "" {
		t.Fatalf("problems:\n%s", p)
	}
	var bs []string
	for _, r := range res.Resources {
		if b := r.Facts.Binding; b != nil {
			bs = append(bs, fmt.Sprintf("%s %s %s %q %s %s privileged=%s eligible=%s", r.Name, b.Principal, b.PrincipalType, b.RoleName, b.Scope, b.ScopeLevel, tri(b.Privileged), tri(b.Eligible)))
		}
	}
	want := []string{
		`Global Administrator → u1@x u1 User "Global Administrator" / directory privileged=true eligible=false`,
		`Custom → svc s1 ServicePrincipal "Custom" /app-object resource privileged=false eligible=false`,
		`Custom → u1@x u1 User "Custom" / directory privileged=false eligible=true`,
		`Global Administrator → svc s1 ServicePrincipal "Global Administrator" / directory privileged=true eligible=false`,
	}
	if strings.Join(bs, "\n") != strings.Join(want, "\n") {
		t.Errorf("bindings\n got %s\nwant %s", strings.Join(bs, "\n"), strings.Join(want, "\n"))
	}
	var custom *resource.Resource
	for _, r := range res.Resources {
		if r.ID == RoleDefinitionID(tenant, "c1") {
			custom = r
		}
	}
	if custom == nil || custom.Class != resource.ClassRole || tri(custom.Facts.Role.Custom) != "true" || tri(custom.Facts.Role.FullAdmin) != "false" ||
		len(custom.Facts.Role.Permissions) != 1 || custom.Facts.Role.Permissions[0].Actions[0] != "microsoft.directory/applications/credentials/update" {
		t.Errorf("custom role: %+v", custom)
	}
	if s := get(res.Resources, "servicePrincipals", "s1"); tri(s.Facts.Identity.Admin) != "true" {
		t.Errorf("service principal admin through a directory role member: %s", tri(s.Facts.Identity.Admin))
	}
}

// TestPrincipals: users, guests, groups, applications with credentials,
// owners and federated credentials, service principals and managed identities.
func TestPrincipals(t *testing.T) {
	res := parse(t, `"/users?$select=id,userType,accountEnabled":`+coll(`{"id":"u1","userType":"Guest","accountEnabled":false,"userPrincipalName":"g#EXT#@x"}`, `{"id":"u2","userType":"Member"}`, `{"id":"u3"}`)+
		`,"/reports/authenticationMethods/userRegistrationDetails":`+coll(`{"id":"u1","isMfaRegistered":true}`, `{"id":"u2","isMfaRegistered":false}`, `{"id":"nobody","isMfaRegistered":true}`)+
		`,"https://graph.microsoft.com/v1.0/Groups/":`+coll(`{"id":"g1","visibility":"Public"}`, `{"id":"g2"}`)+
		`,"/groups/g1/members":[`+`{"value":[{"@odata.type":"#microsoft.graph.user","id":"u1"}],"@odata.nextLink":"https://graph.microsoft.com/v1.0/groups/g1/members?$skiptoken=x"},`+coll(`{"id":"u2"}`, `{"id":"g2"}`)+`]`+
		`,"/groups/g1/owners":`+coll(`{"id":"u2"}`)+
		`,"/applications":`+coll(`{"id":"a1","appId":"app-1","displayName":"deployer","passwordCredentials":[{"keyId":"k1","startDateTime":"2025-01-01T00:00:00Z","endDateTime":"2027-01-01T00:00:00Z"}],"keyCredentials":[{"keyId":"k2","startDateTime":"2024-01-01T00:00:00Z","endDateTime":"2025-01-01T00:00:00Z"}]}`,
		`{"id":"a2","appId":"app-2"}`)+
		`,"/applications/a1/owners":`+coll(`{"id":"u1"}`, `{"id":"zz"}`)+
		`,"/applications/a1/federatedIdentityCredentials":`+coll(`{"name":"gh","issuer":"https://token.actions.githubusercontent.com","subject":"repo:o/r:ref:refs/heads/main","audiences":["api://AzureADTokenExchange"]}`)+
		`,"/servicePrincipals":`+coll(`{"id":"s1","appId":"app-1","servicePrincipalType":"Application","passwordCredentials":[],"keyCredentials":[]}`,
		`{"id":"s2","appId":"app-9","servicePrincipalType":"ManagedIdentity","alternativeNames":["isExplicit=True","/subscriptions/s/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/mi"]}`))
	if p := problems(res); p != "" {
		t.Fatalf("problems:\n%s", p)
	}
	u1, u2, u3 := get(res.Resources, "users", "u1"), get(res.Resources, "users", "u2"), get(res.Resources, "users", "u3")
	if got := fmt.Sprintf("%s %s %s / %s", tri(u1.Facts.Identity.Guest), tri(u2.Facts.Identity.Guest), tri(u3.Facts.Identity.Guest), tri(u1.Facts.Identity.Disabled)); got != "true false unknown / true" {
		t.Errorf("guest / disabled: %s", got)
	}
	if got := tri(u1.Facts.Identity.MFAEnabled) + " " + tri(u2.Facts.Identity.MFAEnabled) + " " + tri(u3.Facts.Identity.MFAEnabled); got != "true false unknown" {
		t.Errorf("mfa registered: %s", got)
	}
	if u1.Name != "g#EXT#@x" || u1.Aliases[0] != "u1" || u1.Class != resource.ClassIdentity {
		t.Errorf("u1: %+v", u1)
	}
	g1 := get(res.Resources, "groups", "g1")
	if g1 == nil || tri(g1.Facts.Group.Public) != "true" || tri(get(res.Resources, "groups", "g2").Facts.Group.Public) != "unknown" {
		t.Fatalf("groups: %+v", g1)
	}
	if got := strings.Join(g1.Facts.Group.Members, " "); got != u1.ID+" "+u2.ID+" "+ObjectID(tenant, "groups", "g2") {
		t.Errorf("members over two pages: %s", got)
	}
	if len(u2.Facts.Identity.Groups) != 1 || u2.Facts.Identity.Groups[0] != g1.ID || !hasRel(u2, resource.RelMemberOf, g1.ID) || !hasRel(g1, resource.RelOwnedBy, u2.ID) {
		t.Errorf("membership or ownership: %+v %+v", u2, g1.Relationships)
	}
	if !hasRel(get(res.Resources, "groups", "g2"), resource.RelMemberOf, g1.ID) {
		t.Errorf("nested group not member_of")
	}
	a1 := get(res.Resources, "applications", "a1")
	id := a1.Facts.Identity
	if id.Kind != "application" || tri(id.AccessKeysKnown) != "true" || len(id.AccessKeys) != 2 || !id.AccessKeys[0].Active || id.AccessKeys[1].Active {
		t.Errorf("application credentials: %+v", id)
	}
	if !hasRel(a1, resource.RelOwnedBy, u1.ID) || !hasRel(a1, resource.RelOwnedBy, "zz") {
		t.Errorf("owners: %+v", a1.Relationships)
	}
	if len(id.FederatedCredentials) != 1 || id.FederatedCredentials[0].Subject != "repo:o/r:ref:refs/heads/main" {
		t.Errorf("federated credentials: %+v", id.FederatedCredentials)
	}
	if tri(get(res.Resources, "applications", "a2").Facts.Identity.AccessKeysKnown) != "unknown" {
		t.Errorf("credentials not listed are unknown")
	}
	s1, s2 := get(res.Resources, "servicePrincipals", "s1"), get(res.Resources, "servicePrincipals", "s2")
	if s1.Facts.Identity.Kind != "service_principal" || !hasRel(s1, resource.RelInstanceOf, a1.ID) || tri(s1.Facts.Identity.AccessKeysKnown) != "true" {
		t.Errorf("s1: %+v", s1)
	}
	if s2.Facts.Identity.Kind != "managed_identity" || len(s2.Aliases) != 2 || !strings.HasSuffix(s2.Aliases[1], "/userAssignedIdentities/mi") {
		t.Errorf("s2: %+v", s2)
	}
}

func hasRel(r *resource.Resource, typ, target string) bool {
	for _, rel := range r.Relationships {
		if rel.Type == typ && rel.TargetID == target {
			return true
		}
	}
	return false
}

// TestBadInput: every problem names the path and field; the rest is read.
func TestBadInput(t *testing.T) {
	res := parse(t, `"/users":{"value":"oops"},"/groups":{"@odata.context":"x"},"/applications":[{"value":[{"id":"a1"}]},7],
		"/servicePrincipals":`+coll(`{"id":"s1","passwordCredentials":"x"}`, `5`, `{"displayName":"no id"}`)+
		`,"/roleManagement/directory/roleAssignments":`+coll(`{"id":"a1","principalId":"s1"}`)+
		`,"/identity/conditionalAccess/policies":{"value":[],"@odata.nextLink":"https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies?$skiptoken=1"}`)
	all := problems(res)
	for _, want := range []string{
		`responses["/users"].value: want array, got string`,
		`responses["/groups"].value: missing`,
		`responses["/applications"][1]: want object (a Graph collection response), got number`,
		`responses["/servicePrincipals"].value[0].passwordCredentials: want array, got string`,
		`responses["/servicePrincipals"].value[1]: want object, got number`,
		`responses["/servicePrincipals"].value[2].id: missing`,
		`responses["/roleManagement/directory/roleAssignments"].value[0].roleDefinitionId: missing`,
		`warning: : responses["/identity/conditionalAccess/policies"].@odata.nextLink: set on the last page`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no problem %q in\n%s", want, all)
		}
	}
	if get(res.Resources, "applications", "a1") == nil {
		t.Errorf("the readable page of /applications was not imported")
	}
	// An element of the wrong type is reported, the others are read.
	// (and the tenant, whose settings are unknown: its policies are not in the file)
	if get(res.Resources, "servicePrincipals", "s1") == nil || len(res.Resources) != 3 {
		t.Errorf("resources: %d", len(res.Resources))
	}
	var doc any
	if err := attr.Decode([]byte(`{"tenantId":"","responses":{"/users":{"value":[{"id":"u"}]}}}`), &doc); err != nil {
		t.Fatal(err)
	}
	if r := Parse(context.Background(), "x.json", doc); len(r.Resources) != 0 || len(r.Problems) != 1 || r.Problems[0].Field != "tenantId" {
		t.Errorf("no tenant: %+v", r)
	}
}

func TestNormPath(t *testing.T) {
	for in, want := range map[string]string{
		"/users":            "/users",
		"/users?$select=id": "/users",
		"users/":            "/users",
		"https://graph.microsoft.com/v1.0/groups/g/members?$top=999": "/groups/g/members",
		"/v1.0/servicePrincipals":                                    "/servicePrincipals",
		"/beta/roleManagement/directory/roleAssignments":             "/roleManagement/directory/roleAssignments",
		"/v1.0": "/v1.0",
	} {
		if got := normPath(in); got != want {
			t.Errorf("normPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestAppPermissions: application permissions granted to service
// principals are bindings on the API's service principal; one that lets an
// app grant itself any role makes it a tenant admin; a service principal
// whose grants were not collected is not known not to be one.
func TestAppPermissions(t *testing.T) {
	res := parse(t, `"/servicePrincipals":`+coll(`{"id":"s1","appId":"a1","displayName":"sync"}`, `{"id":"s2","displayName":"reader"}`, `{"id":"s3"}`,
		`{"id":"g","displayName":"Microsoft Graph","appRoles":[{"id":"r-read","value":"Directory.Read.All"}]}`)+
		`,"/servicePrincipals/s1/appRoleAssignments":`+coll(`{"id":"x1","appRoleId":"`+RoleManagementReadWriteDirectory+`","principalId":"s1","resourceId":"g"}`)+
		`,"/servicePrincipals/s2/appRoleAssignments":`+coll(`{"id":"x2","appRoleId":"r-read","principalId":"s2","resourceId":"g"}`, `{"id":"x3","appRoleId":"r-read"}`)+
		`,"/servicePrincipals/g/appRoleAssignments":`+coll()+
		`,"/roleManagement/directory/roleAssignments":`+coll())
	if got := problems(res); !strings.Contains(got, `responses["/servicePrincipals/s2/appRoleAssignments"].value[1].resourceId: missing`) {
		t.Errorf("problems:\n%s", got)
	}
	var bs []string
	for _, r := range res.Resources {
		if b := r.Facts.Binding; b != nil {
			bs = append(bs, fmt.Sprintf("%s %s %s %s privileged=%s", r.Name, b.Principal, b.RoleName, b.Scope, tri(b.Privileged)))
		}
	}
	want := "RoleManagement.ReadWrite.Directory on Microsoft Graph → sync s1 RoleManagement.ReadWrite.Directory " + ObjectID(tenant, "servicePrincipals", "g") + " privileged=true\n" +
		"Directory.Read.All on Microsoft Graph → reader s2 Directory.Read.All " + ObjectID(tenant, "servicePrincipals", "g") + " privileged=false"
	if strings.Join(bs, "\n") != want {
		t.Errorf("bindings\n got %s\nwant %s", strings.Join(bs, "\n"), want)
	}
	var admins []string
	for _, id := range []string{"s1", "s2", "s3", "g"} {
		admins = append(admins, tri(get(res.Resources, "servicePrincipals", id).Facts.Identity.Admin))
	}
	// s2's grants are incomplete (one unreadable), s3's not collected.
	if got := strings.Join(admins, " "); got != "true unknown unknown false" {
		t.Errorf("admin = %s", got)
	}
}

// TestConditionalAccess: the users, roles and applications a policy covers
// and the controls it requires; a list of the wrong type is reported and
// left unknown.
func TestConditionalAccess(t *testing.T) {
	res := parse(t, `"/identity/conditionalAccess/policies":`+coll(
		`{"id":"p1","displayName":"MFA for admins","state":"enabled","conditions":{"users":{"includeRoles":["`+ga+`"],"excludeUsers":["u-breakglass"]},
			"applications":{"includeApplications":["All"]},"clientAppTypes":["all"]},"grantControls":{"operator":"OR","builtInControls":["mfa"],"authenticationStrength":null}}`,
		`{"id":"p2","displayName":"Block legacy","state":"enabledForReportingButNotEnforced","conditions":{"users":{"includeUsers":"All"},"clientAppTypes":["exchangeActiveSync","other"]},
			"grantControls":{"operator":"OR","builtInControls":["block"]}}`,
		`{"displayName":"no id"}`))
	all := problems(res)
	for _, want := range []string{
		`value[1].conditions.users.includeUsers: want array of strings, got string`,
		`value[2].id: missing`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no problem %q in\n%s", want, all)
		}
	}
	var got []string
	for _, r := range res.Resources {
		if r.Type == TypeTenant {
			continue
		}
		ca := r.Facts.ConditionalAccess
		if r.Class != resource.ClassConditionalAccess || ca == nil {
			t.Fatalf("%s: class %s", r.ID, r.Class)
		}
		got = append(got, fmt.Sprintf("%s %s users=%v-%v roles=%v apps=%v clients=%v grant=%s%v", r.Name, ca.State, ca.IncludeUsers, ca.ExcludeUsers,
			ca.IncludeRoles, ca.IncludeApplications, ca.ClientAppTypes, ca.GrantOperator, ca.GrantControls))
	}
	want := "MFA for admins enabled users=[]-[u-breakglass] roles=[" + ga + "] apps=[All] clients=[all] grant=OR[mfa]\n" +
		"Block legacy enabledForReportingButNotEnforced users=[]-[] roles=[] apps=[] clients=[exchangeActiveSync other] grant=OR[block]"
	if strings.Join(got, "\n") != want {
		t.Errorf("policies\n got %s\nwant %s", strings.Join(got, "\n"), want)
	}
}

// TestGroupMembersKnown: a group whose members were read has a non-nil
// Members list, empty when it has none; a group whose listing is absent,
// denied or incomplete has nil Members (unknown), the memberships read
// staying on the members' side.
func TestGroupMembersKnown(t *testing.T) {
	res := parse(t, `"/users":`+coll(`{"id":"u1"}`, `{"id":"u2"}`)+
		`,"/groups":`+coll(`{"id":"empty"}`, `{"id":"full"}`, `{"id":"unread"}`, `{"id":"denied"}`, `{"id":"partial"}`)+
		`,"/groups/empty/members":`+coll()+
		`,"/groups/full/members":`+coll(`{"id":"u1"}`)+
		`,"/groups/denied/members":{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges"}}`+
		`,"/groups/partial/members":{"value":[{"id":"u2"}],"@odata.nextLink":"https://graph.microsoft.com/v1.0/groups/partial/members?$skiptoken=x"}`)
	members := func(id string) []string { return get(res.Resources, "groups", id).Facts.Group.Members }
	if m := members("empty"); m == nil || len(m) != 0 {
		t.Errorf("empty group read: members %#v, want an empty non-nil list", m)
	}
	if m := members("full"); len(m) != 1 || m[0] != ObjectID(tenant, "users", "u1") {
		t.Errorf("full: %#v", m)
	}
	for _, id := range []string{"unread", "denied", "partial"} {
		if m := members(id); m != nil {
			t.Errorf("%s: members %#v, want nil (unknown)", id, m)
		}
	}
	if u2 := get(res.Resources, "users", "u2"); !hasRel(u2, resource.RelMemberOf, ObjectID(tenant, "groups", "partial")) {
		t.Errorf("membership read from an incomplete listing dropped: %+v", u2.Relationships)
	}
}
