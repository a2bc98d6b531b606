package awsrespond

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/collect/aws/awstest"
	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/respondtest"
)

// TestDenied: a refused call, read or write, in each wire format (S3
// REST, IAM query, EC2) is respond.ErrDenied naming the call, and the
// state is unchanged.
func TestDenied(t *testing.T) {
	for _, tc := range []struct {
		action, denied string
		inputs         map[string]string
	}{
		{"aws.s3.block-public-access", "s3:GetPublicAccessBlock", map[string]string{"bucket": "site"}},
		{"aws.s3.block-public-access", "s3:PutPublicAccessBlock", map[string]string{"bucket": "site"}},
		{"aws.iam.deactivate-access-key", "iam:UpdateAccessKey", map[string]string{"access_key_id": leakedKey, "user": "alice"}},
		{"aws.ec2.quarantine-instance", "ec2:ModifyNetworkInterfaceAttribute", map[string]string{"instance_id": instance}},
		{"aws.ec2.revoke-security-group-rule", "ec2:DescribeSecurityGroupRules", map[string]string{"group_id": web, "rule_id": ssh}},
	} {
		t.Run(tc.denied, func(t *testing.T) {
			c := ec2Cloud(t)
			c.st.With(func() {
				c.st.Buckets["site"] = &awstest.Bucket{}
				c.st.Account(caller).Users["alice"] = &awstest.User{Keys: []awstest.AccessKey{{ID: leakedKey, Status: "Active"}}}
			})
			c.srv.Fault = func(r awstest.Request) string {
				if r.Key() == tc.denied {
					return "denied"
				}
				return ""
			}
			a := c.action(t, tc.action)
			ctx, env := context.Background(), (&respondtest.Recorder{}).Env()
			ch, err := a.Plan(ctx, env, request(tc.inputs))
			if err == nil {
				_, err = a.Apply(ctx, env, ch)
			}
			mustErr(t, tc.denied, err, respond.ErrDenied)
			if err != nil && !strings.Contains(err.Error(), tc.denied) {
				t.Errorf("error %q does not name the call %s", err, tc.denied)
			}
			c.st.With(func() {
				if c.st.Buckets["site"].PublicAccessBlock != nil || c.st.Account(caller).Users["alice"].Keys[0].Status != "Active" ||
					len(c.st.Account(caller).SecurityGroups[web].Rules) != 4 {
					t.Errorf("the state changed though the call was denied")
				}
				for i, e := range c.st.Account(caller).Instances[instance].ENIs {
					if want := [][]string{{web, admin}, {admin}}[i]; !slices.Equal(e.Groups, want) {
						t.Errorf("%s has groups %v though denied, want %v", e.ID, e.Groups, want)
					}
				}
			})
		})
	}
}

// TestThrottlingRetried: a throttled call (each protocol's throttling
// answer) is retried by the SDK and the change goes through; throttled
// past the attempts, it fails without ErrDenied.
func TestThrottlingRetried(t *testing.T) {
	c := ec2Cloud(t)
	c.st.With(func() {
		c.st.Buckets["site"] = &awstest.Bucket{}
		c.st.Account(caller).Users["alice"] = &awstest.User{Keys: []awstest.AccessKey{{ID: leakedKey, Status: "Active"}, {ID: otherKey, Status: "Active"}}}
	})
	var mu sync.Mutex
	throttled := map[string]int{}
	limit := 2 // below MaxAttempts (3)
	c.srv.Fault = func(r awstest.Request) string {
		switch r.Key() {
		case "s3:PutPublicAccessBlock", "iam:UpdateAccessKey", "ec2:RevokeSecurityGroupIngress":
			mu.Lock()
			defer mu.Unlock()
			if throttled[r.Key()] < limit {
				throttled[r.Key()]++
				return "throttle"
			}
		}
		return ""
	}
	run := func(name string, inputs map[string]string) error {
		a := c.action(t, name)
		ctx, env := context.Background(), (&respondtest.Recorder{}).Env()
		ch, err := a.Plan(ctx, env, request(inputs))
		if err != nil {
			return err
		}
		_, err = a.Apply(ctx, env, ch)
		return err
	}
	cases := []struct {
		name   string
		inputs map[string]string
	}{
		{"aws.s3.block-public-access", map[string]string{"bucket": "site"}},
		{"aws.iam.deactivate-access-key", map[string]string{"access_key_id": leakedKey, "user": "alice"}},
		{"aws.ec2.revoke-security-group-rule", map[string]string{"group_id": web, "rule_id": ssh}},
	}
	for _, tc := range cases {
		if err := run(tc.name, tc.inputs); err != nil {
			t.Errorf("%s throttled twice: %v", tc.name, err)
		}
	}
	for k, n := range throttled {
		if n != 2 {
			t.Errorf("%s throttled %d times, want 2", k, n)
		}
	}
	c.st.With(func() {
		if p := c.st.Buckets["site"].PublicAccessBlock; p == nil || !p.RestrictPublicBuckets {
			t.Errorf("public access block %+v not applied after the retries", p)
		}
		if k := c.st.Account(caller).Users["alice"].Keys; k[0].Status != "Inactive" || k[1].Status != "Active" {
			t.Errorf("keys %+v after the retries", k)
		}
	})

	// Throttled for good: an error, not a denial.
	limit = 100
	c.st.With(func() { c.st.Account(caller).Users["alice"].Keys[1].Status = "Active" })
	err := run("aws.iam.deactivate-access-key", map[string]string{"access_key_id": otherKey, "user": "alice"})
	if err == nil || errors.Is(err, respond.ErrDenied) || !strings.Contains(err.Error(), "Throttling") {
		t.Errorf("throttled past the attempts: err = %v, want the throttling error", err)
	}
}

// TestOtherAccount: a subject in another account is acted on through the
// role Options.RoleName assumed there; without a role name it is refused.
func TestOtherAccount(t *testing.T) {
	c := newCloud(t, func(st *awstest.State) {
		st.Account(member).Users["alice"] = &awstest.User{Keys: []awstest.AccessKey{{ID: leakedKey, Status: "Active"}}}
		st.Account(caller).Users["alice"] = &awstest.User{Keys: []awstest.AccessKey{{ID: leakedKey, Status: "Active"}}}
	})
	req := &respond.Request{Subject: &respond.Subject{Provider: "aws", Account: member},
		Inputs: map[string]string{"access_key_id": leakedKey, "user": "alice"}}
	a := c.action(t, "aws.iam.deactivate-access-key")
	if _, err := a.Plan(context.Background(), nil, req); !errors.Is(err, respond.ErrInput) || !strings.Contains(err.Error(), member) {
		t.Errorf("another account without a role name: err = %v, want ErrInput naming %s", err, member)
	}

	c.opts.RoleName = "VigilRespond"
	ctx := context.Background()
	// The role refused: ErrDenied naming it, and tried again next time.
	c.srv.Fault = func(r awstest.Request) string {
		if r.Key() == "sts:AssumeRole" {
			return "denied"
		}
		return ""
	}
	a = c.action(t, "aws.iam.deactivate-access-key")
	if _, err := a.Plan(ctx, nil, req); !errors.Is(err, respond.ErrDenied) || !strings.Contains(err.Error(), "role/VigilRespond") {
		t.Errorf("role refused: err = %v, want ErrDenied naming the role", err)
	}
	c.srv.Fault = nil
	ch, err := a.Plan(ctx, nil, req)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Account != member || ch.Resource != "arn:aws:iam::"+member+":user/alice" {
		t.Errorf("change in %s on %s, want %s", ch.Account, ch.Resource, member)
	}
	if _, err := a.Apply(ctx, nil, ch); err != nil {
		t.Fatal(err)
	}
	if got := c.keys(member, "alice")[leakedKey]; got != "Inactive" {
		t.Errorf("the member account's key is %s, want Inactive", got)
	}
	if got := c.keys(caller, "alice")[leakedKey]; got != "Active" {
		t.Errorf("the caller's account's key is %s: only the member's was named", got)
	}
	assumed := false
	for _, r := range c.srv.Requests() {
		assumed = assumed || r.Key() == "sts:AssumeRole"
		if r.Key() == "iam:UpdateAccessKey" && r.Account != member {
			t.Errorf("UpdateAccessKey signed for account %s, want the assumed role's %s", r.Account, member)
		}
	}
	if !assumed {
		t.Errorf("no sts:AssumeRole call")
	}
}

// TestGoneBetweenPlanAndApply: a resource deleted after planning makes
// Apply return ErrGone.
func TestGoneBetweenPlanAndApply(t *testing.T) {
	c := ec2Cloud(t)
	ctx, env := context.Background(), (&respondtest.Recorder{}).Env()
	for _, tc := range []struct {
		action string
		inputs map[string]string
		remove func(a *awstest.Account)
	}{
		{"aws.ec2.quarantine-instance", map[string]string{"instance_id": instance}, func(a *awstest.Account) { delete(a.Instances, instance) }},
		{"aws.ec2.revoke-security-group-rule", map[string]string{"group_id": web, "rule_id": ssh}, func(a *awstest.Account) { delete(a.SecurityGroups, web) }},
	} {
		a := c.action(t, tc.action)
		ch, err := a.Plan(ctx, env, request(tc.inputs))
		if err != nil {
			t.Fatal(err)
		}
		c.st.With(func() { tc.remove(c.st.Account(caller)) })
		_, err = a.Apply(ctx, env, ch)
		mustErr(t, tc.action+" applied after the resource was deleted", err, respond.ErrGone)
	}
	if n := len(c.snapshots()); n != 0 {
		t.Errorf("%d snapshots taken of a gone instance", n)
	}
}

// TestConcurrentApply: one Actions serves 50 changes planned and applied
// at once against an endpoint answering in 50 ms (the clients are shared
// and built once): all applied, in far less than one after the other.
func TestConcurrentApply(t *testing.T) {
	const n = 50
	c := newCloud(t, func(st *awstest.State) {
		for i := range n {
			st.Buckets[fmt.Sprintf("bucket-%02d", i)] = &awstest.Bucket{}
		}
	})
	c.srv.Latency = 50 * time.Millisecond
	a := c.action(t, "aws.s3.block-public-access")
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			ch, err := a.Plan(ctx, nil, request(map[string]string{"bucket": fmt.Sprintf("bucket-%02d", i)}))
			if err == nil {
				_, err = a.Apply(ctx, nil, ch)
			}
			if err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	took := time.Since(start)
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	c.st.With(func() {
		for name, b := range c.st.Buckets {
			if b.PublicAccessBlock == nil || !b.PublicAccessBlock.BlockPublicPolicy {
				t.Errorf("%s not applied", name)
			}
		}
	})
	// One after the other: 50 × (3 calls + the caller's identity once) ×
	// 50 ms = 7.5 s.
	t.Logf("%d changes planned and applied in %v, %d requests in flight at the most", n, took, c.srv.Peak())
	if took > 3*time.Second || c.srv.Peak() < n/2 {
		t.Errorf("%d changes took %v with at most %d requests in flight: not concurrent", n, took, c.srv.Peak())
	}
}

// TestSnapshotFailureStopsQuarantine: when a snapshot cannot be taken (a
// 500 after the retries) the instance is not isolated: the evidence comes
// first.
func TestSnapshotFailureStopsQuarantine(t *testing.T) {
	c := ec2Cloud(t)
	c.srv.Fault = func(r awstest.Request) string {
		if r.Key() == "ec2:CreateSnapshot" {
			return "500"
		}
		return ""
	}
	a := c.action(t, "aws.ec2.quarantine-instance")
	ch, err := plan(t, a, map[string]string{"instance_id": instance})
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.Apply(context.Background(), nil, ch)
	if err == nil || errors.Is(err, respond.ErrGone) || errors.Is(err, respond.ErrDenied) || !strings.Contains(err.Error(), "InternalError") {
		t.Errorf("Apply with snapshots failing: err = %v, want the InternalError", err)
	}
	if g := c.enis(instance); !slices.Equal(g["eni-0primary01"], []string{web, admin}) || !slices.Equal(g["eni-0second01"], []string{admin}) {
		t.Errorf("interfaces' groups %v: isolated without its snapshots", g)
	}
	tries := 0
	for _, r := range c.srv.Requests() {
		if r.Key() == "ec2:CreateSnapshot" {
			tries++
		}
	}
	if tries != c.opts.MaxAttempts {
		t.Errorf("CreateSnapshot tried %d times, want %d (retried)", tries, c.opts.MaxAttempts)
	}
}
