// Package jobstest gives the tests of playbook step jobs (internal/jobs,
// and vigil worker's process tests) a local AWS endpoint with a public
// bucket, a plan of two steps over it, approvals and the trail's calls.
package jobstest

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/collect/aws/awstest"
	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/engine"
	"github.com/vigil-sec/vigil/internal/respond/playbook"
	"github.com/vigil-sec/vigil/internal/respond/subjects"
	"github.com/vigil-sec/vigil/internal/respond/trail"
	"github.com/vigil-sec/vigil/internal/respond/wire"
)

// PublicBucket is a finding of a public bucket, and the playbook that
// blocks its public access and then removes its public statement: a chain
// of two remediation steps.
const (
	PublicBucket = `{"findings": [{"rule_id": "storage-public-access", "title": "Bucket is public", "severity": "CRITICAL", "status": "FAIL",
 "resource": {"id": "arn:aws:s3:::site", "type": "AWS::S3::Bucket", "provider": "aws", "account": "111122223333", "region": "us-east-1", "name": "site"}}]}`
	LockBuckets = `name: lock-public-buckets
trigger:
  findings: {rules: [storage-public-access], providers: [aws]}
steps:
  - id: block
    action: aws.s3.block-public-access
    with: {bucket: "{{ .resource.name }}"}
  - id: policy
    action: aws.s3.delete-public-policy-statement
    with: {bucket: "{{ .resource.id }}"}
`
)

// StepCloud is a local AWS endpoint with the public bucket (its state and
// URL; the AWS environment of the test points at it), and a registry of
// vigil's actions calling it.
func StepCloud(t *testing.T) (*awstest.State, string, func() (*respond.Registry, error)) {
	t.Helper()
	srv := awstest.New()
	t.Cleanup(srv.Close)
	st := awstest.NewState()
	st.Buckets["site"] = &awstest.Bucket{Policy: `{"Version":"2012-10-17","Statement":[` +
		`{"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::site/*"},` +
		`{"Sid":"Ops","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/ops"},"Action":"s3:*","Resource":"arn:aws:s3:::site/*"}]}`}
	st.Account("111122223333")
	st.Serve(srv)
	for k, v := range awstest.Env("111122223333") {
		t.Setenv(k, v)
	}
	return st, srv.URL, func() (*respond.Registry, error) { return wire.Registry(wire.Clouds{AWSEndpoint: srv.URL}) }
}

// BucketState says whether the bucket blocks public policies and still has
// its public statement.
func BucketState(st *awstest.State) (blocked, public bool) {
	st.With(func() {
		b := st.Buckets["site"]
		blocked = b.PublicAccessBlock != nil && b.PublicAccessBlock.BlockPublicPolicy
		public = strings.Contains(b.Policy, "PublicRead")
	})
	return
}

// WritePlan plans the playbook over the finding as vigil respond plan
// does and returns the plan file.
func WritePlan(ctx context.Context, t *testing.T, reg func() (*respond.Registry, error), state string) string {
	t.Helper()
	dir := t.TempDir()
	in, books := filepath.Join(dir, "findings.json"), filepath.Join(dir, "lock.yml")
	for p, body := range map[string]string{in: PublicBucket, books: LockBuckets} {
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	rg, err := reg()
	if err != nil {
		t.Fatal(err)
	}
	r, closeTrail, err := wire.Runner(rg, wire.State(state), "", "planner")
	if err != nil {
		t.Fatal(err)
	}
	defer closeTrail()
	pbs, err := playbook.Load([]string{books}, rg)
	if err != nil {
		t.Fatal(err)
	}
	subs, probs := subjects.ReadFile(in, subjects.Options{})
	if len(probs) > 0 || len(subs) != 1 {
		t.Fatalf("subjects %v %v", subs, probs)
	}
	p, err := r.Build(ctx, subs, playbook.Engine(pbs), engine.BuildOptions{Inputs: []string{in}})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 2 || p.Items[0].Chain != p.Items[1].Chain || p.Items[0].Approvals != 1 {
		t.Fatalf("plan items: %+v", p.Items)
	}
	path := filepath.Join(wire.State(state).Plans(), p.ID+".json")
	if _, err := wire.WritePlan(ctx, r, p, path, []string{in}); err != nil {
		t.Fatal(err)
	}
	return path
}

// Approve approves the plan as by, for mode, as vigil respond approve does.
func Approve(ctx context.Context, t *testing.T, state, plan, by, mode string) {
	t.Helper()
	f, err := engine.ReadFile(plan)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wire.Approve(ctx, wire.State(state), plan, f, by, "test", mode, "test", time.Now()); err != nil {
		t.Fatal(err)
	}
}

// WriteCalls counts the write calls of this operation in the trail.
func WriteCalls(t *testing.T, trailPath, op string) int {
	t.Helper()
	b, err := os.ReadFile(trailPath)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var e trail.Entry
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatal(err)
		}
		var c trail.Call
		if e.Kind == trail.KindCall && json.Unmarshal(e.Data, &c) == nil && c.Operation == op && !c.ReadOnly {
			n++
		}
	}
	return n
}
