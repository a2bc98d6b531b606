package gcpiam

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/resource"
)

const (
	org     = crm + "organizations/1"
	folder  = crm + "folders/2"
	proj    = crm + "projects/100"
	proj2   = crm + "projects/200"
	bucket  = "//storage.googleapis.com/bkt"
	bucket2 = "//storage.googleapis.com/other"
	ring    = "//cloudkms.googleapis.com/projects/proj-a/locations/us/keyRings/r1"
	key     = ring + "/cryptoKeys/k1"
	saID    = "//iam.googleapis.com/projects/proj-a/serviceAccounts/123"
	saEmail = "sa@proj-a.iam.gserviceaccount.com"
	pool    = "//iam.googleapis.com/projects/9/locations/global/workloadIdentityPools/gh"
	vm      = "//compute.googleapis.com/projects/proj-a/zones/us-a/instances/vm1"
)

func node(id, kind, parent string, aliases ...string) *resource.Resource {
	r := &resource.Resource{Provider: resource.GCP, ID: id, Aliases: aliases}
	if kind == "project" {
		r.Class, r.Facts.Account = resource.ClassAccount, &resource.Account{Parent: parent}
		r.Account = strings.TrimPrefix(aliases[0], "projects/")
	} else {
		r.Class, r.Facts.OrgUnit = resource.ClassOrgUnit, &resource.OrgUnit{Kind: kind, Parent: parent}
	}
	return r
}

func bindRes(scope, role, member, cond string) *resource.Resource {
	b := &resource.Binding{Principal: member, Role: role, RoleName: role, Scope: scope}
	if cond != "" {
		title, expr, _ := strings.Cut(cond, "|")
		b.Condition = &resource.BindingCondition{Title: title, Expression: expr}
	}
	return &resource.Resource{Provider: resource.GCP, Type: "iam.googleapis.com/Binding", ID: scope + "#iam/" + role + "/" + member, Class: resource.ClassIAMBinding, Facts: resource.Facts{Binding: b}}
}

func denyRes(scope, member string, perms, except, exempt []string, cond string) *resource.Resource {
	r := bindRes(scope, "", member, cond)
	r.ID = scope + "#deny/" + member
	r.Facts.Binding.Deny = resource.Bool(true)
	r.Facts.Binding.DenyPermissions = []resource.RolePermission{{Actions: perms, NotActions: except}}
	r.Facts.Binding.ExcludedPrincipals = exempt
	return r
}

func customRole(id, stage string, perms ...string) *resource.Resource {
	return &resource.Resource{Provider: resource.GCP, Type: "iam.googleapis.com/Role", ID: "//iam.googleapis.com/" + id, Aliases: []string{id}, Class: resource.ClassRole,
		Facts: resource.Facts{Role: &resource.RoleDefinition{Custom: resource.Bool(true), IncludedPermissions: perms, Stage: stage, RoleName: id}}}
}

func googleGroup(email string, members ...string) *resource.Resource {
	return &resource.Resource{Provider: resource.GCP, Type: "cloudidentity.googleapis.com/Group", ID: "//cloudidentity.googleapis.com/groups/" + email, Aliases: []string{email, "group:" + email},
		Class: resource.ClassGroup, Facts: resource.Facts{Group: &resource.Group{Members: members}}}
}

func inventory() []*resource.Resource {
	return []*resource.Resource{
		node(org, "organization", "", "organizations/1"),
		node(folder, "folder", org, "folders/2"),
		node(proj, "project", folder, "projects/proj-a", "projects/100"),
		node(proj2, "project", "", "projects/proj-b", "projects/200"),
		{Provider: resource.GCP, Account: "proj-a", Type: "storage.googleapis.com/Bucket", ID: bucket, Class: resource.ClassObjectStorage},
		{Provider: resource.GCP, Account: "proj-a", Type: "storage.googleapis.com/Bucket", ID: bucket2, Class: resource.ClassObjectStorage},
		{Provider: resource.GCP, Account: "proj-a", Type: "iam.googleapis.com/ServiceAccount", ID: saID, Aliases: []string{saEmail, "serviceAccount:" + saEmail}, Class: resource.ClassIdentity,
			Facts: resource.Facts{Identity: &resource.Identity{Kind: "service_account"}}},
		googleGroup("eng@x.com", "user:alice@x.com", "group:sre@x.com"),
		googleGroup("sre@x.com", "user:Carol@X.com"),
		customRole("organizations/1/roles/breakGlass", "GA", "resourcemanager.projects.setIamPolicy", "resourcemanager.organizations.setIamPolicy"),
		customRole("projects/proj-a/roles/deployer", "GA", "storage.objects.create", "iam.serviceAccounts.actAs"),
		customRole("projects/proj-a/roles/off", "DISABLED", "storage.buckets.delete"),
		bindRes(org, "roles/viewer", "group:eng@x.com", ""),
		bindRes(folder, "roles/storage.objectViewer", "user:bob@x.com", ""),
		bindRes(proj, "projects/proj-a/roles/deployer", "serviceAccount:"+saEmail, ""),
		bindRes(proj, "roles/storage.objectAdmin", "user:dan@x.com", `expires|request.time < timestamp("2030-01-01T00:00:00Z")`),
		bindRes(bucket, "roles/storage.objectViewer", "allUsers", ""),
		bindRes(bucket, "roles/storage.objectAdmin", "group:eng@x.com", ""),
		bindRes(bucket, "roles/storage.legacyBucketReader", "projectViewer:proj-a", ""),
		bindRes(ring, "roles/cloudkms.cryptoKeyEncrypterDecrypter", "user:erin@x.com", ""),
		bindRes(proj, "roles/owner", "user:olga@x.com", ""),
		bindRes(proj, "roles/viewer", "user:vic@x.com", ""),
		bindRes(org, "organizations/1/roles/breakGlass", "group:breakglass@x.com", ""),
		bindRes(proj, "roles/nonexistent.role", "user:zed@x.com", ""),
		bindRes(org, "roles/billing.creator", "domain:x.com", ""),
		bindRes(proj, "projects/proj-a/roles/off", "user:frank@x.com", ""),
		bindRes(proj, "roles/storage.objectViewer", "principalSet:"+pool+"/*", ""),
		bindRes(proj2, "roles/viewer", "user:zed@x.com", ""),
		{Provider: resource.GCP, Account: "proj-a", Type: "compute.googleapis.com/Instance", ID: vm, Class: resource.ClassCompute},
		bindRes(proj, "roles/storage.admin", "user:tia@x.com", `buckets-only|resource.type == "storage.googleapis.com/Bucket"`),
		bindRes(proj, "roles/editor", "user:uma@x.com", `storage-only|resource.service == "storage.googleapis.com" && request.time < timestamp("2030-01-01T00:00:00Z")`),
		bindRes(proj, "roles/editor", "user:val@x.com", `tagged|resource.matchTag("123/env", "prod")`),
		denyRes(folder, "principalSet://goog/public:all", []string{"storage.googleapis.com/objects.delete"}, nil, []string{"principalSet://goog/group/eng@x.com"}, ""),
		denyRes(proj, "principal://goog/subject/olga@x.com", []string{"cloudresourcemanager.googleapis.com/projects.*"}, []string{"cloudresourcemanager.googleapis.com/projects.get"}, nil, "prod|resource.matchTag('env', 'prod')"),
	}
}

func newEval(t testing.TB, rs []*resource.Resource) *Evaluator {
	t.Helper()
	e, err := New(rs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestCheck(t *testing.T) {
	e := newEval(t, inventory())
	tests := []struct {
		note       string
		req        Request
		want       Result
		via        []string // of the first allow
		reasonHas  string
		grantScope string // of the first allow
	}{
		{note: "organization binding inherited by a project through a folder and a group", req: Request{"user:alice@x.com", "compute.instances.list", proj}, want: Allowed, via: []string{"group:eng@x.com"}, grantScope: org},
		{note: "nested group, case-insensitive email, down to a bucket", req: Request{"user:carol@x.com", "compute.instances.list", bucket}, want: Allowed, via: []string{"group:sre@x.com", "group:eng@x.com"}},
		{note: "viewer cannot create", req: Request{"user:alice@x.com", "compute.instances.create", proj}, want: ImplicitDeny},
		{note: "folder binding inherited by a bucket of the project", req: Request{"user:bob@x.com", "storage.objects.get", bucket}, want: Allowed, grantScope: folder},
		{note: "project by its short ID", req: Request{"user:bob@x.com", "storage.objects.list", "projects/proj-a"}, want: Allowed},
		{note: "objectViewer cannot delete the bucket", req: Request{"user:bob@x.com", "storage.buckets.delete", bucket}, want: ImplicitDeny},
		{note: "custom project role, member by service account email", req: Request{saEmail, "storage.objects.create", bucket}, want: Allowed},
		{note: "custom project role, member by resource ID", req: Request{saID, "iam.serviceAccounts.actAs", proj}, want: Allowed},
		{note: "custom role lacks the permission", req: Request{"serviceAccount:" + saEmail, "storage.objects.get", bucket2}, want: ImplicitDeny},
		{note: "disabled custom role grants nothing", req: Request{"user:frank@x.com", "storage.buckets.delete", proj}, want: ImplicitDeny},
		{note: "IAM condition", req: Request{"user:dan@x.com", "storage.objects.create", bucket}, want: Conditional, reasonHas: "expires"},
		{note: "allUsers on a bucket", req: Request{"user:stranger@gmail.com", "storage.objects.get", bucket}, want: Allowed},
		{note: "allUsers itself", req: Request{"allUsers", "storage.objects.get", bucket}, want: Allowed},
		{note: "resource binding does not reach a sibling", req: Request{"allUsers", "storage.objects.get", bucket2}, want: ImplicitDeny},
		{note: "parent resource by name prefix (key ring)", req: Request{"user:erin@x.com", "cloudkms.cryptoKeyVersions.useToEncrypt", key}, want: Allowed, grantScope: ring},
		{note: "key ring binding stays in its key ring", req: Request{"user:erin@x.com", "cloudkms.cryptoKeyVersions.useToEncrypt", "//cloudkms.googleapis.com/projects/proj-a/locations/us/keyRings/r2/cryptoKeys/k"}, want: ImplicitDeny},
		{note: "projectViewer convenience member", req: Request{"user:vic@x.com", "storage.objects.list", bucket}, want: Allowed},
		{note: "projectViewer elsewhere", req: Request{"user:vic@x.com", "storage.objects.list", bucket2}, want: ImplicitDeny},
		{note: "group of unknown membership", req: Request{"user:zoe@x.com", "resourcemanager.projects.setIamPolicy", proj}, want: Uncertain, reasonHas: "group:breakglass@x.com"},
		{note: "the group itself, custom organization role", req: Request{"group:breakglass@x.com", "resourcemanager.projects.setIamPolicy", proj}, want: Allowed},
		{note: "unknown role is uncertain and named", req: Request{"user:zed@x.com", "compute.instances.list", proj}, want: Uncertain, reasonHas: "roles/nonexistent.role"},
		{note: "domain member", req: Request{"user:pat@x.com", "billing.accounts.create", proj}, want: Allowed},
		{note: "service account is not a domain member", req: Request{"serviceAccount:" + saEmail, "billing.accounts.create", proj}, want: ImplicitDeny},
		{note: "workload identity pool principal set", req: Request{"principal:" + pool + "/subject/repo:org/app", "storage.objects.get", bucket2}, want: Allowed},
		{note: "other pool", req: Request{"principal://iam.googleapis.com/projects/9/locations/global/workloadIdentityPools/other/subject/x", "storage.objects.get", bucket2}, want: ImplicitDeny},
		{note: "deny rule for everyone wins", req: Request{"user:dan@x.com", "storage.objects.delete", bucket}, want: ExplicitDeny},
		{note: "exception principal of the deny rule (group)", req: Request{"user:alice@x.com", "storage.objects.delete", bucket}, want: Allowed},
		{note: "conditional deny over owner", req: Request{"user:olga@x.com", "resourcemanager.projects.delete", proj}, want: Conditional, reasonHas: "prod"},
		{note: "exception permission of the deny rule", req: Request{"user:olga@x.com", "resourcemanager.projects.get", proj}, want: Allowed},
		{note: "project outside the known hierarchy", req: Request{"user:alice@x.com", "compute.instances.list", proj2}, want: Uncertain, reasonHas: "hierarchy"},
		{note: "resource of unknown project: project bindings may apply", req: Request{saEmail, "storage.objects.create", "//storage.googleapis.com/not-in-inventory"}, want: Uncertain, reasonHas: "not-in-inventory"},
		{note: "direct binding on that project is certain", req: Request{"user:zed@x.com", "compute.instances.list", proj2}, want: Allowed},
		{note: "condition on resource.type decided true", req: Request{"user:tia@x.com", "storage.buckets.delete", bucket}, want: Allowed},
		{note: "condition on resource.type undecided for a request on an object", req: Request{"user:tia@x.com", "storage.objects.create", bucket}, want: Conditional, reasonHas: "buckets-only"},
		{note: "condition on resource.service decided false", req: Request{"user:uma@x.com", "compute.instances.delete", vm}, want: ImplicitDeny},
		{note: "condition decided on the service, open on the time", req: Request{"user:uma@x.com", "storage.buckets.delete", bucket}, want: Conditional, reasonHas: "request.time"},
		{note: "condition with a function outside CEL's standard", req: Request{"user:val@x.com", "compute.instances.delete", vm}, want: Conditional, reasonHas: "matchTag"},
		{note: "nobody", req: Request{"user:nobody@y.com", "compute.instances.list", proj}, want: ImplicitDeny},
	}
	for _, tt := range tests {
		t.Run(tt.note, func(t *testing.T) {
			d := e.Check(tt.req)
			if d.Result != tt.want {
				t.Fatalf("result = %s, want %s: %+v", d.Result, tt.want, d)
			}
			if tt.via != nil && (len(d.Allows) == 0 || !slices.Equal(d.Allows[0].Via, tt.via)) {
				t.Errorf("via = %+v, want %v", d.Allows, tt.via)
			}
			if tt.grantScope != "" && !slices.ContainsFunc(d.Allows, func(g Grant) bool { return g.Scope == tt.grantScope && g.Match == MatchTrue }) {
				t.Errorf("grants = %+v, want one on %s", d.Allows, tt.grantScope)
			}
			if tt.reasonHas != "" && !strings.Contains(strings.Join(d.Reasons, "\n"), tt.reasonHas) {
				t.Errorf("reasons = %q, want one with %q", d.Reasons, tt.reasonHas)
			}
			if d.Result == Allowed && len(d.Allows) == 0 {
				t.Error("allowed without a grant")
			}
			if d.Result == ExplicitDeny && len(d.Denies) == 0 {
				t.Error("explicit deny without a deny rule")
			}
		})
	}
}

func TestProblems(t *testing.T) {
	e := newEval(t, inventory())
	for _, p := range e.Problems() {
		if p.Field == "role" && strings.Contains(p.Err, "roles/nonexistent.role") {
			return
		}
	}
	t.Errorf("unknown role not reported: %+v", e.Problems())
}

func results(hs []Holder) map[string]Result {
	out := map[string]Result{}
	for _, h := range hs {
		out[h.Principal] = h.Decision.Result
	}
	return out
}

func TestWhoCanAndAdmins(t *testing.T) {
	e := newEval(t, inventory())
	got := results(e.Admins(proj))
	// olga's owner role is under a deny rule with a condition on projects.*.
	want := map[string]Result{"user:olga@x.com": Conditional, "group:breakglass@x.com": Allowed, "user:zed@x.com": Uncertain}
	if !slices.Equal(keys(got), keys(want)) || got["user:olga@x.com"] != Conditional || got["user:zed@x.com"] != Uncertain {
		t.Errorf("Admins(project) = %v, want %v", got, want)
	}
	if a := e.Admins(bucket); len(a) != len(got) {
		t.Errorf("Admins(bucket) = %v, want the project's", results(a))
	}
	got = results(e.WhoCan("storage.objects.delete", bucket))
	// eng's members are exempt from the deny rule; dan is denied; olga
	// holds roles/owner on the project.
	for _, p := range []string{"group:eng@x.com", "user:alice@x.com", "group:sre@x.com", "user:carol@x.com"} {
		if got[p] != Allowed {
			t.Errorf("WhoCan(objects.delete)[%s] = %v, want allowed (%v)", p, got[p], got)
		}
	}
	for _, p := range []string{"user:dan@x.com", "user:olga@x.com", "allUsers"} {
		if _, ok := got[p]; ok {
			t.Errorf("WhoCan(objects.delete) has %s: %v", p, got)
		}
	}
	got = results(e.WhoCan("storage.objects.list", bucket))
	for _, p := range []string{"allUsers", "projectViewer:proj-a", "user:vic@x.com", "user:bob@x.com"} {
		if got[p] != Allowed {
			t.Errorf("WhoCan(objects.list)[%s] = %v, want allowed (%v)", p, got[p], got)
		}
	}
	if pa := e.ProjectAdmins(); len(pa) != 2 || len(pa[proj]) != 3 {
		t.Errorf("ProjectAdmins = %v", pa)
	}
}

func keys(m map[string]Result) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestSampleOrg evaluates the GCP part of examples/org as the importer
// types it.
func TestSampleOrg(t *testing.T) {
	root := filepath.Join("..", "..", "..", "examples", "org", "gcp")
	if _, err := os.Stat(root); err != nil {
		t.Skip("examples/org/gcp not found")
	}
	inv, err := importer.Load(context.Background(), []string{root})
	if err != nil {
		t.Fatal(err)
	}
	e := newEval(t, inv.Resources)
	const p = crm + "projects/418273645091"
	for _, tt := range []struct {
		member, perm, res string
		want              Result
	}{
		{"allUsers", "storage.objects.get", "//storage.googleapis.com/nw-public-reports", Allowed},
		{"allUsers", "storage.objects.get", "//storage.googleapis.com/nw-analytics-prod-datalake", ImplicitDeny},
		{"group:analysts@northwind-analytics.com", "storage.objects.get", "//storage.googleapis.com/nw-analytics-prod-datalake", Conditional},
		{"group:sre@northwind-analytics.com", "compute.networks.create", "projects/nw-analytics-prod", Conditional},
		{"group:data-engineers@northwind-analytics.com", "iam.serviceAccounts.actAs", p, Allowed},
		{"group:gcp-break-glass@northwind-analytics.com", "resourcemanager.organizations.setIamPolicy", "organizations/583920174615", Allowed},
		{"user:someone@northwind-analytics.com", "resourcemanager.projects.create", "organizations/583920174615", Allowed}, // domain: projectCreator
	} {
		if d := e.Check(Request{tt.member, tt.perm, tt.res}); d.Result != tt.want {
			t.Errorf("%s %s on %s = %+v, want %s", tt.member, tt.perm, tt.res, d, tt.want)
		}
	}
	admins := e.ProjectAdmins()[p]
	if len(admins) == 0 {
		t.Fatal("no project admins in the sample")
	}
	for _, h := range admins {
		if h.Decision.Result.Denied() || len(h.Decision.Allows) == 0 {
			t.Errorf("admin without a grant: %+v", h)
		}
	}
}

func TestRequestType(t *testing.T) {
	for _, tt := range []struct{ perm, typ, want string }{
		{"storage.buckets.get", "storage.googleapis.com/Bucket", "storage.googleapis.com/Bucket"},
		{"storage.objects.get", "storage.googleapis.com/Bucket", ""},
		{"resourcemanager.projects.setIamPolicy", "cloudresourcemanager.googleapis.com/Project", "cloudresourcemanager.googleapis.com/Project"},
		{"cloudkms.cryptoKeys.get", "cloudkms.googleapis.com/CryptoKey", "cloudkms.googleapis.com/CryptoKey"},
		{"cloudkms.cryptoKeyVersions.useToDecrypt", "cloudkms.googleapis.com/CryptoKey", ""},
		{"storage.buckets.get", "", ""},
		{"odd", "storage.googleapis.com/Bucket", ""},
	} {
		if got, _ := requestType(tt.perm, tt.typ); got != tt.want {
			t.Errorf("requestType(%s, %s) = %q, want %q", tt.perm, tt.typ, got, tt.want)
		}
	}
}

func TestGrantsOf(t *testing.T) {
	e := newEval(t, inventory())
	got := map[string]string{}
	for _, g := range e.GrantsOf("user:carol@x.com") {
		got[g.Scope+" "+g.Role+" "+g.Principal] = g.Match
	}
	want := map[string]string{
		org + " roles/viewer group:eng@x.com":                            MatchTrue,
		bucket + " roles/storage.objectViewer allUsers":                  MatchTrue,
		bucket + " roles/storage.objectAdmin group:eng@x.com":            MatchTrue,
		org + " roles/billing.creator domain:x.com":                      MatchTrue,
		org + " organizations/1/roles/breakGlass group:breakglass@x.com": MatchUncertain,
	}
	if len(got) != len(want) {
		t.Fatalf("GrantsOf(carol) = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("GrantsOf(carol)[%s] = %q, want %q (%v)", k, got[k], v, got)
		}
	}
	// dan: his conditional objectAdmin, the public grants, the deny rule for
	// everyone (he is not exempt).
	var cond, deny bool
	for _, g := range e.GrantsOf("user:dan@x.com") {
		cond = cond || g.Role == "roles/storage.objectAdmin" && g.Match == MatchConditional
		deny = deny || g.Deny && g.Scope == folder && g.Match == MatchTrue
	}
	if !cond || !deny {
		t.Errorf("GrantsOf(dan) = %+v", e.GrantsOf("user:dan@x.com"))
	}
}

// TestConcurrent: checks from many goroutines share the condition cache.
func TestConcurrent(t *testing.T) {
	e := newEval(t, inventory())
	done := make(chan Result, 8)
	for i := range 8 {
		go func() {
			var r Result
			for j := range 100 {
				r = e.Check(Request{Member: "user:tia@x.com", Permission: []string{"storage.buckets.delete", "storage.buckets.update"}[(i+j)%2], Resource: bucket}).Result
			}
			done <- r
		}()
	}
	for range 8 {
		if r := <-done; r != Allowed {
			t.Errorf("result %s", r)
		}
	}
}
