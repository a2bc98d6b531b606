package graph

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/iam/awspolicy"
	"github.com/vigil-sec/vigil/internal/identity/decision"
	"github.com/vigil-sec/vigil/internal/resource"
)

const (
	acctA = "111111111111"
	acctB = "222222222222"
	user  = "arn:aws:iam::111111111111:user/alice"
	denyU = "arn:aws:iam::111111111111:user/denied"
	tnt   = "/tenants/t1"
	saUID = "1001"
	saRes = "//iam.googleapis.com/projects/proj-a/serviceAccounts/1001"
	saM   = "serviceAccount:sa@proj-a.iam.gserviceaccount.com"
	proj  = "//cloudresourcemanager.googleapis.com/projects/100"
)

func pdoc(t *testing.T, text string) *resource.PolicyDocument {
	d := awspolicy.ParseText(text)
	if d == nil || d.Error != "" {
		t.Fatalf("policy %s: %+v", text, d)
	}
	return d
}

func awsID(t *testing.T, kind, arn, trust string, inline ...string) *resource.Resource {
	id := &resource.Identity{Kind: kind}
	if trust != "" {
		id.TrustPolicy = pdoc(t, trust)
	}
	for _, p := range inline {
		id.InlineDocuments = append(id.InlineDocuments, resource.NamedPolicy{Name: "inline", Document: pdoc(t, p)})
	}
	parts := strings.Split(arn, ":")
	return &resource.Resource{Provider: resource.AWS, Account: parts[4], Region: "global", ID: arn, Name: arn[strings.LastIndex(arn, "/")+1:], Class: resource.ClassIdentity, Facts: resource.Facts{Identity: id}}
}

func trust(principal, action, cond string) string {
	if cond != "" {
		cond = `,"Condition":` + cond
	}
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":` + principal + `,"Action":"` + action + `"` + cond + `}]}`
}

const allowAssume = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`

// inventory is a small three-cloud inventory with every kind of trust.
func inventory(t *testing.T) []*resource.Resource {
	role := func(name, tr string) *resource.Resource {
		return awsID(t, "role", "arn:aws:iam::111111111111:role/"+name, tr)
	}
	app := &resource.Resource{Provider: resource.Azure, Region: "global", Type: "microsoft.graph.application", ID: tnt + "/applications/a1", Name: "deployer", Aliases: []string{"a1"}, Class: resource.ClassIdentity,
		Facts: resource.Facts{Identity: &resource.Identity{Kind: "application", FederatedCredentials: []resource.FederatedCredential{
			{Name: "gh", Issuer: "https://token.actions.githubusercontent.com", Subject: "repo:o/r:ref:refs/heads/main"},
			{Name: "aws", Issuer: "https://abc.tokens.sts.global.api.aws", Subject: "arn:aws:iam::111111111111:role/to-azure"},
		}}}}
	sp := &resource.Resource{Provider: resource.Azure, Region: "global", Type: "microsoft.graph.servicePrincipal", ID: tnt + "/servicePrincipals/s1", Name: "deployer", Aliases: []string{"s1"}, Class: resource.ClassIdentity,
		Relationships: []resource.Relationship{{Type: resource.RelInstanceOf, TargetID: app.ID}}, Facts: resource.Facts{Identity: &resource.Identity{Kind: "service_principal"}}}
	return []*resource.Resource{
		{Provider: resource.AWS, Account: acctA, ID: "aws-account/" + acctA, Class: resource.ClassAccount, Facts: resource.Facts{Account: &resource.Account{}}},
		awsID(t, "user", user, "", allowAssume),
		awsID(t, "user", denyU, "", allowAssume, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"sts:*","Resource":"*"}]}`),
		role("by-user", trust(`{"AWS":"`+user+`"}`, "sts:AssumeRole", "")),
		role("by-account", trust(`{"AWS":"arn:aws:iam::111111111111:root"}`, "sts:AssumeRole", "")),
		role("by-other-account", trust(`{"AWS":"`+acctB+`"}`, "sts:AssumeRole", "")),
		role("by-anyone", trust(`"*"`, "sts:AssumeRole", "")),
		role("by-lambda", trust(`{"Service":"lambda.amazonaws.com"}`, "sts:AssumeRole", "")),
		role("by-saml", trust(`{"Federated":"arn:aws:iam::111111111111:saml-provider/okta"}`, "sts:AssumeRoleWithSAML", `{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"}}`)),
		role("by-github", trust(`{"Federated":"arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"}`, "sts:AssumeRoleWithWebIdentity", `{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:o/r:*"}}`)),
		role("by-gcp", trust(`{"Federated":"accounts.google.com"}`, "sts:AssumeRoleWithWebIdentity", `{"StringEquals":{"accounts.google.com:sub":"`+saUID+`"}}`)),
		role("to-azure", trust(`{"Service":"ec2.amazonaws.com"}`, "sts:AssumeRole", "")),
		app, sp,
		{Provider: resource.GCP, Account: "proj-a", Type: "cloudresourcemanager.googleapis.com/Project", ID: proj, Aliases: []string{"projects/proj-a", "projects/100"}, Class: resource.ClassAccount, Facts: resource.Facts{Account: &resource.Account{}}},
		{Provider: resource.GCP, Account: "proj-a", Type: "iam.googleapis.com/ServiceAccount", ID: saRes, Aliases: []string{"sa@proj-a.iam.gserviceaccount.com", saM, saUID}, Class: resource.ClassIdentity, Facts: resource.Facts{Identity: &resource.Identity{Kind: "service_account"}}},
		gbind(saRes, "roles/iam.serviceAccountTokenCreator", "user:bob@x.com"),
		gbind(saRes, "roles/iam.serviceAccountUser", "group:ops@x.com"),
		gbind(saRes, "roles/iam.workloadIdentityUser", "principalSet://iam.googleapis.com/projects/100/locations/global/workloadIdentityPools/aws/attribute.aws_role/arn:aws:sts::111111111111:assumed-role/to-azure"),
		gbind(proj, "roles/owner", "user:owner@x.com"),
	}
}

func gbind(scope, role, member string) *resource.Resource {
	return &resource.Resource{Provider: resource.GCP, Type: "iam.googleapis.com/Binding", ID: scope + "#iam/" + role + "/" + member, Class: resource.ClassIAMBinding,
		Facts: resource.Facts{Binding: &resource.Binding{Principal: member, Role: role, Scope: scope}}}
}

func build(t *testing.T, rs []*resource.Resource) *Graph {
	t.Helper()
	g, err := Build(context.Background(), rs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestTrustEdges(t *testing.T) {
	g := build(t, inventory(t))
	r := "arn:aws:iam::111111111111:role/"
	for _, c := range []struct {
		from, to string
		kind     EdgeKind
		want     decision.Result // ImplicitDeny: no such edge
	}{
		{user, r + "by-user", CanAssume, decision.Allowed},
		{denyU, r + "by-user", CanAssume, decision.ImplicitDeny},
		{user, r + "by-account", CanAssume, decision.Allowed},
		{denyU, r + "by-account", CanAssume, decision.ImplicitDeny},
		{"arn:aws:iam::" + acctB + ":root", r + "by-other-account", CanAssume, decision.Conditional},
		{user, r + "by-anyone", CanAssume, decision.Allowed},
		{"aws:*", r + "by-anyone", CanAssume, decision.Conditional},
		{"service:lambda.amazonaws.com", r + "by-lambda", CanAssume, decision.Allowed},
		{"arn:aws:iam::111111111111:saml-provider/okta", r + "by-saml", Federates, decision.Conditional},
		{"arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com", r + "by-github", Federates, decision.Conditional},
		// Cross-cloud: a Google service account's tokens (its unique ID
		// as sub) assume an AWS role; an AWS role's tokens sign in as an
		// Entra application; an AWS role federates into a GCP pool.
		{saM, r + "by-gcp", Federates, decision.Allowed},
		// Any Google token only under the sub condition.
		{"oidc:https://accounts.google.com", r + "by-gcp", Federates, decision.Conditional},
		{r + "to-azure", tnt + "/applications/a1", Federates, decision.Allowed},
		{"oidc:https://token.actions.githubusercontent.com", tnt + "/applications/a1", Federates, decision.Allowed},
		{tnt + "/applications/a1", tnt + "/servicePrincipals/s1", AuthenticatesAs, decision.Allowed},
		{r + "to-azure", "principalSet://iam.googleapis.com/projects/100/locations/global/workloadIdentityPools/aws/attribute.aws_role/arn:aws:sts::111111111111:assumed-role/to-azure", Federates, decision.Allowed},
		{"principalSet://iam.googleapis.com/projects/100/locations/global/workloadIdentityPools/aws/attribute.aws_role/arn:aws:sts::111111111111:assumed-role/to-azure", saM, Impersonates, decision.Allowed},
		{"user:bob@x.com", saM, Impersonates, decision.Allowed},
		{"group:ops@x.com", saM, ActAs, decision.Allowed},
		{"group:ops@x.com", saM, Impersonates, decision.ImplicitDeny},
		{"user:owner@x.com", "admin:" + proj, Holds, decision.Allowed},
	} {
		var got *Edge
		for _, e := range g.Out(c.from) {
			if e.To == c.to && e.Kind == c.kind {
				got = &e
			}
		}
		switch {
		case c.want == decision.ImplicitDeny && got != nil:
			t.Errorf("%s -%s-> %s: want none, got %s (%s)", c.from, c.kind, c.to, got.Result, got.Grant)
		case c.want != decision.ImplicitDeny && got == nil:
			t.Errorf("%s -%s-> %s: none; out: %v", c.from, c.kind, c.to, g.Out(c.from))
		case got != nil && got.Result != c.want:
			t.Errorf("%s -%s-> %s: %s (%s), want %s", c.from, c.kind, c.to, got.Result, got.Reason, c.want)
		}
	}
}

// TestStable: node IDs are printable and the graph is the same run to run.
func TestStable(t *testing.T) {
	enc := func(g *Graph) string {
		var es []any
		for _, e := range g.Edges() {
			es = append(es, e.JSON())
		}
		b, err := json.Marshal(map[string]any{"nodes": g.Nodes(), "edges": es})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	a, b := enc(build(t, inventory(t))), enc(build(t, inventory(t)))
	if a != b {
		t.Error("two builds differ")
	}
	for _, n := range build(t, inventory(t)).Nodes() {
		if n.ID == "" || strings.ContainsAny(n.ID, " \t\n") {
			t.Errorf("node ID %q", n.ID)
		}
	}
}

func TestWhoCanWhatCan(t *testing.T) {
	g := build(t, inventory(t))
	hs, err := g.WhoCan("sts:AssumeRole", "arn:aws:iam::111111111111:role/by-user", false)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(hs, func(h Holder) bool { return h.Principal == user && h.Result == decision.Allowed }) ||
		slices.ContainsFunc(hs, func(h Holder) bool { return h.Principal == denyU }) {
		t.Errorf("who-can AWS: %+v", hs)
	}
	hs, err = g.WhoCan("iam.serviceAccounts.getAccessToken", saRes, false)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(hs, func(h Holder) bool { return h.Principal == "user:bob@x.com" && h.Kind == GCPUser }) {
		t.Errorf("who-can GCP: %+v", hs)
	}
	if _, err := g.WhoCan("x", "not-a-resource", false); err == nil {
		t.Error("who-can on a resource of no cloud: no error")
	}
	acc, err := g.WhatCan(user)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(acc, func(a Access) bool { return a.Action == "sts:AssumeRole" && a.Result == decision.Allowed }) {
		t.Errorf("what-can AWS: %+v", acc)
	}
	acc, err = g.WhatCan("user:owner@x.com")
	if err != nil {
		t.Fatal(err)
	}
	// Owner of the project; the group binding on the service account is
	// uncertain (the group's members are not in the inventory).
	if !slices.ContainsFunc(acc, func(a Access) bool { return a.Action == "Owner" && a.Scope == proj && a.Result == decision.Allowed }) ||
		!slices.ContainsFunc(acc, func(a Access) bool { return a.Scope == saRes && a.Result == decision.Uncertain }) {
		t.Errorf("what-can GCP: %+v", acc)
	}
	if _, err := g.WhatCan("nobody"); err == nil {
		t.Error("what-can of an unknown principal: no error")
	}
}

func TestFind(t *testing.T) {
	g := build(t, inventory(t))
	for q, want := range map[string]string{"alice": user, "bob": "user:bob@x.com", "sa@proj-a.iam.gserviceaccount.com": saM, saUID: saM, "s1": tnt + "/servicePrincipals/s1"} {
		ns := g.Find(q)
		if len(ns) != 1 || ns[0].ID != want {
			t.Errorf("Find(%q) = %v, want %s", q, ns, want)
		}
	}
	if ns := g.Find("deployer"); len(ns) != 2 {
		t.Errorf("Find(deployer) = %v, want the application and its service principal", ns)
	}
}

func TestGlob(t *testing.T) {
	for _, c := range []struct {
		p, s string
		want bool
	}{{"*", "x", true}, {"iam:*", "IAM:PassRole", true}, {"arn:aws:iam::*:role/app-*", "arn:aws:iam::1:role/app-x/y", true}, {"s3:Get?bject", "s3:GetObject", true}, {"s3:Get", "s3:GetObject", false}, {"a*b*c", "abxc", true}, {"a*b*c", "acb", false}} {
		if Glob(c.p, c.s) != c.want {
			t.Errorf("Glob(%q, %q) != %v", c.p, c.s, c.want)
		}
	}
}

// FuzzGlob: patterns come from policies of the inventory; matching never
// panics, "*" matches everything and a pattern without wildcards matches
// itself.
func FuzzGlob(f *testing.F) {
	for _, s := range [][2]string{{"iam:*", "iam:PassRole"}, {"arn:aws:s3:::b/*", "arn:aws:s3:::b/k"}, {"a*b?c", "axxbyc"}, {"**?*", ""}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, p, s string) {
		Glob(p, s)
		if !Glob("*", s) {
			t.Errorf("* does not match %q", s)
		}
		if !strings.ContainsAny(p, "*?") && !Glob(p, p) {
			t.Errorf("%q does not match itself", p)
		}
	})
}
