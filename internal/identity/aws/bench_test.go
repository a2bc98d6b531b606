package awsiam

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/iam/awspolicy"
	"github.com/vigil-sec/vigil/internal/resource"
)

// escalationActions are the actions escalation-path search asks about for
// every principal.
var escalationActions = []string{
	"iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:AttachUserPolicy", "iam:AttachRolePolicy", "iam:AttachGroupPolicy",
	"iam:PutUserPolicy", "iam:PutRolePolicy", "iam:PutGroupPolicy", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile",
	"iam:AddUserToGroup", "iam:UpdateAssumeRolePolicy", "iam:PassRole", "sts:AssumeRole", "lambda:CreateFunction", "lambda:InvokeFunction",
	"lambda:UpdateFunctionCode", "lambda:CreateEventSourceMapping", "ec2:RunInstances", "glue:CreateDevEndpoint", "glue:UpdateDevEndpoint",
	"cloudformation:CreateStack", "datapipeline:CreatePipeline", "sagemaker:CreateNotebookInstance", "ecs:RunTask", "ecs:RegisterTaskDefinition",
	"codebuild:CreateProject", "ssm:SendCommand", "iam:DeleteRolePermissionsBoundary",
}

// syntheticOrg builds an organization of principals roles and users in
// accounts accounts, each with attachments managed policies drawn from
// customer policies per account and a set of AWS managed policies, an
// inline policy on every fourth principal, and an SCP chain per account.
func syntheticOrg(principals, attachments, accounts, customer int) []*resource.Resource {
	r := rand.New(rand.NewPCG(7, 7))
	actions := append(append([]string{}, escalationActions...), "s3:GetObject", "s3:PutObject", "s3:*", "ec2:Describe*", "iam:Get*", "iam:List*", "dynamodb:*", "kms:Decrypt", "sqs:*", "logs:*")
	awsManaged := []string{"ReadOnlyAccess", "AmazonS3ReadOnlyAccess", "AmazonEC2ReadOnlyAccess", "AmazonSSMManagedInstanceCore", "CloudWatchLogsFullAccess",
		"AmazonDynamoDBReadOnlyAccess", "AWSLambda_ReadOnlyAccess", "SecurityAudit", "ViewOnlyAccess", "PowerUserAccess", "AdministratorAccess", "IAMReadOnlyAccess"}
	stmt := func() string {
		eff := "Allow"
		if r.IntN(10) == 0 {
			eff = "Deny"
		}
		a := actions[r.IntN(len(actions))]
		b := actions[r.IntN(len(actions))]
		res := []string{"*", "arn:aws:s3:::data-*", "arn:aws:iam::*:role/app-*", "arn:aws:lambda:*:*:function:*"}[r.IntN(4)]
		cond := ""
		if r.IntN(5) == 0 {
			cond = `,"Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}`
		}
		return fmt.Sprintf(`{"Effect":%q,"Action":[%q,%q],"Resource":%q%s}`, eff, a, b, res, cond)
	}
	docText := func(n int) string {
		s := `{"Version":"2012-10-17","Statement":[`
		for i := 0; i < n; i++ {
			if i > 0 {
				s += ","
			}
			s += stmt()
		}
		return s + "]}"
	}
	var rs []*resource.Resource
	full := resource.NamedPolicy{ID: "p-FullAWSAccess", Name: "FullAWSAccess", Document: awspolicy.ParseText(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)}
	guard := resource.NamedPolicy{ID: "p-guard", Name: "Guard", Document: awspolicy.ParseText(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["organizations:LeaveOrganization","iam:DeleteRolePermissionsBoundary"],"Resource":"*"}]}`)}
	policyARNs := make([][]string, accounts)
	for a := 0; a < accounts; a++ {
		acct := fmt.Sprintf("%012d", 100000000000+a)
		rs = append(rs, &resource.Resource{Provider: resource.AWS, Account: acct, ID: "aws-account/" + acct, Class: "account", Facts: resource.Facts{Account: &resource.Account{
			SCPs: &resource.OrgPolicies{Applies: ptr(true), Levels: []resource.OrgPolicyLevel{
				{Target: "r-root", Policies: []resource.NamedPolicy{full, guard}}, {Target: "ou-1", Policies: []resource.NamedPolicy{full}}, {Target: "aws-account/" + acct, Policies: []resource.NamedPolicy{full}},
			}}}}})
		for c := 0; c < customer; c++ {
			arn := fmt.Sprintf("arn:aws:iam::%s:policy/p%d", acct, c)
			policyARNs[a] = append(policyARNs[a], arn)
			rs = append(rs, &resource.Resource{Provider: resource.AWS, Account: acct, ID: arn, Class: "iam_policy",
				Facts: resource.Facts{Policy: &resource.Policy{Managed: "customer", Document: awspolicy.ParseText(docText(1 + r.IntN(5)))}}})
		}
	}
	per := attachments / principals
	for p := 0; p < principals; p++ {
		a := p % accounts
		acct := fmt.Sprintf("%012d", 100000000000+a)
		kind, arn := "role", fmt.Sprintf("arn:aws:iam::%s:role/app-%d", acct, p)
		if p%3 == 0 {
			kind, arn = "user", fmt.Sprintf("arn:aws:iam::%s:user/u%d", acct, p)
		}
		id := &resource.Identity{Kind: kind}
		for i := 0; i < per; i++ {
			if r.IntN(4) == 0 {
				id.AttachedPolicies = append(id.AttachedPolicies, "arn:aws:iam::aws:policy/"+awsManaged[r.IntN(len(awsManaged)-2)])
			} else {
				id.AttachedPolicies = append(id.AttachedPolicies, policyARNs[a][r.IntN(len(policyARNs[a]))])
			}
		}
		if p%4 == 0 {
			id.InlineDocuments = []resource.NamedPolicy{{Name: "inline", Document: awspolicy.ParseText(docText(2))}}
		}
		if p%10 == 0 {
			id.PermissionsBoundary = policyARNs[a][0]
		}
		if kind == "role" {
			id.TrustPolicy = awspolicy.ParseText(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)
		}
		rs = append(rs, &resource.Resource{Provider: resource.AWS, Account: acct, ID: arn, Class: "identity", Facts: resource.Facts{Identity: id}})
	}
	return rs
}

// BenchmarkEscalationQueries builds the evaluator over 50,000 principals
// with 200,000 policy attachments (the identity issue's benchmark) and asks,
// for every principal, which of 30 escalation-relevant actions it can
// perform: the evaluator's share of the escalation-path search.
func BenchmarkEscalationQueries(b *testing.B) {
	const principals, attachments = 50000, 200000
	rs := syntheticOrg(principals, attachments, 100, 200)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		e, err := New(rs, Options{})
		if err != nil {
			b.Fatal(err)
		}
		built := time.Now()
		// The evaluator is safe for concurrent use: one worker per core.
		ps := e.Principals()
		workers := runtime.GOMAXPROCS(0)
		counts := make([]int, workers)
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := w; i < len(ps); i += workers {
					for _, g := range e.Actions(ps[i], escalationActions, Context{}) {
						if g.Decision.Result == Allowed {
							counts[w]++
						}
					}
				}
			}(w)
		}
		wg.Wait()
		allowed := 0
		for _, c := range counts {
			allowed += c
		}
		if allowed == 0 {
			b.Fatal("no principal can do anything")
		}
		b.ReportMetric(float64(allowed), "allowed-grants")
		b.ReportMetric(built.Sub(start).Seconds(), "build-s")
		b.ReportMetric(time.Since(built).Seconds(), "query-s")
		b.ReportMetric(float64(time.Since(built).Nanoseconds())/float64(len(ps)*len(escalationActions)), "ns/query")
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	b.ReportMetric(float64(m.HeapAlloc)/(1<<20), "heap-MiB")
}

// BenchmarkIsAllowed is one request against a principal with several
// managed policies, a boundary and an SCP chain.
func BenchmarkIsAllowed(b *testing.B) {
	rs := syntheticOrg(1000, 4000, 10, 50)
	e, err := New(rs, Options{})
	if err != nil {
		b.Fatal(err)
	}
	ps := e.Principals()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e.IsAllowed(ps[i%len(ps)], "s3:GetObject", "arn:aws:s3:::data-lake/k", Context{})
	}
}
