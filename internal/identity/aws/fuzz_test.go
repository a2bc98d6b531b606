package awsiam

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/iam/awspolicy"
)

// FuzzEvaluate feeds arbitrary policy documents, as identity, boundary,
// SCP and resource policy, to the evaluator: it never panics, always gives
// one of the five results, and an added Deny of everything always wins.
func FuzzEvaluate(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "policies", "*.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b), "s3:GetObject", "arn:aws:s3:::home/alice/x")
	}
	f.Add(`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, "iam:PassRole", "arn:aws:iam::111111111111:role/x")
	f.Add(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s?:*","Resource":"arn:aws:*:*:*:${aws:username}*"}]}`, "S3:GETOBJECT", "*")
	f.Fuzz(func(t *testing.T, text, action, res string) {
		p, _ := Compile("fuzz", awspolicy.ParseText(text), nil)
		denyAll, _ := Compile("deny", awspolicy.ParseText(deny("*", "*")), nil)
		for _, principal := range []string{userA, sessA, userB, "lambda.amazonaws.com", ""} {
			ps := &PolicySet{Identity: []*Policy{p}, Boundary: p, Resource: p, SCPs: &OrgChain{Levels: []OrgLevel{{Target: "r", Policies: []*Policy{p}}}}}
			for _, complete := range []bool{false, true} {
				req := &Request{Principal: principal, Action: action, Resource: res, Context: map[string][]string{"aws:SourceIp": {"10.0.0.1"}}, ContextComplete: complete}
				d := Evaluate(req, ps)
				if d.Result > Uncertain {
					t.Fatalf("result %d", d.Result)
				}
				if principal == "" || principal == "lambda.amazonaws.com" {
					continue
				}
				ps.Identity = append(ps.Identity, denyAll)
				if d := Evaluate(req, ps); d.Result != ExplicitDeny && d.Result != Allowed {
					t.Fatalf("a Deny of everything gave %s", d.Result)
				} else if d.Result == Allowed && !strings.EqualFold(req.Action, "sts:GetCallerIdentity") {
					t.Fatalf("allowed despite a Deny of everything: %+v", d)
				}
				ps.Identity = ps.Identity[:1]
			}
		}
	})
}
