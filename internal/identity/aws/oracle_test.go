package awsiam

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/iam/awspolicy"
)

// The differential test generates random policy sets and requests (seeded)
// and requires vigil's answer to agree with @cloud-copilot/iam-simulate, an
// independent implementation of AWS's evaluation logic (AGPL: a test oracle
// only, installed by scripts/iam-oracle/install.sh into a cache folder,
// never linked or shipped).

var (
	oracleCases = flag.Int("oracle-cases", 3000, "random requests checked against the IAM oracle")
	oracleSeed  = flag.Uint64("oracle-seed", 1, "seed of the oracle test's generator")
)

// oracleDir is where install.sh puts the oracle.
func oracleDir() string {
	if d := os.Getenv("VIGIL_IAM_ORACLE"); d != "" {
		return d
	}
	if d := os.Getenv("XDG_CACHE_HOME"); d != "" {
		return filepath.Join(d, "vigil", "iam-oracle")
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".cache", "vigil", "iam-oracle")
}

type oracleItem struct {
	ID         string         `json:"id"`
	Simulation map[string]any `json:"simulation"`
}

type oracleAnswer struct {
	ID     string `json:"id"`
	Result string `json:"result"`
	Error  string `json:"error"`
}

// runOracle sends a batch to the Node harness and returns its answers by id.
func runOracle(t *testing.T, items []oracleItem) map[string]oracleAnswer {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("IAM oracle not available: node is not installed")
	}
	dir := oracleDir()
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@cloud-copilot", "iam-simulate", "package.json")); err != nil {
		t.Skipf("IAM oracle not installed in %s: run scripts/iam-oracle/install.sh (npm install from the registry) to enable the differential test", dir)
	}
	in, err := json.Marshal(items)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, filepath.Join("..", "..", "..", "scripts", "iam-oracle", "oracle.cjs"))
	cmd.Env = append(os.Environ(), "VIGIL_IAM_ORACLE="+dir)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("oracle: %v: %s", err, stderr.String())
	}
	var answers []oracleAnswer
	if err := json.Unmarshal(out, &answers); err != nil {
		t.Fatalf("oracle output: %v", err)
	}
	m := make(map[string]oracleAnswer, len(answers))
	for _, a := range answers {
		m[a.ID] = a
	}
	return m
}

// genRequest is one request of the vocabulary: every action is real and
// its resource of the action's type, as the oracle validates both.
type genRequest struct {
	action, resource, account string
}

var (
	genAccounts   = []string{acctA, acctB}
	genPrincipals = []string{userA, sessA, userB, "arn:aws:iam::111111111111:user/dev/carol", "arn:aws:iam::111111111111:root", roleA}
	genRequests   = []genRequest{
		{"s3:GetObject", "arn:aws:s3:::bucket-a/data/report.txt", acctA},
		{"s3:PutObject", "arn:aws:s3:::bucket-a/logs/x.log", acctA},
		{"s3:GetObject", "arn:aws:s3:::home/alice/notes.txt", acctA},
		{"s3:ListBucket", "arn:aws:s3:::bucket-a", acctA},
		{"s3:GetObject", "arn:aws:s3:::bucket-b/data/report.txt", acctB},
		{"sqs:SendMessage", "arn:aws:sqs:us-east-1:111111111111:queue-a", acctA},
		{"sqs:DeleteQueue", "arn:aws:sqs:eu-west-1:111111111111:queue-b", acctA},
		{"sqs:SendMessage", "arn:aws:sqs:us-east-1:222222222222:queue-x", acctB},
		{"dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:111111111111:table/orders", acctA},
		{"dynamodb:PutItem", "arn:aws:dynamodb:us-east-1:111111111111:table/orders", acctA},
		{"iam:CreateUser", "arn:aws:iam::111111111111:user/newuser", acctA},
		{"iam:PassRole", "arn:aws:iam::111111111111:role/app", acctA},
		{"iam:AttachRolePolicy", "arn:aws:iam::111111111111:role/admin", acctA},
		{"ec2:TerminateInstances", "arn:aws:ec2:us-east-1:111111111111:instance/i-0123", acctA},
		{"secretsmanager:GetSecretValue", "arn:aws:secretsmanager:us-east-1:111111111111:secret:db-AbCdEf", acctA},
		{"secretsmanager:GetSecretValue", "arn:aws:secretsmanager:us-east-1:222222222222:secret:shared-XyZ", acctB},
		{"lambda:InvokeFunction", "arn:aws:lambda:us-east-1:111111111111:function:fn", acctA},
		{"kms:Decrypt", "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab", acctA},
		{"kms:Encrypt", "arn:aws:kms:us-east-1:222222222222:key/4321dcba-12ab-34cd-56ef-1234567890ab", acctB},
		{"sts:AssumeRole", "arn:aws:iam::111111111111:role/target", acctA},
		{"sts:AssumeRole", "arn:aws:iam::222222222222:role/external", acctB},
	}
	genActionPatterns = []string{
		"s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:*", "s3:Get*", "s3:?etObject", "S3:getobject", "s3:*Object",
		"sqs:SendMessage", "sqs:*", "sqs:Delete*", "dynamodb:GetItem", "dynamodb:*Item", "dynamodb:*",
		"iam:CreateUser", "iam:PassRole", "iam:*", "iam:Attach*Policy", "ec2:TerminateInstances", "ec2:Terminate*",
		"secretsmanager:GetSecretValue", "secretsmanager:*", "lambda:InvokeFunction", "lambda:Invoke*", "kms:Decrypt", "kms:*", "sts:AssumeRole", "sts:Assume*", "*",
	}
	genResourcePatterns = []string{
		"*", "*", "arn:aws:s3:::bucket-a/*", "arn:aws:s3:::bucket-?/*", "arn:aws:s3:::bucket-a", "arn:aws:s3:::*",
		"arn:aws:s3:::bucket-a/data/report.txt", "arn:aws:s3:::Bucket-a/*", "arn:aws:s3:::home/${aws:username}/*",
		"arn:aws:sqs:*:111111111111:*", "arn:aws:sqs:us-east-1:*:queue-?", "arn:aws:sqs:us-east-1:111111111111:queue-a",
		"arn:aws:dynamodb:*:*:table/*", "arn:aws:dynamodb:us-east-1:111111111111:table/orders",
		"arn:aws:iam::111111111111:user/*", "arn:aws:iam::111111111111:role/*", "arn:aws:iam::*:role/app",
		"arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:us-east-1:111111111111:instance/i-0123",
		"arn:aws:secretsmanager:*:*:secret:db-*", "arn:aws:secretsmanager:us-east-1:222222222222:secret:*",
		"arn:aws:lambda:us-east-1:111111111111:function:*", "arn:aws:*:us-east-1:111111111111:*",
		"arn:aws:kms:*:111111111111:key/*", "arn:aws:kms:us-east-1:*:key/4321*", "arn:aws:iam::*:role/target", "arn:aws:iam::222222222222:role/*",
	}
	genConditions = []struct {
		op, key string
		values  []string
	}{
		{"StringEquals", "aws:PrincipalTag/team", []string{"data"}},
		{"StringEquals", "aws:PrincipalTag/team", []string{"web", "ops"}},
		{"StringLike", "aws:PrincipalTag/team", []string{"d*"}},
		{"StringNotEquals", "aws:PrincipalTag/team", []string{"web"}},
		{"StringEqualsIgnoreCase", "aws:PrincipalTag/team", []string{"DATA"}},
		{"StringNotLike", "aws:PrincipalTag/team", []string{"w?b"}},
		{"StringEqualsIfExists", "aws:PrincipalTag/team", []string{"data"}},
		{"Bool", "aws:SecureTransport", []string{"true"}},
		{"Bool", "aws:SecureTransport", []string{"false"}},
		{"BoolIfExists", "aws:MultiFactorAuthPresent", []string{"false"}},
		{"NumericLessThan", "aws:MultiFactorAuthAge", []string{"3600"}},
		{"NumericLessThan", "aws:MultiFactorAuthAge", []string{"900"}},
		{"NumericGreaterThanEquals", "aws:MultiFactorAuthAge", []string{"600"}},
		{"IpAddress", "aws:SourceIp", []string{"10.0.0.0/8"}},
		{"NotIpAddress", "aws:SourceIp", []string{"10.0.0.0/8", "198.51.100.0/24"}},
		{"DateGreaterThan", "aws:CurrentTime", []string{"2026-01-01T00:00:00Z"}},
		{"DateLessThan", "aws:CurrentTime", []string{"2026-03-01T00:00:00Z"}},
		{"Null", "aws:PrincipalTag/team", []string{"true"}},
		{"Null", "aws:PrincipalTag/team", []string{"false"}},
		{"ForAnyValue:StringEquals", "aws:TagKeys", []string{"a", "c"}},
		{"ForAllValues:StringLike", "aws:TagKeys", []string{"a", "b*"}},
		{"ArnLike", "aws:PrincipalArn", []string{"arn:aws:iam::111111111111:user/*"}},
		{"ArnNotEquals", "aws:PrincipalArn", []string{"arn:aws:iam::111111111111:role/app"}},
		{"StringEquals", "aws:PrincipalAccount", []string{"111111111111"}},
		{"StringEquals", "aws:ResourceAccount", []string{"${aws:PrincipalAccount}"}},
		{"StringEquals", "aws:RequestedRegion", []string{"us-east-1"}},
		{"StringEquals", "aws:PrincipalType", []string{"User"}},
		{"StringNotEquals", "aws:PrincipalType", []string{"AssumedRole"}},
		{"StringNotEqualsIgnoreCase", "aws:RequestedRegion", []string{"US-EAST-1"}},
		{"StringLike", "aws:PrincipalArn", []string{"arn:aws:iam::*:user/${aws:username}"}},
		{"StringEquals", "aws:PrincipalTag/team", []string{"${aws:PrincipalTag/team}"}},
		{"NumericEquals", "aws:MultiFactorAuthAge", []string{"900", "30"}},
		{"NumericNotEquals", "aws:MultiFactorAuthAge", []string{"900"}},
		{"NumericGreaterThan", "aws:MultiFactorAuthAge", []string{"30.5"}},
		{"NumericLessThanEqualsIfExists", "aws:MultiFactorAuthAge", []string{"900"}},
		{"DateEquals", "aws:CurrentTime", []string{"2026-06-01T00:00:00Z"}},
		{"DateNotEquals", "aws:CurrentTime", []string{"2026-06-01T00:00:00Z"}},
		{"DateGreaterThanEquals", "aws:CurrentTime", []string{"2026-02-01T00:00:00Z"}},
		{"DateLessThanEquals", "aws:CurrentTime", []string{"2026-02-01"}},
		{"IpAddress", "aws:SourceIp", []string{"198.51.100.7"}},
		{"IpAddressIfExists", "aws:SourceIp", []string{"192.0.2.0/24"}},
		{"ArnEquals", "aws:PrincipalArn", []string{"arn:aws:iam::111111111111:role/app"}},
		{"ArnNotLike", "aws:PrincipalArn", []string{"arn:aws:iam::222222222222:*"}},
		{"ArnLikeIfExists", "aws:PrincipalArn", []string{"arn:aws:iam::111111111111:*"}},
		{"ForAnyValue:StringLike", "aws:TagKeys", []string{"b*"}},
		{"ForAllValues:StringEquals", "aws:TagKeys", []string{"a", "b"}},
		{"ForAnyValue:StringNotEquals", "aws:TagKeys", []string{"a"}},
		{"ForAllValues:StringNotLike", "aws:TagKeys", []string{"c*"}},
		{"ForAnyValue:StringEqualsIfExists", "aws:TagKeys", []string{"c"}},
		{"IpAddress", "AWS:SourceIP", []string{"10.0.0.0/8"}},
		{"stringequals", "aws:principaltag/team", []string{"data"}},
		{"BinaryEquals", "aws:PrincipalTag/team", []string{"ZGF0YQ=="}},
		{"Bool", "aws:SecureTransport", []string{"true", "false"}},
		{"BoolIfExists", "aws:SecureTransport", []string{"true"}},
		{"Null", "aws:SourceIp", []string{"true"}},
		{"Null", "aws:TagKeys", []string{"false"}},
	}
	genResourcePrincipals = []any{
		map[string]any{"AWS": userA}, map[string]any{"AWS": sessA}, map[string]any{"AWS": roleA}, map[string]any{"AWS": userB},
		map[string]any{"AWS": acctA}, map[string]any{"AWS": "arn:aws:iam::222222222222:root"}, "*",
		map[string]any{"AWS": []any{userA, "arn:aws:iam::222222222222:root"}},
	}
)

type gen struct {
	r *rand.Rand
	// focus is the request being built: statements aim at it half the
	// time, so that the rules' interplay decides often.
	focus *genRequest
}

func (g gen) pick(n int) int        { return g.r.IntN(n) }
func (g gen) chance(p float64) bool { return g.r.Float64() < p }

func (g gen) list(src []string, max int) any {
	n := 1 + g.pick(max)
	if n == 1 && g.chance(0.5) {
		return src[g.pick(len(src))]
	}
	out := make([]any, n)
	for i := range out {
		out[i] = src[g.pick(len(src))]
	}
	return out
}

// statement builds a random statement; kind is identity, scp, rcp or
// resource.
func (g gen) statement(kind string) map[string]any {
	st := map[string]any{"Effect": "Allow"}
	if kind == "rcp" || g.chance(0.25) {
		st["Effect"] = "Deny"
	}
	actions := genActionPatterns
	if kind == "rcp" {
		// An RCP may not name the action "*".
		actions = actions[:len(actions)-1]
	}
	if g.chance(0.12) && kind != "rcp" {
		st["NotAction"] = g.list(actions, 3)
	} else {
		st["Action"] = g.list(actions, 3)
	}
	focus := 0.5
	if st["Effect"] == "Deny" {
		focus = 0.2
	}
	if f := g.focus; f != nil && kind != "trust" && g.chance(focus) {
		svc, _, _ := strings.Cut(f.action, ":")
		a := []string{f.action, svc + ":*", "*"}[g.pick(3)]
		if kind == "rcp" && a == "*" {
			a = f.action
		}
		delete(st, "NotAction")
		st["Action"] = a
		if _, ok := st["NotResource"]; !ok {
			st["Resource"] = []string{f.resource, "*"}[g.pick(2)]
		}
	}
	switch {
	case kind == "trust":
		// A trust policy names no resource.
		st["Action"] = []string{"sts:AssumeRole", "sts:Assume*", "sts:*", "*"}[g.pick(4)]
		delete(st, "NotAction")
	case g.chance(0.1) && kind != "rcp":
		delete(st, "Resource")
		st["NotResource"] = g.list(genResourcePatterns, 2)
	default:
		if _, ok := st["Resource"]; !ok {
			st["Resource"] = g.list(genResourcePatterns, 3)
		}
	}
	switch kind {
	case "rcp":
		st["Principal"] = "*"
	case "resource", "trust":
		if st["Effect"] == "Deny" && g.chance(0.2) {
			st["NotPrincipal"] = map[string]any{"AWS": []any{userA, sessA}[g.pick(2)]}
		} else {
			st["Principal"] = genResourcePrincipals[g.pick(len(genResourcePrincipals))]
		}
	}
	if g.chance(0.35) {
		cond := map[string]any{}
		for i := 0; i <= g.pick(2); i++ {
			c := genConditions[g.pick(len(genConditions))]
			m, _ := cond[c.op].(map[string]any)
			if m == nil {
				m = map[string]any{}
				cond[c.op] = m
			}
			vals := make([]any, len(c.values))
			for i, v := range c.values {
				vals[i] = v
			}
			m[c.key] = vals
		}
		st["Condition"] = cond
	}
	return st
}

func (g gen) policy(kind string, maxStmts int) map[string]any {
	n := 1 + g.pick(maxStmts)
	sts := make([]any, n)
	for i := range sts {
		sts[i] = g.statement(kind)
	}
	return map[string]any{"Version": "2012-10-17", "Statement": sts}
}

var allowAllDoc = map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*"}}}

// compileDoc compiles a generated document through the real parser.
func compileDoc(t *testing.T, name string, doc map[string]any) *Policy {
	t.Helper()
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	p, probs := Compile(name, awspolicy.ParseText(string(b)), nil)
	if len(probs) > 0 {
		t.Fatalf("%s: %v", name, probs)
	}
	return p
}

type namedDoc struct {
	Name   string         `json:"name"`
	Policy map[string]any `json:"policy"`
}

type orgDocs struct {
	OrgIdentifier string     `json:"orgIdentifier"`
	Policies      []namedDoc `json:"policies"`
}

// oracleCase is one generated case with vigil's answer.
type oracleCase struct {
	id   string
	sim  map[string]any
	got  Decision
	desc string
	// session: the case has a session policy.
	session bool
}

// documentedDifference names a known, documented difference between AWS's
// rules as vigil implements them and the oracle, "" for none. AWS: "A
// resource-based policy can specify the ARN of the session as a principal.
// In that case, the permissions from the resource-based policy are added
// after the session is created. The resource-based policy permissions are
// not limited by the session policy." The oracle limits them.
func documentedDifference(c oracleCase, oracle string) string {
	if c.session && c.got.Result == Allowed && oracle == "ImplicitlyDenied" &&
		slices.ContainsFunc(c.got.Allows, func(r StatementRef) bool { return r.Kind == KindResource }) {
		return "a resource-policy grant to the session is not limited by the session policy"
	}
	return ""
}

func (g *gen) makeCase(t *testing.T, id int) oracleCase {
	req := genRequests[g.pick(len(genRequests))]
	principal := genPrincipals[g.pick(len(genPrincipals))]
	pi := parsePrincipal(principal)
	root := pi.kind == "root"
	for root && strings.HasPrefix(req.action, "sts:") {
		// The root user cannot assume a role (AWS documents it; the oracle
		// lets it): not compared.
		req = genRequests[g.pick(len(genRequests))]
	}
	g.focus = &req
	// An unsigned request now and then (public bucket or queue): only the
	// resource policy and RCPs apply.
	anonymous := (strings.HasPrefix(req.action, "s3:") || strings.HasPrefix(req.action, "sqs:")) && g.chance(0.08)
	if anonymous {
		principal, pi, root = "", parsePrincipal(""), false
	}
	ps := &PolicySet{}
	var identity []namedDoc
	for i := 0; i < g.pick(4) && !anonymous; i++ {
		d := namedDoc{Name: fmt.Sprintf("identity%d", i), Policy: g.policy("identity", 3)}
		identity = append(identity, d)
		ps.Identity = append(ps.Identity, compileDoc(t, d.Name, d.Policy))
	}
	if len(identity) > 0 && g.chance(0.4) && !anonymous {
		// Usually some plain grant, so that allows are common.
		d := namedDoc{Name: "grant", Policy: map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{"Effect": "Allow", "Action": req.action, "Resource": "*"}}}}
		identity = append(identity, d)
		ps.Identity = append(ps.Identity, compileDoc(t, d.Name, d.Policy))
	}
	var boundary []namedDoc
	if g.chance(0.3) && !root && !anonymous { // the root user has no boundary
		d := namedDoc{Name: "boundary", Policy: g.policy("identity", 3)}
		boundary = append(boundary, d)
		ps.Boundary = compileDoc(t, d.Name, d.Policy)
	}
	var sessionPolicy map[string]any
	if pi.kind == "session" && g.chance(0.25) {
		sessionPolicy = g.policy("identity", 2)
		ps.Session = []*Policy{compileDoc(t, "session", sessionPolicy)}
	}
	orgChain := func(kind string, levels int) ([]orgDocs, *OrgChain) {
		var docs []orgDocs
		c := &OrgChain{}
		for l := 0; l < levels; l++ {
			od := orgDocs{OrgIdentifier: []string{"r-root", "ou-1", "ou-2", acctA}[l]}
			lv := OrgLevel{Target: od.OrgIdentifier}
			if kind == "scp" && g.chance(0.85) {
				od.Policies = append(od.Policies, namedDoc{Name: "FullAWSAccess", Policy: allowAllDoc})
			}
			if g.chance(0.5) || len(od.Policies) == 0 {
				od.Policies = append(od.Policies, namedDoc{Name: fmt.Sprintf("%s-%d", kind, l), Policy: g.policy(kind, 2)})
			}
			for _, d := range od.Policies {
				lv.Policies = append(lv.Policies, compileDoc(t, od.OrgIdentifier+"/"+d.Name, d.Policy))
			}
			docs = append(docs, od)
			c.Levels = append(c.Levels, lv)
		}
		return docs, c
	}
	scps, rcps := []orgDocs{}, []orgDocs{}
	if g.chance(0.4) && !anonymous {
		scps, ps.SCPs = orgChain("scp", 1+g.pick(3))
	}
	svc, _, _ := strings.Cut(req.action, ":")
	if g.chance(0.2) && (svc == "s3" || svc == "sqs" || svc == "dynamodb" || svc == "secretsmanager" || svc == "kms" || svc == "sts") {
		rcps, ps.RCPs = orgChain("rcp", 1+g.pick(2))
	}
	var resourcePolicy map[string]any
	switch {
	case svc == "sts":
		// A role always has a trust policy. (Given none, the oracle lets
		// identity policies alone decide AssumeRole in the same account;
		// vigil requires the trust policy, as AWS does for every role.)
		resourcePolicy = g.policy("trust", 3)
		ps.Resource = compileDoc(t, "resource", resourcePolicy)
	case svc != "iam" && svc != "ec2" && svc != "sts" && g.chance(0.5):
		resourcePolicy = g.policy("resource", 3)
		ps.Resource = compileDoc(t, "resource", resourcePolicy)
	}
	// Context: every key decided, as a complete request context.
	ctx := map[string][]string{}
	switch g.pick(3) {
	case 0:
		ctx["aws:PrincipalTag/team"] = []string{"data"}
	case 1:
		ctx["aws:PrincipalTag/team"] = []string{"web"}
	}
	if g.chance(0.8) {
		ctx["aws:SecureTransport"] = []string{[]string{"true", "false"}[g.pick(2)]}
	}
	if g.chance(0.5) {
		ctx["aws:MultiFactorAuthPresent"] = []string{"true"}
		ctx["aws:MultiFactorAuthAge"] = []string{[]string{"30", "900", "7200"}[g.pick(3)]}
	}
	if g.chance(0.7) {
		ctx["aws:SourceIp"] = []string{[]string{"10.1.2.3", "198.51.100.7", "192.0.2.1"}[g.pick(3)]}
	}
	ctx["aws:CurrentTime"] = []string{[]string{"2026-02-01T00:00:00Z", "2026-06-01T00:00:00Z"}[g.pick(2)]}
	if g.chance(0.6) {
		ctx["aws:TagKeys"] = [][]string{{"a", "b"}, {"a", "c"}, {"b", "bb"}}[g.pick(3)]
	}
	ctx["aws:RequestedRegion"] = []string{"us-east-1"}
	if strings.Contains(req.resource, ":eu-west-1:") {
		ctx["aws:RequestedRegion"] = []string{"eu-west-1"}
	}
	// The keys vigil fills from the principal and resource, given to the
	// oracle too (it does not fill them).
	if !anonymous {
		ctx["aws:PrincipalArn"] = []string{principalARNKey(pi)}
		ctx["aws:PrincipalAccount"] = []string{pi.account}
		ctx["aws:PrincipalType"] = []string{map[string]string{"root": "Account", "user": "User", "role": "AssumedRole", "session": "AssumedRole"}[pi.kind]}
		if pi.kind == "user" {
			ctx["aws:username"] = []string{pi.name}
		}
	}
	ctx["aws:ResourceAccount"] = []string{req.account}

	got := Evaluate(&Request{Principal: principal, Action: req.action, Resource: req.resource, ResourceAccount: req.account, Context: ctx, ContextComplete: true}, ps)

	cv := map[string]any{}
	for k, v := range ctx {
		if len(v) == 1 && k != "aws:TagKeys" {
			cv[k] = v[0]
		} else {
			cv[k] = v
		}
	}
	sim := map[string]any{
		"request": map[string]any{
			"principal":        simPrincipal(principal),
			"action":           req.action,
			"resource":         map[string]any{"resource": req.resource, "accountId": req.account},
			"contextVariables": cv,
		},
		"identityPolicies":        nonNil(identity),
		"serviceControlPolicies":  scps,
		"resourceControlPolicies": rcps,
	}
	if resourcePolicy != nil {
		sim["resourcePolicy"] = resourcePolicy
	}
	if boundary != nil {
		sim["permissionBoundaryPolicies"] = boundary
	}
	if sessionPolicy != nil {
		sim["sessionPolicy"] = sessionPolicy
	}
	desc, _ := json.Marshal(sim)
	return oracleCase{id: fmt.Sprint(id), sim: sim, got: got, desc: string(desc), session: sessionPolicy != nil}
}

// simPrincipal is the oracle's form of a principal: its marker for an
// unsigned request.
func simPrincipal(p string) any {
	if p == "" {
		return map[string]any{"type": "Anonymous"}
	}
	return p
}

func nonNil(d []namedDoc) []namedDoc {
	if d == nil {
		return []namedDoc{}
	}
	return d
}

var oracleResults = map[Result]string{Allowed: "Allowed", ExplicitDeny: "ExplicitlyDenied", ImplicitDeny: "ImplicitlyDenied"}

func TestOracleDifferential(t *testing.T) {
	if testing.Short() {
		t.Skip("differential test against the IAM oracle skipped in -short mode")
	}
	g := &gen{r: rand.New(rand.NewPCG(*oracleSeed, 0x5eed))}
	cases := make([]oracleCase, 0, *oracleCases)
	items := make([]oracleItem, 0, *oracleCases)
	for i := 0; i < *oracleCases; i++ {
		c := g.makeCase(t, i)
		cases = append(cases, c)
		items = append(items, oracleItem{ID: c.id, Simulation: c.sim})
	}
	answers := runOracle(t, items)
	agree, compared, rejected := 0, 0, 0
	byResult := map[string]int{}
	var disagreements []string
	rejections := map[string]int{}
	documented := map[string]int{}
	for _, c := range cases {
		a, ok := answers[c.id]
		if !ok {
			t.Fatalf("oracle gave no answer for case %s", c.id)
		}
		if a.Error != "" {
			rejected++
			msg := a.Error
			if len(msg) > 160 {
				msg = msg[:160]
			}
			rejections[msg]++
			continue
		}
		compared++
		byResult[a.Result]++
		if oracleResults[c.got.Result] == a.Result {
			agree++
			continue
		}
		if why := documentedDifference(c, a.Result); why != "" {
			documented[why]++
			continue
		}
		disagreements = append(disagreements, fmt.Sprintf("case %s: vigil %s, oracle %s\n  vigil: %+v\n  input: %s", c.id, c.got.Result, a.Result, c.got, c.desc))
	}
	keys := make([]string, 0, len(rejections))
	for k := range rejections {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("oracle rejected %d case(s): %s", rejections[k], k)
	}
	t.Logf("agreement: %d of %d compared (%.2f%%), %d rejected by the oracle; oracle results %v", agree, compared, 100*float64(agree)/float64(max(compared, 1)), rejected, byResult)
	for why, n := range documented {
		t.Logf("documented difference in %d case(s): %s", n, why)
	}
	if compared < *oracleCases*9/10 {
		t.Errorf("the oracle rejected %d of %d cases: the generator makes invalid requests", rejected, *oracleCases)
	}
	for i, d := range disagreements {
		if i == 10 {
			t.Errorf("... and %d more disagreements", len(disagreements)-10)
			break
		}
		t.Error(d)
	}
}
