package awsrespond

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/collect/aws/awstest"
	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/respondtest"
)

const (
	caller = "111122223333"
	member = "444455556666"
)

// cloud is the local AWS endpoint with its in-memory state.
type cloud struct {
	srv  *awstest.Server
	st   *awstest.State
	opts Options
}

// newCloud starts the endpoint with the state (filled by setup) and the
// caller's test credentials.
func newCloud(t *testing.T, setup func(st *awstest.State)) *cloud {
	t.Helper()
	srv := awstest.New()
	t.Cleanup(srv.Close)
	st := awstest.NewState()
	if setup != nil {
		setup(st)
	}
	st.Serve(srv)
	for k, v := range awstest.Env(caller) {
		t.Setenv(k, v)
	}
	client := srv.Client()
	t.Cleanup(client.CloseIdleConnections)
	return &cloud{srv: srv, st: st, opts: Options{Endpoint: srv.URL, HTTPClient: client, MaxAttempts: 3, MaxBackoff: 10 * time.Millisecond}}
}

func (c *cloud) action(t *testing.T, name string) respond.Action {
	t.Helper()
	return actionNamed(t, Actions(c.opts), name)
}

func actionNamed(t *testing.T, actions []respond.Action, name string) respond.Action {
	t.Helper()
	for _, a := range actions {
		if a.Spec().Name == name {
			return a
		}
	}
	t.Fatalf("no action %s", name)
	return nil
}

func request(inputs map[string]string) *respond.Request {
	return &respond.Request{Subject: &respond.Subject{Kind: "finding", Provider: "aws", Account: caller, Region: "us-east-1"}, Inputs: inputs}
}

// iamAction is the IAM action allowing a request the endpoint answered
// ("" when none is needed).
func iamAction(r awstest.Request) string {
	switch r.Key() {
	case "s3:GetPublicAccessBlock":
		return "s3:GetBucketPublicAccessBlock"
	case "s3:PutPublicAccessBlock", "s3:DeletePublicAccessBlock":
		return "s3:PutBucketPublicAccessBlock"
	case "sts:GetCallerIdentity", "sts:AssumeRole": // the caller's, not the action's
		return ""
	}
	return r.Key()
}

// checkPermissions checks that every request the action made is allowed
// by its Spec's permissions.
func (c *cloud) checkPermissions(t *testing.T, a respond.Action) {
	t.Helper()
	perms := a.Spec().Permissions
	for _, r := range c.srv.Requests() {
		if p := iamAction(r); p != "" && !slices.Contains(perms, p) {
			t.Errorf("%s called %s, which its permissions %v do not allow", a.Spec().Name, p, perms)
		}
	}
	if m := c.srv.Missing(); len(m) > 0 {
		t.Errorf("requests the endpoint could not answer: %v", m)
	}
}

func TestPermissionsFile(t *testing.T) {
	b, err := os.ReadFile("../../../deploy/permissions/aws-respond-policy.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version   string
		Statement []struct {
			Sid      string
			Effect   string
			Action   any
			Resource any
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("aws-respond-policy.json: %v", err)
	}
	var want []string
	for _, a := range Actions(Options{}) {
		for _, p := range a.Spec().Permissions {
			if !slices.Contains(want, p) {
				want = append(want, p)
			}
		}
	}
	sort.Strings(want)
	if len(doc.Statement) == 0 || doc.Version != "2012-10-17" {
		t.Fatalf("aws-respond-policy.json is not a policy document: %s", b)
	}
	var got []string
	for _, a := range doc.Statement[0].Action.([]any) {
		got = append(got, a.(string))
	}
	if !slices.Equal(got, want) {
		t.Errorf("aws-respond-policy.json's first statement allows\n%v\nthe actions' permissions are (sorted)\n%v", got, want)
	}
	for _, s := range doc.Statement[1:] {
		if s.Action != "sts:AssumeRole" {
			t.Errorf("statement %s allows %v: only the first statement lists the actions' permissions", s.Sid, s.Action)
		}
	}
}

func TestSpecs(t *testing.T) {
	reg, err := respond.NewRegistry(Actions(Options{})...)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"aws.ec2.quarantine-instance", "aws.ec2.revoke-security-group-rule", "aws.iam.deactivate-access-key",
		"aws.iam.detach-policy", "aws.s3.block-public-access", "aws.s3.delete-public-policy-statement"}
	if !slices.Equal(reg.Names(), want) {
		t.Errorf("actions %v, want %v", reg.Names(), want)
	}
	for _, s := range reg.Specs() {
		if s.Class != respond.Remediate || s.Provider != "aws" || !s.Reversible || s.Tactic == "" || len(s.Permissions) == 0 || s.Description == "" {
			t.Errorf("%s: incomplete spec %+v", s.Name, s)
		}
		for _, p := range s.Permissions {
			if svc, op, ok := strings.Cut(p, ":"); !ok || svc == "" || op == "" || strings.ContainsAny(p, "* ") {
				t.Errorf("%s: permission %q is not an IAM action", s.Name, p)
			}
		}
	}
}

// mustErr checks that err wraps want.
func mustErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: err = %v, want %v", what, err, want)
	}
}

func plan(t *testing.T, a respond.Action, inputs map[string]string) (*respond.Change, error) {
	t.Helper()
	return a.Plan(context.Background(), (&respondtest.Recorder{}).Env(), request(inputs))
}

// TestApplyFromPlanFile: a change written to a plan file (JSON) and read
// back is applied and rolled back by another process's actions (a new
// Actions, its clients built anew), with the outcome also read back from
// JSON.
func TestApplyFromPlanFile(t *testing.T) {
	c := ec2Cloud(t)
	ctx := context.Background()
	for _, tc := range []struct {
		action string
		inputs map[string]string
	}{
		{"aws.ec2.quarantine-instance", map[string]string{"instance_id": instance}},
		{"aws.ec2.revoke-security-group-rule", map[string]string{"group_id": web, "rule_id": ssh}},
	} {
		ch, err := plan(t, c.action(t, tc.action), tc.inputs)
		if err != nil {
			t.Fatal(err)
		}
		var read respond.Change
		roundTrip(t, ch, &read)
		a := c.action(t, tc.action) // another process
		done, err := a.Apply(ctx, nil, &read)
		if err != nil {
			t.Fatalf("%s: Apply of the change read back: %v", tc.action, err)
		}
		var doneRead respond.Outcome
		roundTrip(t, done, &doneRead)
		if _, err := c.action(t, tc.action).Rollback(ctx, nil, &read, &doneRead); err != nil {
			t.Fatalf("%s: Rollback from the outcome read back: %v", tc.action, err)
		}
	}
	if g := c.enis(instance); !slices.Equal(g["eni-0primary01"], []string{web, admin}) {
		t.Errorf("groups after rollback %v", g)
	}
	if r := c.rules(web); len(r) != 4 {
		t.Errorf("rules after rollback %v", r)
	}
}

func roundTrip(t *testing.T, v, into any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%T does not encode: %v", v, err)
	}
	if err := json.Unmarshal(b, into); err != nil {
		t.Fatalf("%T does not decode: %v", v, err)
	}
}
