package gcprespond

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/collect/gcp/gcptest"
	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/respondtest"
)

// faultCloud holds one resource for every action.
func faultCloud(t *testing.T) *cloud {
	return newCloud(t, func(st *gcptest.Cloud) {
		st.Buckets["site"] = sitePolicy()
		st.Projects[project] = projectPolicyState()
		st.Keys[leakedKey] = &gcptest.Key{}
		st.Firewalls[sshRule] = &gcptest.Firewall{Network: "default"}
	})
}

var faultCases = []struct {
	action string
	inputs map[string]string
	read   string // the method reading the resource
	write  string // the method changing it
}{
	{"gcp.storage.remove-public-members", map[string]string{"bucket": "site"}, "storage.buckets.getIamPolicy", "storage.buckets.setIamPolicy"},
	{"gcp.resourcemanager.remove-public-members", map[string]string{"project": project}, "cloudresourcemanager.projects.getIamPolicy", "cloudresourcemanager.projects.setIamPolicy"},
	{"gcp.iam.disable-service-account-key", map[string]string{"key": leakedKey}, "iam.projects.serviceAccounts.keys.get", "iam.projects.serviceAccounts.keys.disable"},
	{"gcp.compute.disable-firewall-rule", map[string]string{"firewall": sshRule}, "compute.firewalls.get", "compute.firewalls.patch"},
}

// unchangedState checks the state is still faultCloud's.
func (c *cloud) unchangedState(t *testing.T) {
	t.Helper()
	c.st.With(func() {
		if !strings.Contains(strings.Join(grants(c.st.Buckets["site"])["roles/storage.objectViewer"], ","), "allUsers") ||
			len(grants(c.st.Projects[project])["roles/viewer"]) != 2 || c.st.Keys[leakedKey].Disabled || c.st.Firewalls[sshRule].Disabled {
			t.Errorf("the state changed though the call failed")
		}
	})
}

// TestDenied: a 403 on the read or on the write is respond.ErrDenied
// naming the call, and nothing changes.
func TestDenied(t *testing.T) {
	for _, tc := range faultCases {
		for _, method := range []string{tc.read, tc.write} {
			t.Run(method, func(t *testing.T) {
				c := faultCloud(t)
				c.st.Hook = func(call gcptest.Call) *gcptest.APIError {
					if call.Method == method {
						return gcptest.RESTError(http.StatusForbidden, "Permission denied on resource "+call.Resource)
					}
					return nil
				}
				a := c.action(t, tc.action)
				ctx, env := context.Background(), (&respondtest.Recorder{}).Env()
				ch, err := a.Plan(ctx, env, request(tc.inputs))
				if err == nil {
					_, err = a.Apply(ctx, env, ch)
				}
				mustErr(t, method, err, respond.ErrDenied)
				if errors.Is(err, respond.ErrGone) || err != nil && !strings.Contains(err.Error(), "403") {
					t.Errorf("error %q: want the 403 and not ErrGone", err)
				}
				c.unchangedState(t)
			})
		}
	}
}

// TestGone: a resource deleted after the plan is respond.ErrGone at apply
// (and at plan when it is already gone).
func TestGone(t *testing.T) {
	for _, tc := range faultCases {
		if tc.action == "gcp.resourcemanager.remove-public-members" {
			continue // Resource Manager answers 403 for a project that does not exist
		}
		t.Run(tc.action, func(t *testing.T) {
			c := faultCloud(t)
			a := c.action(t, tc.action)
			ch, err := plan(t, a, tc.inputs)
			if err != nil {
				t.Fatal(err)
			}
			c.st.With(func() {
				delete(c.st.Buckets, "site")
				delete(c.st.Keys, leakedKey)
				delete(c.st.Firewalls, sshRule)
			})
			_, err = a.Apply(context.Background(), nil, ch)
			mustErr(t, "Apply", err, respond.ErrGone)
			_, err = plan(t, a, tc.inputs)
			mustErr(t, "Plan", err, respond.ErrGone)
			if errors.Is(err, respond.ErrDenied) {
				t.Errorf("a 404 is also ErrDenied: %v", err)
			}
		})
	}
}

// TestRetried: a throttled (429) or unavailable (503) call is tried again
// and the change goes through; failing past MaxAttempts, it is the
// action's error (neither gone nor denied), and every attempt is recorded.
func TestRetried(t *testing.T) {
	for _, tc := range faultCases {
		t.Run(tc.action, func(t *testing.T) {
			c := faultCloud(t)
			fails := map[string]int{tc.read: 2, tc.write: 1}
			c.st.Hook = func(call gcptest.Call) *gcptest.APIError {
				if fails[call.Method] > 0 {
					fails[call.Method]--
					if call.Method == tc.read {
						return gcptest.RESTError(http.StatusTooManyRequests, "Quota exceeded")
					}
					return gcptest.RESTError(http.StatusServiceUnavailable, "The service is currently unavailable.")
				}
				return nil
			}
			a := c.action(t, tc.action)
			rec := &respondtest.Recorder{}
			ch, err := a.Plan(context.Background(), rec.Env(), request(tc.inputs))
			if err != nil {
				t.Fatalf("Plan with 2 throttled reads (3 attempts): %v", err)
			}
			if _, err := a.Apply(context.Background(), rec.Env(), ch); err != nil {
				t.Fatalf("Apply with an unavailable write: %v", err)
			}
			failed := 0
			for _, e := range rec.Errs {
				if e != nil {
					failed++
				}
			}
			if failed != 3 {
				t.Errorf("%d failed attempts recorded, want 3", failed)
			}

			c.st.Hook = func(gcptest.Call) *gcptest.APIError {
				return gcptest.RESTError(http.StatusTooManyRequests, "Quota exceeded")
			}
			_, err = plan(t, a, tc.inputs)
			if err == nil || errors.Is(err, respond.ErrDenied) || errors.Is(err, respond.ErrGone) || !strings.Contains(err.Error(), "429") {
				t.Errorf("throttled past the attempts: err = %v", err)
			}
		})
	}
}
