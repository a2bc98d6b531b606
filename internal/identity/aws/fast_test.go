package awsiam

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/vigil-sec/vigil/internal/iam/awspolicy"
	awsref "github.com/vigil-sec/vigil/internal/identity/refdata/aws"
	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/inventory"
	"github.com/vigil-sec/vigil/internal/resource"
)

// sameAsAllowedActions checks AllowedActionNames against the names
// AllowedActions answers for every principal of e, and returns how many
// took the bitset path.
func sameAsAllowedActions(t *testing.T, e *Evaluator) (fast int) {
	t.Helper()
	for _, p := range e.Principals() {
		var want []string
		for _, g := range e.AllowedActions(p, Context{}) {
			want = append(want, g.Action)
		}
		got, ok := e.fastAllowed(p)
		if ok {
			fast++
		} else {
			got = e.AllowedActionNames(p)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s (bitset path %v): %d actions, AllowedActions %d; first difference %s", p, ok, len(got), len(want), firstDiff(got, want))
		}
	}
	return fast
}

func firstDiff(got, want []string) string {
	for i := 0; i < len(got) || i < len(want); i++ {
		switch {
		case i >= len(got):
			return "missing " + want[i]
		case i >= len(want):
			return "extra " + got[i]
		case got[i] != want[i]:
			return fmt.Sprintf("at %d: %s, want %s", i, got[i], want[i])
		}
	}
	return "none"
}

func TestAllowedActionNamesFixture(t *testing.T) {
	e, err := New(inventoryFixture(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := sameAsAllowedActions(t, e); n == 0 {
		t.Error("no principal of the fixture took the bitset path")
	}
	// The tagged user's and the app role's statements with conditions are
	// asked one action at a time beside the bitsets; the broken role's
	// policies do not parse: AllowedActions answers.
	for p, want := range map[string]bool{"arn:aws:iam::111111111111:user/tagged": true, roleA: true, "arn:aws:iam::111111111111:role/broken": false} {
		if _, ok := e.fastAllowed(p); ok != want {
			t.Errorf("%s: bitset path %v, want %v", p, ok, want)
		}
	}
	// The tagged user's sqs:* depends on the queue's tags: not denied.
	if !slices.Contains(e.AllowedActionNames("arn:aws:iam::111111111111:user/tagged"), "sqs:SendMessage") {
		t.Error("tagged user: sqs:SendMessage left out")
	}
}

func TestAllowedActionNamesSampleOrganization(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	paths := []string{filepath.Join(root, "examples", "org", "aws"), filepath.Join(root, "internal", "importer", "awsorg", "testdata", "seed-example.json")}
	inv, err := inventory.Collect(context.Background(), importer.Files(paths))
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(inv.Resources, Options{})
	if err != nil {
		t.Fatal(err)
	}
	fast := sameAsAllowedActions(t, e)
	t.Logf("%d principals, %d on the bitset path", len(e.Principals()), fast)
	if fast == 0 {
		t.Error("no principal of the sample organization took the bitset path")
	}
}

// randomPolicy writes a policy document of random Allow and Deny
// statements: Action or NotAction over "*", catalog actions (some in
// another case), service and name wildcards, unknown actions and
// sts:GetCallerIdentity; Resource "*", ARNs, policy variables or
// NotResource; a condition or a policy variable in one statement of
// conds each (none when 0).
func randomPolicy(r *rand.Rand, catalog []string, conds int) string {
	action := func() string {
		a := catalog[r.Intn(len(catalog))]
		svc, name, _ := strings.Cut(a, ":")
		switch r.Intn(12) {
		case 0:
			return "*"
		case 1:
			return svc + ":*"
		case 2:
			if len(name) > 3 {
				return svc + ":" + name[:3] + "*"
			}
		case 3:
			return strings.ToUpper(svc) + ":" + strings.ToLower(name)
		case 4:
			return "*:" + name[:1] + "*"
		case 5:
			if len(name) > 2 {
				return svc + ":?" + name[1:]
			}
		case 6:
			return "sts:GetCallerIdentity"
		case 7:
			return "nosuchsvc:Do" + name
		case 8:
			return svc + ":*" + name[len(name)/2:]
		}
		return a
	}
	resources := []string{"*", "*", "*", "arn:aws:s3:::bucket/*", "arn:aws:ec2:*:*:instance/*"}
	var stmts []map[string]any
	for n := 1 + r.Intn(4); n > 0; n-- {
		st := map[string]any{"Effect": "Allow"}
		if r.Intn(3) == 0 {
			st["Effect"] = "Deny"
		}
		var acts []string
		for k := 1 + r.Intn(4); k > 0; k-- {
			acts = append(acts, action())
		}
		if r.Intn(5) == 0 {
			st["NotAction"] = acts
		} else {
			st["Action"] = acts
		}
		res := []string{resources[r.Intn(len(resources))]}
		if r.Intn(3) == 0 {
			res = append(res, resources[r.Intn(len(resources))])
		}
		if conds > 0 && r.Intn(conds) == 0 {
			res = append(res, "arn:aws:iam::*:user/${aws:username}")
		}
		if r.Intn(6) == 0 {
			st["NotResource"] = res
		} else {
			st["Resource"] = res
		}
		if conds > 0 && r.Intn(conds) == 0 {
			st["Condition"] = map[string]any{"Bool": map[string]string{"aws:MultiFactorAuthPresent": "true"}}
		}
		stmts = append(stmts, st)
	}
	b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": stmts})
	return string(b)
}

// TestAllowedActionNamesGenerated compares the bitset path with
// AllowedActions on generated organizations: principals with AWS managed
// and random customer and inline policies, random boundaries, and
// accounts under random SCP chains (some incomplete, some exempt).
func TestAllowedActionNamesGenerated(t *testing.T) {
	ref, err := awsref.Load()
	if err != nil {
		t.Fatal(err)
	}
	all := ref.Expand("*")
	// A sample of the catalog keeps wildcards' expansions varied.
	var catalog []string
	for i := 0; i < len(all); i += 97 {
		catalog = append(catalog, all[i])
	}
	catalog = append(catalog, "s3:GetObject", "iam:PassRole", "sts:AssumeRole", "kms:Decrypt", "ec2:RunInstances")
	managed := []string{"arn:aws:iam::aws:policy/PowerUserAccess", "arn:aws:iam::aws:policy/ViewOnlyAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", "arn:aws:iam::aws:policy/IAMFullAccess"}
	fast, total := 0, 0
	for seed := int64(1); seed <= 5; seed++ {
		r := rand.New(rand.NewSource(seed))
		var rs []*resource.Resource
		var policyARNs []string
		for a := 0; a < 3; a++ {
			acct := fmt.Sprintf("%012d", 100000000000+a)
			for c := 0; c < 4; c++ {
				arn := fmt.Sprintf("arn:aws:iam::%s:policy/P%d", acct, c)
				policyARNs = append(policyARNs, arn)
				rs = append(rs, &resource.Resource{Provider: resource.AWS, Account: acct, ID: arn, Name: fmt.Sprintf("P%d", c), Class: "iam_policy",
					Facts: resource.Facts{Policy: &resource.Policy{Managed: "customer", Document: awspolicy.ParseText(randomPolicy(r, catalog, 30))}}})
			}
			var levels []resource.OrgPolicyLevel
			for l := r.Intn(4); l > 0; l-- {
				var ps []resource.NamedPolicy
				if r.Intn(2) == 0 {
					ps = append(ps, resource.NamedPolicy{ID: "p-full", Name: "FullAWSAccess", Document: awspolicy.ParseText(allow("*", "*"))})
				}
				for k := r.Intn(3); k > 0; k-- {
					ps = append(ps, resource.NamedPolicy{ID: fmt.Sprintf("p-%d-%d-%d", a, l, k), Name: "scp", Document: awspolicy.ParseText(randomPolicy(r, catalog, 4))})
				}
				levels = append(levels, resource.OrgPolicyLevel{Target: fmt.Sprintf("ou-%d", l), Policies: ps})
			}
			op := &resource.OrgPolicies{Applies: ptr(r.Intn(5) != 0), Levels: levels}
			if r.Intn(6) == 0 {
				op.Incomplete = []string{"a parent is not in the input"}
			}
			rs = append(rs, &resource.Resource{Provider: resource.AWS, Account: acct, ID: "aws-account/" + acct, Type: "AWS::::Account", Class: "account",
				Facts: resource.Facts{Account: &resource.Account{SCPs: op}}})
			for p := 0; p < 12; p++ {
				kind := "user"
				if p%2 == 1 {
					kind = "role"
				}
				id := &resource.Identity{Kind: kind}
				for k := r.Intn(3); k > 0; k-- {
					if r.Intn(2) == 0 {
						id.AttachedPolicies = append(id.AttachedPolicies, managed[r.Intn(len(managed))])
					} else {
						id.AttachedPolicies = append(id.AttachedPolicies, policyARNs[r.Intn(len(policyARNs))])
					}
				}
				if r.Intn(3) == 0 {
					id.InlineDocuments = []resource.NamedPolicy{{Name: "inline", Document: awspolicy.ParseText(randomPolicy(r, catalog, 30))}}
				}
				switch r.Intn(4) {
				case 0:
					id.PermissionsBoundary = managed[r.Intn(len(managed))]
				case 1:
					id.PermissionsBoundary = policyARNs[r.Intn(len(policyARNs))]
				}
				arn := fmt.Sprintf("arn:aws:iam::%s:%s/p%d", acct, kind, p)
				if kind == "role" && p == 11 {
					arn = fmt.Sprintf("arn:aws:iam::%s:role/aws-service-role/svc.amazonaws.com/p%d", acct, p)
				}
				rs = append(rs, &resource.Resource{Provider: resource.AWS, Account: acct, ID: arn, Name: fmt.Sprintf("p%d", p), Class: "identity", Facts: resource.Facts{Identity: id}})
			}
		}
		e, err := New(rs, Options{Ref: ref})
		if err != nil {
			t.Fatal(err)
		}
		fast += sameAsAllowedActions(t, e)
		total += len(e.Principals())
	}
	t.Logf("%d of %d principals on the bitset path", fast, total)
	// Both paths must be exercised: conditions, policy variables,
	// incomplete SCP chains and service-linked roles fall back.
	if fast < total/3 || fast == total {
		t.Errorf("%d of %d principals on the bitset path", fast, total)
	}
}

// TestAllowedActionNamesConcurrent builds the bitsets from many goroutines
// at once (run with -race) and checks each answer.
func TestAllowedActionNamesConcurrent(t *testing.T) {
	e, err := New(inventoryFixture(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{}
	for _, p := range e.Principals() {
		for _, g := range e.AllowedActions(p, Context{}) {
			want[p] = append(want[p], g.Action)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, p := range e.Principals() {
				if got := e.AllowedActionNames(p); !slices.Equal(got, want[p]) {
					errs <- p
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for p := range errs {
		t.Errorf("%s: concurrent answer differs", p)
	}
}
