package awsiam

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/vigil-sec/vigil/internal/iam/awspolicy"
	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/inventory"
	"github.com/vigil-sec/vigil/internal/resource"
)

func doc(t *testing.T, text string) *resource.PolicyDocument {
	t.Helper()
	d := awspolicy.ParseText(text)
	if d == nil {
		t.Fatal("empty document")
	}
	return d
}

func ptr[T any](v T) *T { return &v }

// inventoryFixture is a small organization in the typed model: a member
// account (111111111111) under an OU whose SCP denies iam:CreateUser, the
// management account (999999999999) with the same chain but exempt.
func inventoryFixture(t *testing.T) []*resource.Resource {
	fullAccess := resource.NamedPolicy{ID: "p-FullAWSAccess", Name: "FullAWSAccess", Document: doc(t, allow("*", "*"))}
	denyUsers := resource.NamedPolicy{ID: "p-nousers", Name: "DenyCreateUser", Document: doc(t, deny("iam:CreateUser", "*"))}
	chain := func(applies bool, acct string) *resource.OrgPolicies {
		return &resource.OrgPolicies{Applies: ptr(applies), Levels: []resource.OrgPolicyLevel{
			{Target: "r-root", Policies: []resource.NamedPolicy{fullAccess}},
			{Target: "ou-1", Policies: []resource.NamedPolicy{fullAccess, denyUsers}},
			{Target: "aws-account/" + acct, Policies: []resource.NamedPolicy{fullAccess}},
		}}
	}
	rcps := &resource.OrgPolicies{Applies: ptr(true), Levels: []resource.OrgPolicyLevel{{Target: "r-root", Policies: []resource.NamedPolicy{
		{ID: "p-rcp", Name: "DenyInsecure", Document: doc(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"BoolIfExists":{"aws:SecureTransport":"false"}}}]}`)},
	}}}}
	return []*resource.Resource{
		{Provider: resource.AWS, Account: acctA, ID: "aws-account/" + acctA, Type: "AWS::::Account", Class: "account",
			Facts: resource.Facts{Account: &resource.Account{SCPs: chain(true, acctA), RCPs: rcps}}},
		{Provider: resource.AWS, Account: "999999999999", ID: "aws-account/999999999999", Type: "AWS::::Account", Class: "account",
			Facts: resource.Facts{Account: &resource.Account{SCPs: chain(false, "999999999999")}}},
		{Provider: resource.AWS, Account: acctA, ID: "arn:aws:iam::111111111111:policy/DataLake", Aliases: []string{"ANPADATALAKE"}, Name: "DataLake", Class: "iam_policy",
			Facts: resource.Facts{Policy: &resource.Policy{Managed: "customer", Document: doc(t, allow("s3:*", "arn:aws:s3:::datalake-*"))}}},
		{Provider: resource.AWS, Account: acctA, ID: "arn:aws:iam::111111111111:group/Data", Name: "Data", Class: "group",
			Facts: resource.Facts{Group: &resource.Group{AttachedPolicies: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::111111111111:policy/DataLake"},
				InlineDocuments: []resource.NamedPolicy{{Name: "queues", Document: doc(t, allow("sqs:SendMessage", "arn:aws:sqs:*:111111111111:data-*"))}}}}},
		{Provider: resource.AWS, Account: acctA, ID: userA, Name: "alice", Class: "identity",
			Relationships: []resource.Relationship{{Type: resource.RelMemberOf, TargetID: "arn:aws:iam::111111111111:group/Data"}},
			Facts:         resource.Facts{Identity: &resource.Identity{Kind: "user", Groups: []string{"Data"}}}},
		{Provider: resource.AWS, Account: acctA, ID: "arn:aws:iam::111111111111:user/admin", Name: "admin", Class: "identity",
			Facts: resource.Facts{Identity: &resource.Identity{Kind: "user", AttachedPolicies: []string{"AdministratorAccess"}}}},
		{Provider: resource.AWS, Account: acctA, ID: "arn:aws:iam::111111111111:user/bounded", Name: "bounded", Class: "identity",
			Facts: resource.Facts{Identity: &resource.Identity{Kind: "user", AttachedPolicies: []string{"arn:aws:iam::aws:policy/AdministratorAccess"},
				PermissionsBoundary: "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"}}},
		{Provider: resource.AWS, Account: acctA, ID: "arn:aws:iam::111111111111:user/tagged", Name: "tagged", Class: "identity", Tags: map[string]string{"team": "data"},
			Facts: resource.Facts{Identity: &resource.Identity{Kind: "user", InlineDocuments: []resource.NamedPolicy{{Name: "abac", Document: doc(t,
				`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}},{"Effect":"Allow","Action":"ec2:StopInstances","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/role":"ops"}}}]}`)}}}}},
		{Provider: resource.AWS, Account: acctA, ID: "arn:aws:sqs:us-east-1:111111111111:data-q", Class: "queue", Tags: map[string]string{"team": "data"}},
		{Provider: resource.AWS, Account: acctA, ID: "arn:aws:sqs:us-east-1:111111111111:web-q", Class: "queue", Tags: map[string]string{"team": "web"}},
		{Provider: resource.AWS, Account: acctA, ID: roleA, Name: "app", Class: "identity",
			Facts: resource.Facts{Identity: &resource.Identity{Kind: "role",
				InlineDocuments: []resource.NamedPolicy{{Name: "passrole", Document: doc(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:PassRole","lambda:CreateFunction"],"Resource":"*"},{"Effect":"Allow","Action":"iam:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`)}},
				TrustPolicy:     doc(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"`+userA+`"},"Action":"sts:AssumeRole"}]}`)}}},
		{Provider: resource.AWS, Account: acctA, ID: "arn:aws:iam::111111111111:role/ci", Name: "ci", Class: "identity",
			Facts: resource.Facts{Identity: &resource.Identity{Kind: "role", TrustPolicy: doc(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:acme/app:*"}}}]}`)}}},
		{Provider: resource.AWS, Account: acctA, ID: "arn:aws:iam::111111111111:role/broken", Name: "broken", Class: "identity",
			Facts: resource.Facts{Identity: &resource.Identity{Kind: "role",
				AttachedPolicies: []string{"arn:aws:iam::111111111111:policy/Missing"},
				InlineDocuments:  []resource.NamedPolicy{{Name: "bad", Document: awspolicy.ParseText(`{"Statement":`)}}}}},
		{Provider: resource.AWS, Account: acctA, ID: "arn:aws:iam::111111111111:user/orphan", Name: "orphan", Class: "identity",
			Facts: resource.Facts{Identity: &resource.Identity{Kind: "user", Groups: []string{"Gone"}, AttachedPolicies: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"}}}},
		{Provider: resource.AWS, Account: "999999999999", ID: "arn:aws:iam::999999999999:user/mgmt", Name: "mgmt", Class: "identity",
			Facts: resource.Facts{Identity: &resource.Identity{Kind: "user", AttachedPolicies: []string{"arn:aws:iam::aws:policy/AdministratorAccess"}}}},
		{Provider: resource.AWS, Account: acctA, ID: "arn:aws:iam::111111111111:root", Name: "<root_account>", Class: "identity",
			Facts: resource.Facts{Identity: &resource.Identity{Kind: "root"}}},
		{Provider: resource.Azure, Account: "sub", ID: "/subscriptions/sub", Class: "account", Facts: resource.Facts{Account: &resource.Account{}}},
	}
}

func TestEvaluatorInventory(t *testing.T) {
	e, err := New(inventoryFixture(t), Options{ResourcePolicies: map[string]*resource.PolicyDocument{
		"arn:aws:sqs:us-east-1:111111111111:shared": doc(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"`+userB+`"},"Action":"sqs:SendMessage","Resource":"*"}]}`),
	}})
	if err != nil {
		t.Fatal(err)
	}
	secure := Context{Values: map[string][]string{"aws:SecureTransport": {"true"}}}
	cases := []struct {
		name, principal, action, resource string
		ctx                               Context
		want                              Result
		allowBy                           string
	}{
		{"group's AWS managed policy (ReadOnlyAccess)", userA, "ec2:DescribeInstances", "*", Context{}, Allowed, "arn:aws:iam::aws:policy/ReadOnlyAccess"},
		{"group's customer managed policy", userA, "s3:PutObject", "arn:aws:s3:::datalake-raw/x", secure, Allowed, "arn:aws:iam::111111111111:policy/DataLake"},
		{"RCP deny without TLS", userA, "s3:PutObject", "arn:aws:s3:::datalake-raw/x", Context{Values: map[string][]string{"aws:SecureTransport": {"false"}}}, ExplicitDeny, ""},
		{"RCP on a key the question lacks: conditional", userA, "s3:PutObject", "arn:aws:s3:::datalake-raw/x", Context{}, Conditional, ""},
		{"group's inline policy", userA, "sqs:SendMessage", "arn:aws:sqs:us-east-1:111111111111:data-in", Context{}, Allowed, "arn:aws:iam::111111111111:group/Data#queues"},
		{"ABAC: tags from the inventory match", "arn:aws:iam::111111111111:user/tagged", "sqs:SendMessage", "arn:aws:sqs:us-east-1:111111111111:data-q", Context{}, Allowed, ""},
		{"ABAC: tags from the inventory differ", "arn:aws:iam::111111111111:user/tagged", "sqs:SendMessage", "arn:aws:sqs:us-east-1:111111111111:web-q", Context{}, ImplicitDeny, ""},
		{"ABAC: resource tags unknown", "arn:aws:iam::111111111111:user/tagged", "sqs:SendMessage", "arn:aws:sqs:us-east-1:111111111111:other", Context{}, Conditional, ""},
		{"ABAC: a tag the principal lacks is absent", "arn:aws:iam::111111111111:user/tagged", "ec2:StopInstances", "arn:aws:ec2:us-east-1:111111111111:instance/i-1", Context{}, ImplicitDeny, ""},
		{"ABAC: the question's tags win", "arn:aws:iam::111111111111:user/tagged", "ec2:StopInstances", "arn:aws:ec2:us-east-1:111111111111:instance/i-1", Context{Values: map[string][]string{"aws:PrincipalTag/role": {"ops"}}}, Allowed, ""},
		{"not granted", userA, "iam:CreateAccessKey", "arn:aws:iam::111111111111:user/alice", Context{}, ImplicitDeny, ""},
		{"admin by policy name", "arn:aws:iam::111111111111:user/admin", "iam:CreateAccessKey", "arn:aws:iam::111111111111:user/alice", Context{}, Allowed, "arn:aws:iam::aws:policy/AdministratorAccess"},
		{"SCP at the OU denies", "arn:aws:iam::111111111111:user/admin", "iam:CreateUser", "arn:aws:iam::111111111111:user/x", Context{}, ExplicitDeny, ""},
		{"management account exempt from SCPs", "arn:aws:iam::999999999999:user/mgmt", "iam:CreateUser", "arn:aws:iam::999999999999:user/x", Context{}, Allowed, ""},
		{"boundary limits admin", "arn:aws:iam::111111111111:user/bounded", "iam:CreateAccessKey", "arn:aws:iam::111111111111:user/alice", Context{}, ImplicitDeny, ""},
		{"boundary allows reads", "arn:aws:iam::111111111111:user/bounded", "s3:GetObject", "arn:aws:s3:::any/x", secure, Allowed, ""},
		{"trust policy lets alice assume the role", userA, "sts:AssumeRole", roleA, Context{}, Allowed, roleA + " (trust policy)"},
		{"trust policy does not name admin", "arn:aws:iam::111111111111:user/admin", "sts:AssumeRole", roleA, Context{}, ImplicitDeny, ""},
		{"role without known trust policy: uncertain", userA, "sts:AssumeRole", "arn:aws:iam::111111111111:role/unknown", Context{}, Uncertain, ""},
		{"a session of the role", "arn:aws:sts::111111111111:assumed-role/app/ci", "iam:PassRole", "arn:aws:iam::111111111111:role/x", Context{}, Allowed, roleA + "#passrole"},
		{"OIDC provider: trust policy with an undecided subject", "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com", "sts:AssumeRoleWithWebIdentity", "arn:aws:iam::111111111111:role/ci", Context{}, Conditional, ""},
		{"OIDC provider: the repository's token", "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com", "sts:AssumeRoleWithWebIdentity", "arn:aws:iam::111111111111:role/ci",
			Context{Values: map[string][]string{"token.actions.githubusercontent.com:sub": {"repo:acme/app:ref:refs/heads/main"}}}, Allowed, "arn:aws:iam::111111111111:role/ci (trust policy)"},
		{"OIDC provider: another repository", "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com", "sts:AssumeRoleWithWebIdentity", "arn:aws:iam::111111111111:role/ci",
			Context{Values: map[string][]string{"token.actions.githubusercontent.com:sub": {"repo:evil/app:ref:refs/heads/main"}}}, ImplicitDeny, ""},
		{"inline policy of a role", roleA, "iam:PassRole", "arn:aws:iam::111111111111:role/x", Context{}, Allowed, roleA + "#passrole"},
		{"inline policy on an absent key: conditional", roleA, "iam:AttachRolePolicy", "arn:aws:iam::111111111111:role/x", Context{}, Conditional, ""},
		{"root user has full access within SCPs", "arn:aws:iam::111111111111:root", "ec2:TerminateInstances", "arn:aws:ec2:us-east-1:111111111111:instance/i-1", Context{}, Allowed, ""},
		{"root user is still bound by SCPs", "arn:aws:iam::111111111111:root", "iam:CreateUser", "arn:aws:iam::111111111111:user/x", Context{}, ExplicitDeny, ""},
		{"unresolved attachment and unparsable inline: uncertain", "arn:aws:iam::111111111111:role/broken", "s3:GetObject", "arn:aws:s3:::b/k", secure, Uncertain, ""},
		{"a group not in the inventory: uncertain", "arn:aws:iam::111111111111:user/orphan", "iam:CreateAccessKey", "arn:aws:iam::111111111111:user/orphan", Context{}, Uncertain, ""},
		{"a group not in the inventory may deny what a policy allows: uncertain", "arn:aws:iam::111111111111:user/orphan", "ec2:DescribeInstances", "*", Context{}, Uncertain, ""},
		{"principal outside the inventory: uncertain", userB, "sqs:SendMessage", "arn:aws:sqs:us-east-1:111111111111:shared", Context{}, Uncertain, ""},
		{"unknown action: uncertain", "arn:aws:iam::111111111111:user/admin", "s3:GetObjectt", "arn:aws:s3:::b/k", secure, Uncertain, ""},
		{"KMS key without known key policy: uncertain", "arn:aws:iam::111111111111:user/admin", "kms:Decrypt", "arn:aws:kms:us-east-1:111111111111:key/k", Context{}, Uncertain, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := e.IsAllowed(c.principal, c.action, c.resource, c.ctx)
			if d.Result != c.want {
				t.Fatalf("%s %s on %s: %s, want %s (%+v)", c.principal, c.action, c.resource, d.Result, c.want, d)
			}
			if c.allowBy != "" && !slices.ContainsFunc(d.Allows, func(r StatementRef) bool { return r.Policy == c.allowBy }) {
				t.Errorf("allows %+v do not name %s", d.Allows, c.allowBy)
			}
		})
	}

	var probs []string
	for _, p := range e.Problems() {
		probs = append(probs, p.String())
	}
	joined := strings.Join(probs, "\n")
	for _, want := range []string{
		"arn:aws:iam::111111111111:role/broken: policy arn:aws:iam::111111111111:policy/Missing: attached policy not in the inventory",
		"arn:aws:iam::111111111111:role/broken: policy arn:aws:iam::111111111111:role/broken#bad: policy does not parse",
		"arn:aws:iam::111111111111:user/orphan: policy group Gone: group not in the inventory",
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("problems lack %q:\n%s", want, joined)
		}
	}
	if e.Principal("/subscriptions/sub") != nil || len(e.Principals()) != 10 {
		t.Errorf("principals %v", e.Principals())
	}
	if g := e.Principal(userA).Groups; !slices.Equal(g, []string{"arn:aws:iam::111111111111:group/Data"}) {
		t.Errorf("alice's groups %v", g)
	}
}

func TestEvaluatorActions(t *testing.T) {
	e, err := New(inventoryFixture(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	sensitive := []string{"iam:PassRole", "lambda:CreateFunction", "iam:AttachRolePolicy", "iam:CreateUser", "ec2:RunInstances", "iam:CreatePolicyVersion"}
	got := map[string]Result{}
	res := map[string][]string{}
	for _, g := range e.Actions(roleA, sensitive, Context{}) {
		got[g.Action] = g.Decision.Result
		res[g.Action] = g.Resources
	}
	want := map[string]Result{
		"iam:PassRole": Allowed, "lambda:CreateFunction": Allowed,
		"iam:AttachRolePolicy": Conditional,  // needs MFA
		"iam:CreateUser":       ExplicitDeny, // SCP
		"ec2:RunInstances":     ImplicitDeny, "iam:CreatePolicyVersion": Conditional,
	}
	for a, w := range want {
		if got[a] != w {
			t.Errorf("%s: %s, want %s", a, got[a], w)
		}
	}
	if !slices.Equal(res["iam:PassRole"], []string{"*"}) {
		t.Errorf("PassRole resources %v", res["iam:PassRole"])
	}
	tagged := e.Actions("arn:aws:iam::111111111111:user/tagged", []string{"ec2:StopInstances", "sqs:SendMessage"}, Context{})
	if tagged[0].Decision.Result != ImplicitDeny || tagged[1].Decision.Result != Conditional {
		t.Errorf("tagged user's actions %+v", tagged)
	}
	on := e.ActionsOn(userA, roleA, []string{"sts:AssumeRole", "iam:PassRole", "iam:GetRole"}, Context{})
	if on[0].Decision.Result != Allowed || on[1].Decision.Result != ImplicitDeny || on[2].Decision.Result != Allowed {
		t.Errorf("ActionsOn %+v", on)
	}
	// An Allow on some resources counts; a Deny only when it covers all.
	alice := map[string]Grant{}
	for _, g := range e.Actions(userA, []string{"s3:PutObject", "s3:GetObject", "iam:CreateUser"}, Context{Complete: true}) {
		alice[g.Action] = g
	}
	if g := alice["s3:PutObject"]; g.Decision.Result != Allowed || !slices.Equal(g.Resources, []string{"arn:aws:s3:::datalake-*"}) {
		t.Errorf("alice s3:PutObject %+v", g)
	}
	if alice["iam:CreateUser"].Decision.Result != ExplicitDeny {
		t.Errorf("alice iam:CreateUser %+v", alice["iam:CreateUser"])
	}

	// what-can: the bounded admin can do the S3 read actions only.
	acts := e.AllowedActions("arn:aws:iam::111111111111:user/bounded", Context{})
	if len(acts) == 0 {
		t.Fatal("bounded user can do nothing")
	}
	for _, g := range acts {
		if !strings.HasPrefix(g.Action, "s3:") && !strings.HasPrefix(g.Action, "s3-object-lambda:") && g.Action != "sts:GetCallerIdentity" {
			t.Errorf("bounded user can %s (%s)", g.Action, g.Decision.Result)
		}
	}
	if !slices.ContainsFunc(acts, func(g Grant) bool { return g.Action == "s3:GetObject" }) {
		t.Error("bounded user cannot s3:GetObject")
	}
}

// TestSampleOrganization evaluates the sample organization's AWS accounts
// (examples/org/aws) and the Organizations example through the importer,
// as the graph will.
func TestSampleOrganization(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	paths := []string{filepath.Join(root, "examples", "org", "aws"), filepath.Join(root, "internal", "importer", "awsorg", "testdata", "seed-example.json")}
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			t.Skipf("sample organization not found: %v", err)
		}
	}
	inv, err := inventory.Collect(context.Background(), importer.Files(paths))
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(inv.Resources, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Principals()) < 20 {
		t.Fatalf("%d principals from the sample organization", len(e.Principals()))
	}
	// alice.nguyen is in DataEngineers: ReadOnlyAccess and NW-DataLakeAccess.
	alice := "arn:aws:iam::111122223333:user/alice.nguyen"
	// The bucket's policy denies requests without TLS: over TLS alice
	// may write, and whether she may is conditional on it otherwise.
	tls := Context{Values: map[string][]string{"aws:SecureTransport": {"true"}}}
	if d := e.IsAllowed(alice, "s3:PutObject", "arn:aws:s3:::nw-prod-datalake-raw/2026/x.parquet", tls); d.Result != Allowed {
		t.Errorf("alice s3:PutObject on the data lake over TLS: %+v", d)
	}
	if d := e.IsAllowed(alice, "s3:PutObject", "arn:aws:s3:::nw-prod-datalake-raw/2026/x.parquet", Context{}); d.Result != Conditional {
		t.Errorf("alice s3:PutObject on the data lake, transport unknown: %+v, want conditional (the bucket policy denies insecure transport)", d)
	}
	if d := e.IsAllowed(alice, "s3:PutObject", "arn:aws:s3:::other-bucket/x", Context{}); d.Result != ImplicitDeny {
		t.Errorf("alice s3:PutObject elsewhere: %+v", d)
	}
	if d := e.IsAllowed(alice, "iam:CreateAccessKey", "arn:aws:iam::111122223333:user/alice.nguyen", Context{}); d.Result != ImplicitDeny {
		t.Errorf("alice iam:CreateAccessKey: %+v", d)
	}
	for _, p := range e.Problems() {
		t.Errorf("problem: %s", p)
	}
}

// TestEvaluatorConcurrent asks from many goroutines at once (run with
// -race): the evaluator and its policy memos are safe for concurrent use.
func TestEvaluatorConcurrent(t *testing.T) {
	e, err := New(inventoryFixture(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := e.IsAllowed(userA, "s3:PutObject", "arn:aws:s3:::datalake-raw/x", Context{}).Result
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				if got := e.IsAllowed(userA, "s3:PutObject", "arn:aws:s3:::datalake-raw/x", Context{}).Result; got != want {
					errs <- got.String()
					return
				}
				e.Actions(roleA, escalationActions, Context{})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("concurrent answer %s, want %s", e, want)
	}
}

func TestWhoCan(t *testing.T) {
	e, err := New(inventoryFixture(t), Options{ResourcePolicies: map[string]*resource.PolicyDocument{
		"arn:aws:sqs:us-east-1:111111111111:shared": doc(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["222222222222"],"Service":"sns.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"*"}]}`),
	}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Result{}
	for _, a := range e.WhoCan("sqs:SendMessage", "arn:aws:sqs:us-east-1:111111111111:shared", Context{}) {
		got[a.Principal] = a.Decision.Result
	}
	want := map[string]Result{
		"arn:aws:iam::111111111111:user/admin":  Allowed, // AdministratorAccess
		"arn:aws:iam::111111111111:root":        Allowed,
		"arn:aws:iam::111111111111:user/tagged": Conditional, // aws:ResourceTag of an untagged queue
		"arn:aws:iam::111111111111:role/broken": Uncertain,
		"arn:aws:iam::111111111111:user/orphan": Uncertain,
		"arn:aws:iam::222222222222:root":        Uncertain, // its identity policies are not in the inventory
		"sns.amazonaws.com":                     Allowed,
	}
	for p, w := range want {
		if got[p] != w {
			t.Errorf("%s: %s, want %s", p, got[p], w)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("unexpected %s: %s", p, got[p])
		}
	}
}

// TestResourcePolicyFromInventory: a queue's policy carried by the
// inventory (Facts.ResourcePolicy) is evaluated as one given in Options.
func TestResourcePolicyFromInventory(t *testing.T) {
	const arn = "arn:aws:sqs:us-east-1:111111111111:shared"
	rs := append(inventoryFixture(t), &resource.Resource{
		Provider: resource.AWS, Account: "111111111111", Region: "us-east-1", Type: "AWS::SQS::Queue", ID: arn, Class: resource.ClassQueue,
		Facts: resource.Facts{Queue: &resource.Queue{}, ResourcePolicy: doc(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"*"}]}`)},
	})
	e, err := New(rs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, a := range e.WhoCan("sqs:SendMessage", arn, Context{}) {
		if a.Principal == "sns.amazonaws.com" {
			found = a.Decision.Result == Allowed
		}
	}
	if !found {
		t.Error("the queue policy in the inventory does not let sns.amazonaws.com send")
	}
}

// TestResourcePolicyOfTheOwner: an S3 object is governed by its bucket's
// policy, a qualified Lambda ARN by its function's.
func TestResourcePolicyOfTheOwner(t *testing.T) {
	e, err := New(inventoryFixture(t), Options{ResourcePolicies: map[string]*resource.PolicyDocument{
		"arn:aws:s3:::shared-bucket":                        doc(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::shared-bucket/*"}]}`),
		"arn:aws:lambda:us-east-1:111111111111:function:fn": doc(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"*"}]}`),
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ principal, action, arn string }{
		{"logging.s3.amazonaws.com", "s3:PutObject", "arn:aws:s3:::shared-bucket/logs/x.gz"},
		{"events.amazonaws.com", "lambda:InvokeFunction", "arn:aws:lambda:us-east-1:111111111111:function:fn:prod"},
	} {
		allowed := false
		for _, a := range e.WhoCan(c.action, c.arn, Context{}) {
			if a.Principal == c.principal {
				allowed = a.Decision.Result == Allowed
			}
		}
		if !allowed {
			t.Errorf("%s %s on %s: not allowed through the owner's policy", c.principal, c.action, c.arn)
		}
	}
}
