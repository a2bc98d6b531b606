package awscollect

import (
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/collect"
)

const policyFile = "../../../deploy/permissions/aws-readonly-policy.json"

// actionOf is the IAM action that allows the request the fake server
// answered: the signing name and the operation, but for the operations
// whose action is named otherwise.
func actionOf(r fakeReq) string {
	renamed := map[string]string{
		"s3:ListBuckets":                 "s3:ListAllMyBuckets",
		"s3:GetBucketEncryption":         "s3:GetEncryptionConfiguration",
		"s3:GetPublicAccessBlock":        "s3:GetBucketPublicAccessBlock",
		"s3control:GetPublicAccessBlock": "s3:GetAccountPublicAccessBlock",
		"monitoring:DescribeAlarms":      "cloudwatch:DescribeAlarms", // CloudWatch signs as "monitoring"
		"sts:GetCallerIdentity":          "",                          // needs no permission
	}
	if a, ok := renamed[r.Key()]; ok {
		return a
	}
	if r.Service == "elb" {
		return "elasticloadbalancing:" + r.Op // classic load balancers: the fake server's own service name
	}
	if r.Service == "apigateway" && r.Protocol == "restjson" {
		return "apigateway:GET" // API Gateway authorizes by HTTP method on the path read
	}
	return r.Key()
}

// TestPolicyCoversEveryCall runs the whole collector (every service, this
// package's and the others) against the fake endpoint and checks that the
// least-privilege policy shipped in deploy/permissions allows every API
// action it called, that every action named in the code (the calls
// reported on failure) is allowed too, and that the policy allows nothing
// the collector does not call.
func TestPolicyCoversEveryCall(t *testing.T) {
	allowed := readPolicy(t)
	srv := newFakeAWS(t)
	opts := testOptions(t, srv, mgmt)
	opts.RoleName = "VigilReadOnly"
	if err := Collect(context.Background(), opts, &collect.Mem{}, collect.NewRecorder(nil), nil); err != nil {
		t.Fatal(err)
	}
	if m := srv.Missing(); len(m) > 0 {
		t.Errorf("requests the fake endpoint could not answer:\n%s", strings.Join(m, "\n"))
	}
	// As a command runs it, without the test's operation header: the
	// endpoint names every REST call from its path alone.
	cli := newFakeAWS(t)
	opts.Endpoint, opts.HTTPClient, opts.apiOptions = cli.URL, dialOnly(t, cli.Listener.Addr().String()), nil
	if err := Collect(context.Background(), opts, &collect.Mem{}, collect.NewRecorder(nil), nil); err != nil {
		t.Fatal(err)
	}
	if m := cli.Missing(); len(m) > 0 {
		t.Errorf("without the operation header, requests the fake endpoint could not answer:\n%s", strings.Join(m, "\n"))
	}
	if len(cli.Requests()) != len(srv.Requests()) {
		t.Errorf("%d requests without the operation header, %d with it", len(cli.Requests()), len(srv.Requests()))
	}
	called := map[string]bool{}
	for _, r := range srv.Requests() {
		if r.Op == "" {
			t.Errorf("the fake server could not name the operation of a %s request (%s)", r.Service, r.Protocol)
			continue
		}
		if a := actionOf(r); a != "" {
			called[a] = true
		}
	}
	named := actionsInCode(t)
	for a := range called {
		if !allowedBy(allowed, a) {
			t.Errorf("the collector calls %s, which %s does not allow", a, policyFile)
		}
	}
	for _, a := range named {
		if !allowedBy(allowed, a) {
			t.Errorf("the code names the call %s, which %s does not allow", a, policyFile)
		}
	}
	for _, p := range allowed {
		if strings.Contains(p, "*") {
			t.Errorf("%s allows %s: name each action (least privilege)", policyFile, p)
			continue
		}
		if !called[p] && !slices.Contains(named, p) {
			t.Errorf("%s allows %s, which the collector never calls", policyFile, p)
		}
	}
	if len(called) < 40 {
		t.Errorf("only %d actions called: the run did not reach every service", len(called))
	}
}

// readPolicy returns the actions the policy's Allow statements grant.
func readPolicy(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(policyFile)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version   string
		Statement []struct {
			Effect   string
			Action   any
			Resource any
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", policyFile, err)
	}
	if doc.Version != "2012-10-17" {
		t.Errorf("%s: Version %q, want 2012-10-17", policyFile, doc.Version)
	}
	var out []string
	for _, s := range doc.Statement {
		if s.Effect != "Allow" {
			continue
		}
		switch a := s.Action.(type) {
		case string:
			out = append(out, a)
		case []any:
			for _, x := range a {
				if s, ok := x.(string); ok {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

func allowedBy(patterns []string, action string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(strings.ToLower(p), strings.ToLower(action)); ok {
			return true
		}
	}
	return false
}

var actionLit = regexp.MustCompile(`^[a-z0-9-]+:[A-Z][A-Za-z0-9]+$`)

// actionsInCode lists the IAM action names written as string literals in
// the package's code (the call names given to Task.Fail and Pages).
func actionsInCode(t *testing.T) []string {
	t.Helper()
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	var out []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && actionLit.MatchString(s) && !slices.Contains(out, s) {
					out = append(out, s)
				}
			}
			return true
		})
	}
	slices.Sort(out)
	return out
}
